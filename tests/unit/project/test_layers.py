"""The import direction, checked on the source: domain <- services <- web, cli.

Persistence implements what services need. The rules, and the only exceptions to them, are
written down in docs/architecture.md ("Layers"). Every import statement counts, including those
under `if TYPE_CHECKING:` and those inside functions: a deferred import is still a dependency.
The test reads the files with `ast` and imports nothing, so a broken module cannot hide a
violation.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src"
PACKAGE = SRC / "confianza"

# Frameworks that belong to one edge of the system each.
WEB_FRAMEWORKS = ("fastapi", "starlette", "jinja2", "uvicorn", "multipart")
CLI_FRAMEWORKS = ("typer", "click", "rich")
DATABASE_LIBRARIES = ("sqlalchemy", "alembic", "psycopg", "sqlite3")

# The records services hand back (Badge, RosterLine, User, TokenInfo ...) live in the domain,
# so the edges need nothing from persistence but the unit of work's type (and the CLI the
# migrations).
RESULT_RECORDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    """What one layer (a sub-package of confianza) may not import, and the exact exceptions."""

    layer: str
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...] = ()
    why: str = ""


RULES = (
    Rule(
        "domain",
        forbidden=(
            *DATABASE_LIBRARIES, *WEB_FRAMEWORKS, *CLI_FRAMEWORKS,
            "confianza.persistence", "confianza.services", "confianza.web", "confianza.cli",
            "confianza.bootstrap", "confianza.settings",
        ),
        why="the domain is pure rules and values; it knows no database, framework or setting",
    ),
    Rule(
        "services",
        forbidden=(
            *DATABASE_LIBRARIES, *WEB_FRAMEWORKS, *CLI_FRAMEWORKS,
            "confianza.web", "confianza.cli", "confianza.bootstrap",
            # Services reach the database only through the unit of work, its repositories and
            # the bulk writer; never through ORM rows, engines or migrations.
            "confianza.persistence.models", "confianza.persistence.database",
            "confianza.persistence.migrate", "confianza.persistence.migrations",
        ),
        why="use cases are called by the web and the CLI alike and receive their unit of work",
    ),
    Rule(
        "persistence",
        forbidden=(
            *WEB_FRAMEWORKS, *CLI_FRAMEWORKS,
            "confianza.services", "confianza.web", "confianza.cli", "confianza.bootstrap",
        ),
        why="persistence implements what services need; it depends on the domain only",
    ),
    Rule(
        "web",
        forbidden=(*DATABASE_LIBRARIES, *CLI_FRAMEWORKS, "confianza.persistence",
                   "confianza.cli"),
        allowed=("confianza.persistence.unit_of_work", *RESULT_RECORDS),
        why="routes call services; they name only the UnitOfWork type and the result records",
    ),
    Rule(
        "cli",
        forbidden=(*DATABASE_LIBRARIES, "confianza.persistence"),
        allowed=("confianza.persistence.unit_of_work", "confianza.persistence.migrate",
                 *RESULT_RECORDS),
        why="commands call services; `confianza db` drives the migrations through "
        "persistence.migrate and `confianza serve` starts the web app",
    ),
)


@dataclass(frozen=True)
class Violation:
    file: str
    line: int
    target: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line} imports {self.target} ({self.rule})"


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
    # `from a.b import c` may bind a module a.b.c or a name of a.b: checking a.b.c covers both,
    # because a forbidden a.b forbids a.b.c and an allowed a.b.c is exactly what was allowed.
    return [f"{base}.{alias.name}" if alias.name != "*" else base for alias in node.names]


def _matches(target: str, prefixes: tuple[str, ...]) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def imports_of(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = _module_name(path)
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for target in _targets(node, module, path.name == "__init__.py"):
                found.append((node.lineno, target))
    return found


def violations(rule: Rule) -> list[Violation]:
    found: list[Violation] = []
    for path in sorted((PACKAGE / rule.layer).rglob("*.py")):
        for line, target in imports_of(path):
            if _matches(target, rule.forbidden) and not _matches(target, rule.allowed):
                found.append(Violation(str(path.relative_to(SRC.parent)), line, target, rule.why))
    return found


@pytest.mark.parametrize("rule", RULES, ids=[r.layer for r in RULES])
def test_layer_imports_point_inwards(rule: Rule) -> None:
    assert (PACKAGE / rule.layer).is_dir(), f"src/confianza/{rule.layer} is missing"
    found = violations(rule)
    assert not found, "imports against the layering (docs/architecture.md):\n" + "\n".join(
        str(v) for v in found
    )


#: The third-party libraries the domain may use (docs/architecture.md, "Layers"): signatures
#: and keys, the CBOR of the card's compact credential, and synthetic data. `confianza.verify`
#: imports only the domain, so this is also all a third party's verifier installs.
DOMAIN_LIBRARIES = frozenset({"cryptography", "joserfc", "cbor2", "faker"})


def test_the_domain_uses_only_the_libraries_the_architecture_names() -> None:
    import sys

    found: dict[str, list[str]] = {}
    for path in sorted((PACKAGE / "domain").rglob("*.py")):
        for line, target in imports_of(path):
            top = target.split(".")[0]
            if top in ("confianza", "__future__") or top in sys.stdlib_module_names:
                continue
            found.setdefault(top, []).append(f"{path.relative_to(SRC.parent)}:{line}")
    extra = {name: where for name, where in found.items() if name not in DOMAIN_LIBRARIES}
    assert not extra, f"the domain imports libraries docs/architecture.md does not name: {extra}"


def test_sqlalchemy_only_in_persistence_and_the_composition_root() -> None:
    """Outside the named layers too: only persistence/ and bootstrap.py touch the database."""
    allowed_files = {PACKAGE / "bootstrap.py"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if (PACKAGE / "persistence") in path.parents or path in allowed_files:
            continue
        for line, target in imports_of(path):
            if _matches(target, DATABASE_LIBRARIES):
                offenders.append(f"{path.relative_to(SRC.parent)}:{line} imports {target}")
    assert not offenders, "\n".join(offenders)


# The checker itself must catch what it is meant to catch; a checker that passes everything
# would keep the suite green while the layering rots.


def test_checker_resolves_relative_and_from_imports(tmp_path: Path) -> None:
    source = "from . import models\nfrom ..domain import errors\nimport sqlalchemy.orm\n"
    tree = ast.parse(source)
    nodes = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    module = "confianza.persistence.repositories.users"
    assert _targets(nodes[0], module, False) == ["confianza.persistence.repositories.models"]
    assert _targets(nodes[1], module, False) == ["confianza.persistence.domain.errors"]
    assert _targets(nodes[2], module, False) == ["sqlalchemy.orm"]
    assert _targets(nodes[0], "confianza.persistence", True) == ["confianza.persistence.models"]


def test_checker_applies_allow_list_precisely() -> None:
    cli = next(r for r in RULES if r.layer == "cli")
    web = next(r for r in RULES if r.layer == "web")

    def refused(rule: Rule, target: str) -> bool:
        return _matches(target, rule.forbidden) and not _matches(target, rule.allowed)

    assert not refused(cli, "confianza.persistence.migrate")
    assert not refused(cli, "confianza.persistence.unit_of_work.UnitOfWork")
    assert refused(cli, "confianza.persistence.models")
    assert refused(web, "confianza.persistence.repositories.officers.RosterLine")
    assert refused(web, "confianza.persistence.repositories.officers.OfficerRepository")
    assert refused(cli, "confianza.persistence.migrate_extra")
    assert refused(web, "confianza.persistence.migrate")
    assert refused(web, "sqlalchemy")
    assert not refused(web, "confianza.services.officers")
    assert not refused(web, "sqlalchemyish")
