"""The integrity commands' mapping files: a path, or the name of one shipped in
`confianza.integrity.mappings` (the complaint files' and the sanctions lists' alike)."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import TypeVar

from confianza.core.errors import FieldError, ValidationFailed

_PACKAGE = "confianza.integrity.mappings"
Mapping = TypeVar("Mapping")


def load_mapping(reference: str, parse: Callable[[str, str], Mapping], *, kind: str,
                 shipped: Callable[[str], bool]) -> Mapping:
    """`parse` of the file at `reference`, or of the shipped mapping of that name among those
    `shipped` accepts (a wrong name is told the names it could have been, of its `kind`)."""
    path = Path(reference)
    if path.is_file():
        try:
            return parse(path.read_text("utf-8"), path.name)
        except (OSError, UnicodeError) as exc:
            raise ValidationFailed(FieldError(path.name, f"cannot be read: {exc}")) from exc
    name = reference.removesuffix(".toml")
    folder = resources.files(_PACKAGE)
    names = sorted(p.name[:-5] for p in folder.iterdir()
                   if p.name.endswith(".toml") and shipped(p.name[:-5]))
    if name not in names:
        raise ValidationFailed(FieldError(reference, f"no such mapping file (shipped {kind}: "
                                          f"{', '.join(names)})"))
    return parse(folder.joinpath(f"{name}.toml").read_text("utf-8"), f"{name}.toml")
