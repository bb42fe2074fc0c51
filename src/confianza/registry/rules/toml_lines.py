"""Where a key of a TOML file is written: the line an error about it should name.

`tomllib` gives values, not positions, so a mapping's "unknown key" or "bad value" would name
only the key. This reads the text once more, line by line, the way a person does: table
headers, `key = value` lines and the keys of inline tables. It is an approximation (a key
inside a multi-line string could fool it) that is only ever used to point at a line, never to
read a value; when a key cannot be placed, the nearest enclosing key that can is named.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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
