"""Documentation that cannot drift: settings, roles, permissions, audit tags and commands.

The tests fail when the code gains a setting, a role, a permission, an audit action or a CLI
command that README.md and docs/ do not mention, and when the docs name a command, a file or a
link that does not exist. Two tables are generated from the code and must match it exactly:
the settings table in README.md and the role/permission matrix in docs/architecture.md. After
changing app/settings.py or accounts/rules/permissions.py, rewrite both with

    .venv/bin/python tests/unit/project/test_docs.py
"""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import pytest

from confianza.accounts.rules.permissions import ROLE_PERMISSIONS, Permission, Role
from confianza.app.settings import Settings
from confianza.trail.rules import AuditAction

ROOT = Path(__file__).resolve().parents[3]
README = ROOT / "README.md"
DOCS = ROOT / "docs"
ARCHITECTURE = DOCS / "architecture.md"

SETTINGS_BLOCK = ("<!-- settings:begin (generated: tests/unit/project/test_docs.py) -->",
                  "<!-- settings:end -->")
PERMISSIONS_BLOCK = ("<!-- permissions:begin (generated: tests/unit/project/test_docs.py) -->",
                     "<!-- permissions:end -->")


def _doc_files() -> list[Path]:
    return [README, *sorted(DOCS.rglob("*.md"))]


def _all_docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in _doc_files())


# Generated tables -----------------------------------------------------------------------


def env_name(field: str) -> str:
    return f"CONFIANZA_{field.upper()}"


def _default(value: Any) -> str:
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    return f"`{value}`"


def _bounds(metadata: list[Any]) -> str:
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    if low is not None and high is not None:
        return f" Range: {low} to {high}."
    if low is not None:
        return f" At least {low}."
    return ""


def render_settings_table() -> str:
    lines = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        meaning = (field.description or "").replace("|", "\\|") + _bounds(field.metadata)
        default = field.get_default(call_default_factory=True)
        lines.append(f"| `{env_name(name)}` | {_default(default)} | {meaning} |")
    return "\n".join(lines)


def render_permission_matrix() -> str:
    roles = list(Role)
    lines = [
        "| permission | " + " | ".join(f"`{r.value}`" for r in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for permission in Permission:
        marks = ["yes" if permission in ROLE_PERMISSIONS[r] else "" for r in roles]
        lines.append(f"| `{permission.value}` | " + " | ".join(marks) + " |")
    return "\n".join(lines)


def _block(text: str, markers: tuple[str, str]) -> str | None:
    begin, end = markers
    if begin not in text or end not in text:
        return None
    return text.split(begin, 1)[1].split(end, 1)[0].strip()


def _replace_block(text: str, markers: tuple[str, str], body: str) -> str:
    begin, end = markers
    head, rest = text.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{body}\n{end}{tail}"


GENERATED = ((README, SETTINGS_BLOCK, render_settings_table),
             (ARCHITECTURE, PERMISSIONS_BLOCK, render_permission_matrix))


@pytest.mark.parametrize(("path", "markers", "render"), GENERATED,
                         ids=["settings-table", "permission-matrix"])
def test_generated_tables_match_the_code(path: Path, markers: tuple[str, str], render: Any) -> None:
    found = _block(path.read_text(encoding="utf-8"), markers)
    assert found is not None, f"{path.name} lost its markers {markers}"
    assert found == render(), (
        f"{path.relative_to(ROOT)} is out of date; run "
        ".venv/bin/python tests/unit/project/test_docs.py"
    )


# Names the code defines must appear in the docs ------------------------------------------


def test_every_setting_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [env_name(n) for n in Settings.model_fields if f"`{env_name(n)}`" not in readme]
    assert not missing, f"settings missing from README.md: {missing}"


@pytest.mark.parametrize(
    "members", [Permission, Role, AuditAction], ids=["permissions", "roles", "audit-actions"]
)
def test_every_named_value_is_documented(members: type[Enum]) -> None:
    docs = _all_docs()
    missing = [m.value for m in members if f"`{m.value}`" not in docs]
    assert not missing, f"{members.__name__} values missing from README.md and docs/: {missing}"


# Commands --------------------------------------------------------------------------------


def _cli_tree() -> dict[str, Any]:
    """The command tree of the Typer app, as nested dicts (a leaf is an empty dict)."""
    if importlib.util.find_spec("confianza.app.console") is None:
        pytest.skip("confianza.app.console does not exist yet: the CLI checks need it")
    import typer
    from typer.main import get_command

    module = importlib.import_module("confianza.app.console")
    app = getattr(module, "app", None)
    if not isinstance(app, typer.Typer):
        app = next(v for v in vars(module).values() if isinstance(v, typer.Typer))
    root = get_command(app)

    def walk(command: Any) -> dict[str, Any]:
        children = getattr(command, "commands", {})
        return {name: walk(c) for name, c in children.items() if not c.hidden}

    return walk(root)


def _paths(tree: dict[str, Any], prefix: str = "confianza") -> list[str]:
    out: list[str] = []
    for name, children in tree.items():
        path = f"{prefix} {name}"
        out.extend(_paths(children, path) if children else [path])
    return out


def test_every_command_is_in_the_readme() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [p for p in _paths(_cli_tree()) if p not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


_FENCE = re.compile(r"```[^\n]*\n(.*?)```", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")
_INVOCATION = re.compile(r"(?<![\w.-])confianza((?:[ \t]+[a-z][a-z0-9-]*(?![\w./]))+)")


def _code_spans(text: str) -> list[str]:
    fenced = _FENCE.findall(text)
    return fenced + _INLINE.findall(_FENCE.sub("", text))


def named_invocations(text: str) -> list[list[str]]:
    """The command words after `confianza` in every code span (arguments start elsewhere)."""
    found = []
    for span in _code_spans(text):
        for match in _INVOCATION.finditer(span):
            found.append(match.group(1).split())
    return found


def test_docs_name_only_commands_that_exist() -> None:
    tree = _cli_tree()
    wrong = []
    for words in named_invocations(_all_docs()):
        node = tree
        for word in words:
            if not node:  # a leaf command: the rest are its arguments
                break
            if word not in node:
                wrong.append("confianza " + " ".join(words))
                break
            node = node[word]
    assert not wrong, f"the docs name commands the CLI does not have: {sorted(set(wrong))}"


# Files and links -------------------------------------------------------------------------

_LINK = re.compile(r"\]\(([^)\s]+)\)")
_REPO_PATH = re.compile(r"^(?:src|tests|docs|benchmarks|\.ci)/[\w./-]+$")


def test_relative_links_resolve() -> None:
    broken = []
    for path in _doc_files():
        for target in _LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            if not (path.parent / target.split("#", 1)[0]).exists():
                broken.append(f"{path.relative_to(ROOT)} -> {target}")
    assert not broken, f"broken links: {broken}"


def test_repository_paths_named_in_docs_exist() -> None:
    missing = []
    for path in _doc_files():
        for span in _INLINE.findall(path.read_text(encoding="utf-8")):
            candidate = span.strip().rstrip("/")
            if _REPO_PATH.match(candidate) and not (ROOT / candidate).exists():
                missing.append(f"{path.relative_to(ROOT)}: {candidate}")
    assert not missing, f"the docs name files that do not exist: {missing}"


def test_decision_records_have_their_sections_and_numbers() -> None:
    records = sorted((DOCS / "adr").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert records, "docs/adr/ holds no decision record"
    numbers = [int(p.name[:4]) for p in records]
    assert numbers == list(range(1, len(records) + 1)), f"ADR numbers have gaps: {numbers}"
    for record in records:
        text = record.read_text(encoding="utf-8")
        for heading in ("## Context", "## Decision", "## Consequences"):
            assert heading in text, f"{record.name} has no '{heading}'"


def test_readme_starts_with_the_two_commands() -> None:
    first = _FENCE.search(README.read_text(encoding="utf-8"))
    assert first is not None and "make demo" in first.group(1) and "make test" in first.group(1)


# The checks above must be able to fail.


def test_invocation_parser_stops_at_arguments() -> None:
    text = "Run `confianza officers import roster.csv --mapping m.toml` and\n```\n" \
           "$ .venv/bin/confianza db upgrade\nconfianza.web.app\n```\n"
    assert sorted(named_invocations(text)) == [["db", "upgrade"], ["officers", "import"]]


def test_matrix_marks_exactly_the_granted_permissions() -> None:
    matrix = render_permission_matrix()
    row = next(r for r in matrix.splitlines() if f"`{Permission.AUDIT_READ.value}`" in r)
    cells = [c.strip() for c in row.strip("|").split("|")[1:]]
    assert [Role(r) for r, c in zip(list(Role), cells, strict=True) if c == "yes"] == [
        r for r in Role if Permission.AUDIT_READ in ROLE_PERMISSIONS[r]
    ]


def main() -> None:
    """Rewrite the generated tables in place."""
    for path, markers, render in GENERATED:
        text = path.read_text(encoding="utf-8")
        if _block(text, markers) is None:
            sys.exit(f"{path}: markers {markers} not found")
        path.write_text(_replace_block(text, markers, render()), encoding="utf-8")
        print(f"rewrote the generated table in {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
