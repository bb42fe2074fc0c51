"""The timeline pages' text (Spanish source; merged into `strings.TEXT`, translated per request).

Keys are unique across the whole catalogue: prefix them with "timeline_".
"""

from __future__ import annotations

from typing import Final

from confianza.web.i18n import Messages  # noqa: F401  (label tables are Messages)

TEXT: Final[dict[str, str]] = {
}
