"""The command line's help as Typer's Rich panels show it.

In Rich markup mode Typer keeps a help text's line breaks: the commands panel of a group shows
a command's first paragraph as written, and a command's own help shows its later paragraphs as
written. A docstring wrapped to the source's line length is therefore cut mid-sentence on the
screen ("explained by each rule and by⏎any, by role."). Help is written with line breaks only
between paragraphs (`help=` built from adjacent strings).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import typer
from typer.testing import CliRunner

from confianza.app.console import app


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    yield " ".join(("confianza", *path)), command
    for name, sub in getattr(command, "commands", {}).items():
        yield from _commands(sub, (*path, name))


def test_no_command_help_is_broken_inside_a_paragraph() -> None:
    found = list(_commands(typer.main.get_command(app)))
    assert len(found) > 90  # every group and command, not just the root
    wrapped = [name for name, command in found
               for paragraph in inspect.cleandoc(command.help or "").split("\n\n")
               if "\n" in paragraph and not paragraph.startswith("\b")]
    assert wrapped == []


def test_a_groups_panel_shows_each_command_in_whole_sentences() -> None:
    result = CliRunner().invoke(app, ["access", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert ("explain   The share of the period's reads of officers' records explained by each "
            "rule and by any, by role.") in result.output
