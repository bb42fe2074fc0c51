"""Time comes from the injected clock: no module of the product reads the wall clock itself.

A direct `datetime.now()` or `date.today()` is how "today" went wrong for six hours a day (the
UTC date, not Mexico City's) and how a test comes to pass only at some hours. The one reading
is `confianza.core.civil_time.system_now`, behind the container's clock; everything else is
given the time. The check reads the source with `ast`, so an aliased import is caught too.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[3] / "src" / "confianza"
THE_CLOCK = PACKAGE / "core" / "civil_time.py"

# Calls that read the wall clock: (module or class, attribute).
READS = {
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
    ("time", "time"), ("time", "time_ns"), ("time", "localtime"), ("time", "gmtime"),
    ("time", "ctime"), ("time", "strftime"),
}


def clock_reads(source: str) -> list[tuple[int, str]]:
    """Where `source` reads the wall clock: `datetime.now(...)`, `date.today()`, `time.time()`
    and the like, however datetime or time was imported."""
    tree = ast.parse(source)
    names: dict[str, str] = {}  # local name -> "datetime" | "date" | "time"
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in {"datetime", "time"}:
            for alias in node.names:
                if node.module == "datetime" and alias.name in {"datetime", "date"}:
                    names[alias.asname or alias.name] = alias.name
                if node.module == "time" and alias.name in {"time", "time_ns", "localtime",
                                                            "gmtime", "ctime", "strftime"}:
                    names[alias.asname or alias.name] = f"time.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in {"datetime", "time"}:
                    names[alias.asname or alias.name] = f"module:{alias.name}"
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and names.get(func.id, "").startswith("time."):
            found.append((node.lineno, func.id))
        if not isinstance(func, ast.Attribute):
            continue
        owner = func.value
        # datetime.now / date.today, imported from the datetime module
        if isinstance(owner, ast.Name) and (names.get(owner.id), func.attr) in READS:
            found.append((node.lineno, f"{owner.id}.{func.attr}"))
        # time.time(), with `import time`
        if (isinstance(owner, ast.Name) and names.get(owner.id) == "module:time"
                and ("time", func.attr) in READS):
            found.append((node.lineno, f"{owner.id}.{func.attr}"))
        # datetime.datetime.now(), with `import datetime`
        if (isinstance(owner, ast.Attribute) and isinstance(owner.value, ast.Name)
                and names.get(owner.value.id) == "module:datetime"
                and (owner.attr, func.attr) in READS):
            found.append((node.lineno, f"{owner.value.id}.{owner.attr}.{func.attr}"))
    return found


def test_no_module_reads_the_wall_clock_but_the_clock() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == THE_CLOCK:
            continue
        for line, call in clock_reads(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {call}()")
    assert not offenders, (
        "read the injected clock (tx.now, tx.today, container.now(), container.today()) "
        "instead of the wall clock:\n" + "\n".join(offenders))


def test_the_clock_itself_reads_it() -> None:
    assert [call for _, call in clock_reads(THE_CLOCK.read_text(encoding="utf-8"))] == [
        "datetime.now"]


def test_the_check_sees_every_way_of_writing_a_read() -> None:
    source = (
        "import datetime\nimport time as t\nfrom datetime import date as d, datetime as dt\n"
        "from time import monotonic, time as wall\n"
        "a = datetime.datetime.now()\nb = d.today()\nc = dt.utcnow()\ne = t.time()\n"
        "f = wall()\ng = monotonic()\nh = dt.fromisoformat('2026-01-01')\n"
    )
    assert [line for line, _ in clock_reads(source)] == [5, 6, 7, 8, 9]
