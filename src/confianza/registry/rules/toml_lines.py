"""Where a key of a TOML file is written: the line an error about it should name.

`tomllib` gives values, not positions, so a mapping's "unknown key" or "bad value" would name
only the key. This reads the text once more, line by line, the way a person does: table
headers, `key = value` lines and the keys of inline tables. It is an approximation (a key
inside a multi-line string could fool it) that is only ever used to point at a line, never to
read a value; when a key cannot be placed, the nearest enclosing key that can is named.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from confianza.core.errors import FieldError, ValidationFailed

#: A key path: table and key names, with the index of an array-of-tables item ([[x]]) as an int.
KeyPath = tuple[str | int, ...]

_BARE_OR_QUOTED = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*"
_HEADER = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]\]?")
_KEY_LINE = re.compile(rf"^\s*({_DOTTED})\s*=")
_PART = re.compile(_BARE_OR_QUOTED)
_INLINE_KEY = re.compile(rf"\s*({_DOTTED})\s*=\s*")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(p.strip("\"'") for p in _PART.findall(dotted))


class KeyLines:
    """The first line (1-based) on which each key path of a TOML text is written."""

    def __init__(self, text: str) -> None:
        self._lines: dict[KeyPath, int] = {}
        table: KeyPath = ()
        counts: dict[KeyPath, int] = {}
        for number, line in enumerate(text.splitlines(), 1):
            stripped = line.strip()
            if not stripped or stripped.startswith("#"):
                continue
            if header := _HEADER.match(line):
                path: KeyPath = _parts(header.group(2))
                if header.group(1) == "[[":
                    counts[path] = counts.get(path, -1) + 1
                    self._note(path, number)
                    path = (*path, counts[path])
                table = path
                self._note(path, number)
                continue
            if key := _KEY_LINE.match(line):
                path = (*table, *_parts(key.group(1)))
                self._note(path, number)
                self._inline(line[key.end():], path, number)

    def _note(self, path: KeyPath, number: int) -> None:
        for end in range(1, len(path) + 1):
            self._lines.setdefault(path[:end], number)

    def _inline(self, rest: str, base: KeyPath, number: int) -> None:
        """The keys of inline tables written on one line: `a = { b = 1, c = { d = 2 } }`."""
        stack: list[KeyPath] = [base]
        last: KeyPath = base
        i = 0
        while i < len(rest):
            char = rest[i]
            if char in "\"'":
                end = rest.find(char, i + 1)
                while char == '"' and end > 0 and rest[end - 1] == "\\":
                    end = rest.find(char, end + 1)
                i = len(rest) if end < 0 else end + 1
                continue
            if char == "#":
                return
            if char == "{":
                stack.append(last)
            elif char == "}" and len(stack) > 1:
                stack.pop()
            if char in "{," and len(stack) > 1 and (key := _INLINE_KEY.match(rest, i + 1)):
                last = (*stack[-1], *_parts(key.group(1)))
                self._note(last, number)
                i = key.end()
                continue
            i += 1

    def line_of(self, path: Sequence[str | int]) -> int | None:
        """The line of a key, or of the nearest enclosing key that is written; None if none."""
        path = tuple(path)
        while path:
            if (found := self._lines.get(path)) is not None:
                return found
            path = path[:-1]
        return None


def dotted(path: Sequence[str | int]) -> str:
    """A key path as a person writes it: fields.sex.values, setup.agencies[2].level."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# What every mapping reader (rosters, complaint files) says of a key: where it is, what was
# meant, and a file that is not TOML at all.


class Where:
    """Names the place of a key in a mapping or set-up file: file, line and key."""

    def __init__(self, source: str, text: str = "") -> None:
        self.source = source
        self._lines = KeyLines(text)

    def at(self, path: KeyPath) -> str:
        line = self._lines.line_of(path)
        return f"{self.source}:{line}:{dotted(path)}" if line else f"{self.source}:{dotted(path)}"

    def fault(self, path: KeyPath, reason: str) -> FieldError:
        return FieldError(self.at(path), reason)

    def fail(self, path: KeyPath, reason: str) -> ValidationFailed:
        return ValidationFailed(self.fault(path, reason))


def suggest(word: str, allowed: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest allowed word, or nothing."""
    close = difflib.get_close_matches(word, sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_keys(where: Where, path: KeyPath, keys: Iterable[str], allowed: Iterable[str],
                 what: str = "key") -> list[FieldError]:
    """A fault for each key that is not an allowed one, with the nearest allowed word."""
    allowed = frozenset(allowed)
    return [where.fault((*path, key), f"unknown {what} {key!r}{suggest(key, allowed)}; "
                        f"allowed: {', '.join(sorted(allowed))}")
            for key in keys if key not in allowed]


def section_faults(where: Where, data: Mapping[str, Any],
                   sections: Mapping[str, Iterable[str] | None]) -> list[FieldError]:
    """The faults of a mapping file's sections: one not in `sections`, one that is not a
    table, and within each the keys it does not allow (None: any key)."""
    errors = unknown_keys(where, (), data, sections, "section")
    for section, allowed in sections.items():
        body = data.get(section)
        if body is not None and not isinstance(body, dict):
            errors.append(where.fault((section,), "must be a table"))
        elif allowed is not None and isinstance(body, dict):
            errors += unknown_keys(where, (section,), body, allowed, "key")
    return errors


def read_toml(text: str, source: str) -> dict[str, Any]:
    """The file's values; a file that is not TOML is refused naming its line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib says "(at line 3, column 7)": the location names the line like every other.
        found = re.search(r"at line (\d+), column (\d+)", str(exc))
        where = f"{source}:{found.group(1)}:{found.group(2)}" if found else source
        reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ValidationFailed(FieldError(where, f"is not valid TOML: {reason}")) from exc
