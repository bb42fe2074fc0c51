"""The import allow-list: what each package and layer may import, the product's and the world's.

The package is cut by feature first (registry, vetting, certification, ...), with the same layers
inside each: rules <- service <- api, pages, cli; repositories implement what services need.
Beside the features stand the standards `kit` (no product module), the `core` (shared
infrastructure, no feature) and `app` (the composition root, which may import anything).
docs/architecture.md ("Packages and layers") and docs/adr/0022 give the reasons.

Every import statement counts, including those under `if TYPE_CHECKING:` and inside functions: a
deferred import is still a dependency. The test reads the files with `ast` and imports nothing,
so a broken module cannot hide a violation. An import is allowed when its target matches one of
the source layer's patterns (`*` is any feature, the source's own included) or is named in
`DEBTS`, the known exceptions the next changes remove; a third-party import when its top-level
name is listed for the layer (the standard library is always allowed).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

SRC = Path(__file__).resolve().parents[3] / "src"
PACKAGE = SRC / "confianza"

#: The packages beside the features, and the layers a feature may have (a module or a package
#: of that name). A feature holds nothing else, so every feature has the same shape.
SHARED = ("kit", "core", "app")
LAYERS = ("rules", "contracts", "service", "repository", "schemas", "api", "pages", "web",
          "cli", "templates", "mappings")
FEATURES = tuple(sorted(
    p.name for p in PACKAGE.iterdir()
    if (p / "__init__.py").exists() and p.name not in SHARED
))

PURE_CORE = ("core.errors", "core.civil_time", "core.formula_cells")
WEB_LIBRARIES = ("fastapi", "starlette", "pydantic")
PAGE_LIBRARIES = (*WEB_LIBRARIES, "jinja2", "markupsafe", "babel")


@dataclass(frozen=True)
class Allowed:
    """What modules of one layer may import: product patterns and third-party top-level names."""

    ours: tuple[str, ...]
    libraries: tuple[str, ...] = ()
    why: str = ""


ALLOWED: dict[str, Allowed] = {
    "kit": Allowed(
        ("kit",), ("cryptography", "joserfc", "cbor2"),
        why="standards code, usable by an outside verifier: it imports nothing of the product",
    ),
    "core.errors": Allowed(("kit",), why="the vocabulary of failure; shows the kit's errors too"),
    "core.civil_time": Allowed((), why="the one reading of the wall clock: standard library"),
    "core.formula_cells": Allowed((), why="the one rule for CSV cells a spreadsheet would run"),
    "core.pagination": Allowed(PURE_CORE, why="opaque cursors: standard library"),
    "core.work": Allowed((), why="bulk work as use cases see it: the writer's Protocol, the "
                         "parts of a split read"),
    "core.memory": Allowed((), why="the cyclic collector held off for a bulk job: standard "
                           "library"),
    "core.db": Allowed(
        ("core.db", "core.work", *PURE_CORE), ("sqlalchemy", "alembic", "psycopg"),
        why="engines, the schema and its migrations, the bulk writer: no feature",
    ),
    "core.web": Allowed(
        ("core.*", "confianza"), (*PAGE_LIBRARIES, "multipart"),
        why="what every API route and page shares: problems, languages, the text catalogue",
    ),
    "rules": Allowed(
        ("kit", *PURE_CORE, "*.rules"),
        why="pure rules and values: the standard library, the kit and other features' rules",
    ),
    "contracts": Allowed(
        ("kit", *PURE_CORE, "core.work", "*.rules", "*.contracts"),
        why="what use cases need of storage, in their words: Protocols and plain values",
    ),
    "work": Allowed(
        (*PURE_CORE, "core.work", "*.contracts"),
        why="the unit of work as use cases see it, gathering every feature's stores",
    ),
    "service": Allowed(
        ("kit", *PURE_CORE, "core.pagination", "core.work", "core.memory", "*.rules",
         "*.contracts", "*.service", "work"),
        why="use cases: rules, other use cases, and the unit of work they are handed, named by "
        "its Protocols",
    ),
    "repository": Allowed(
        ("kit", *PURE_CORE, "core.db", "core.work", "*.rules", "*.contracts",
         "*.repository"),
        ("sqlalchemy", "psycopg"),
        why="the only layer that queries the database, through the schema in core.db",
    ),
    "schemas": Allowed(
        (*PURE_CORE, "core.pagination", "core.web", "*.rules", "*.service", "*.schemas"),
        ("pydantic",),
        why="API bodies, built from the records that rules and services hand back",
    ),
    "api": Allowed(
        ("kit", *PURE_CORE, "core.web", "*.rules", "*.service", "*.schemas", "*.web",
         "app.deps", "app.contract"),
        WEB_LIBRARIES,
        why="routes call use cases; who may call is settled by the service layer (app.contract)",
    ),
    "web": Allowed(
        (*PURE_CORE, "core.web", "*.rules", "*.service", "app.deps", "app.bootstrap"),
        WEB_LIBRARIES,
        why="what a feature's API and pages share inside a running app",
    ),
    "pages": Allowed(
        (*PURE_CORE, "core.web", "*.rules", "*.service", "*.pages", "*.web", "app.deps",
         "app.rendering"),
        PAGE_LIBRARIES,
        why="pages call use cases and render templates through app.rendering",
    ),
    "cli": Allowed(
        ("kit", *PURE_CORE, "core.memory", "*.rules", "*.service", "*.cli", "app.cli",
         "app.settings", "app.bootstrap", "work"),
        ("typer", "rich"),
        why="commands call use cases through the container app.cli builds",
    ),
    "mappings": Allowed((), why="data files shipped with the package"),
    "verify": Allowed(
        ("kit", *PURE_CORE, "credentials.rules"),
        why="the verifier library: what an outside party installs to check a credential",
    ),
    "app": Allowed(("*",), ("*",), why="the composition root wires everything"),
    "package": Allowed((), why="a feature's __init__ only describes it"),
}

#: Third-party libraries one feature's layer uses beyond its layer's list, each with its reason.
LIBRARIES: dict[str, tuple[str, ...]] = {
    "accounts.service": ("argon2",),  # password hashes
    "credentials.rules": ("cbor2",),  # the compact credential's claims (ADR 0020)
    "credentials.pages": ("segno", "fpdf"),  # the card's QR code and PDF
    "demo.rules": ("faker",),  # synthetic names
    "identities.rules": ("splink", "pyarrow"),  # the linkage model, run in memory (ADR 0027)
    "integrity.rules": ("networkx",),  # the co-accusal network (ADR 0031)
    # The learners, their arrays and the fairness figures by group (ADR 0032); the learners'
    # threads held to one for the factors' many small calls (ADR 0034, national scale).
    "risk.rules": ("numpy", "sklearn", "lightgbm", "fairlearn", "threadpoolctl"),
    # S1 documents checked against the PDN's published description (ADR 0038).
    "declarations.rules": ("jsonschema", "jsonschema_rs"),
    # The lookback's (peer group, officer) pairs of a day as one sorted array (ADR 0037).
    "access.rules": ("numpy",),
}

#: Known exceptions, each to be removed: two commands reach past the service layer.
DEBTS: frozenset[tuple[str, str]] = frozenset({
    ("demo.cli", "core.db"),
    ("credentials.cli", "credentials.pages"),  # prints the card's PDF
    ("credentials.cli", "verify"),  # `certificates verify` is the library's own check
})


#: Modules named apart while two branches build one feature side by side, each counted as the
#: layer named here until the merge folds it into that layer's package (issue 17's were folded
#: into `integrity/{api,pages,cli,schemas,repository}/`). Empty: nothing is being built apart.
PROVISIONAL: dict[str, str] = {}


def place(module: str) -> str:
    """Where a dotted module name sits: `kit`, `core.db`, `app.deps`, `registry.service`, ..."""
    parts = module.split(".")
    if parts[0] != "confianza":
        raise ValueError(module)
    if len(parts) == 1:
        return "confianza"
    head = parts[1]
    if head == "kit":
        return "kit"
    if head in ("core", "app"):
        return ".".join(parts[1:3])
    if head in FEATURES:
        where = ".".join(parts[1:3]) if len(parts) > 2 else head
        return PROVISIONAL.get(where, where)
    return head  # a top-level module (verify)


def layer_of(source: str) -> tuple[str, str]:
    """The allow-list key of a source module, and its feature ('' outside the features)."""
    where = place(source)
    feature, _, layer = where.partition(".")
    if feature in FEATURES:
        return (layer or "package"), feature
    if feature in ("core", "app"):
        return (where if feature == "core" else "app"), ""
    return where, ""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement binds, relative imports resolved."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        anchor = package[: len(package) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    # `from a.b import c` may bind a module a.b.c or a name of a.b: placing a.b.c covers both.
    return [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(node, module, path.name == "__init__.py"):
                found.append((node.lineno, target))
    return found


def refusal(source: str, target: str) -> str | None:
    """Why `source` may not import `target`, or None when it may."""
    layer, feature = layer_of(source)
    rule = ALLOWED.get(layer)
    if rule is None:
        return f"{source} is in no known layer (a feature holds only {', '.join(LAYERS)})"
    top = target.split(".")[0]
    if top != "confianza":
        if top == "__future__" or top in sys.stdlib_module_names:
            return None
        extra = LIBRARIES.get(f"{feature}.{layer}", ())
        if "*" in rule.libraries or top in rule.libraries or top in extra:
            return None
        return f"the {layer} layer may not use {top} ({rule.why})"
    where = place(target)
    if any(fnmatchcase(where, pattern) for pattern in rule.ours):
        return None
    own = f"{feature}.{layer}" if feature else layer
    if (own, where) in DEBTS:
        return None
    return f"the {layer} layer may not import {where} ({rule.why})"


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def test_every_feature_has_only_known_layers() -> None:
    stray = []
    for feature in FEATURES:
        for child in sorted((PACKAGE / feature).iterdir()):
            name = child.stem if child.suffix == ".py" else child.name
            if name in ("__init__", "__pycache__") or name in LAYERS or (
                    f"{feature}.{name}" in PROVISIONAL):
                continue
            stray.append(str(child.relative_to(SRC)))
    assert not stray, f"a feature holds only the layers {LAYERS}; found {stray}"


def test_imports_follow_the_allow_list() -> None:
    found = []
    for path in sources():
        module = _module_name(path)
        for line, target in imports_of(path):
            why = refusal(module, target)
            if why:
                found.append(f"{path.relative_to(SRC.parent)}:{line} imports {target}: {why}")
    assert not found, "imports outside the allow-list (docs/architecture.md):\n" + "\n".join(
        found
    )


def test_every_debt_is_still_owed() -> None:
    """A debt paid off leaves the list, so the list never grants what nobody uses."""
    used: set[tuple[str, str]] = set()
    for path in sources():
        module = _module_name(path)
        layer, feature = layer_of(module)
        own = f"{feature}.{layer}" if feature else layer
        for _, target in imports_of(path):
            if target.startswith("confianza") and (own, place(target)) in DEBTS:
                used.add((own, place(target)))
    assert DEBTS - used == set(), f"debts no longer owed, remove them: {DEBTS - used}"


# The checker itself must catch what it is meant to catch; a checker that passes everything
# would keep the suite green while the layering rots.


def test_checker_resolves_relative_and_from_imports() -> None:
    source = "from . import models\nfrom ..rules import audit\nimport sqlalchemy.orm\n"
    tree = ast.parse(source)
    nodes = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    module = "confianza.trail.repository.audit"
    assert _targets(nodes[0], module, False) == ["confianza.trail.repository.models"]
    assert _targets(nodes[1], module, False) == ["confianza.trail.rules.audit"]
    assert _targets(nodes[2], module, False) == ["sqlalchemy.orm"]
    assert _targets(nodes[0], "confianza.core.db", True) == ["confianza.core.db.models"]


def test_checker_places_modules() -> None:
    assert place("confianza.kit.merkle.Tree") == "kit"
    assert place("confianza.core.db.models") == "core.db"
    assert place("confianza.app.deps.CurrentActor") == "app.deps"
    assert place("confianza.registry.service.officers") == "registry.service"
    assert place("confianza.trail.rules.AuditAction") == "trail.rules"
    assert layer_of("confianza.registry.repository.officers") == ("repository", "registry")
    assert layer_of("confianza.core.web.i18n") == ("core.web", "")
    assert layer_of("confianza.app.web") == ("app", "")


def test_checker_refuses_what_it_should() -> None:
    assert refusal("confianza.registry.rules.officers", "sqlalchemy") is not None
    assert refusal("confianza.registry.rules.officers", "confianza.registry.service.x") is not None
    assert refusal("confianza.registry.rules.officers", "confianza.core.db.models") is not None
    assert refusal("confianza.kit.curp", "confianza.registry.rules.geography") is not None
    assert refusal("confianza.kit.jose", "confianza.core.errors") is not None
    assert refusal("confianza.core.web.i18n", "confianza.registry.rules.x") is not None
    assert refusal("confianza.core.db.models", "confianza.trail.rules") is not None
    assert refusal("confianza.vetting.api.exams", "confianza.vetting.repository") is not None
    assert refusal("confianza.vetting.api.exams", "sqlalchemy.orm") is not None
    assert refusal("confianza.vetting.service.exams", "fastapi") is not None
    assert refusal("confianza.vetting.service.exams", "confianza.vetting.api.exams") is not None
    assert refusal("confianza.vetting.pages.exams", "confianza.app.unit_of_work") is not None
    assert refusal("confianza.vetting.service.exams", "confianza.app.unit_of_work") is not None
    assert refusal("confianza.vetting.service.exams", "confianza.vetting.repository") is not None
    assert refusal("confianza.registry.service.x", "confianza.core.db.bulk") is not None
    assert refusal("confianza.registry.contracts", "sqlalchemy") is not None
    assert refusal("confianza.work", "confianza.app.unit_of_work") is not None
    assert refusal("confianza.vetting.cli.exams", "confianza.app.deps") is not None
    assert refusal("confianza.registry.rules.officers", "faker") is not None
    assert refusal("confianza.registry.helpers", "os") is not None  # no such layer


def test_checker_allows_what_it_should() -> None:
    assert refusal("confianza.registry.rules.officers", "datetime") is None
    assert refusal("confianza.registry.rules.officers", "confianza.kit.curp") is None
    assert refusal("confianza.certification.rules.cup", "confianza.vetting.rules.x") is None
    assert refusal("confianza.vetting.service.exams", "confianza.work.UnitOfWork") is None
    assert refusal("confianza.vetting.service.exams", "confianza.vetting.contracts.X") is None
    assert refusal("confianza.vetting.repository", "confianza.vetting.contracts.X") is None
    assert refusal("confianza.vetting.repository", "sqlalchemy.orm") is None
    assert refusal("confianza.vetting.api.exams", "confianza.vetting.service.exams") is None
    assert refusal("confianza.vetting.api.exams", "confianza.app.contract.permit") is None
    assert refusal("confianza.demo.rules.people", "faker") is None
    assert refusal("confianza.app.web", "confianza.vetting.repository") is None
    assert refusal("confianza.kit.jose", "joserfc.jws") is None
    assert refusal("confianza.registry.service.officer_import", "confianza.core.work") is None
