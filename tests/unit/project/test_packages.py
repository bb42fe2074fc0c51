"""The feature packages as the pages see them: one name per template across every folder."""

from __future__ import annotations

from collections import Counter

from confianza.app.rendering import template_folders


def test_the_template_folders_are_the_shared_one_and_each_features() -> None:
    folders = template_folders()
    assert folders[0].parent.name == "web" and folders[0].parent.parent.name == "core"
    owners = {f.parent.name for f in folders[1:]}
    assert {"registry", "vetting", "certification", "credentials", "trail", "timeline",
            "dashboard", "home", "accounts"} <= owners


def test_no_two_folders_hold_a_template_of_the_same_name() -> None:
    """The loader takes the first folder that holds a name: a second one would never render."""
    names = Counter(
        path.relative_to(folder).as_posix()
        for folder in template_folders() for path in folder.rglob("*.html")
    )
    assert names, "no templates found"
    assert [name for name, count in names.items() if count > 1] == []


def test_the_kit_loads_nothing_of_the_product() -> None:
    """An outside verifier can use the kit alone: importing every kit module brings in no other
    module of the product (checked in a fresh interpreter, whatever this one has loaded)."""
    import subprocess
    import sys

    code = (
        "import importlib, pkgutil, sys, confianza.kit as kit\n"
        "for info in pkgutil.iter_modules(kit.__path__, 'confianza.kit.'):\n"
        "    importlib.import_module(info.name)\n"
        "print(sorted(m for m in sys.modules if m.startswith('confianza.')\n"
        "             and not m.startswith('confianza.kit')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_no_two_test_modules_share_a_file_name() -> None:
    """pytest imports each test file by its bare name (its folder put first on `sys.path`), and
    support modules are imported the same way: two files of one name anywhere under `tests/`
    make whichever loads second import the first, and the whole run stops at collection (as
    two `test_outside_sanctions.py`, unit and integration, once did)."""
    from pathlib import Path

    tests = Path(__file__).resolve().parents[2]
    names = Counter(p.name for p in tests.rglob("*.py")
                    if p.name not in ("__init__.py", "conftest.py"))
    assert [name for name, count in names.items() if count > 1] == []
