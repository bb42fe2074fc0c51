"""Text shared by several pages that no feature owns (Spanish source; merged into
`strings.TEXT`, translated per request).

Keys are unique across the whole catalogue: prefix them with "common_".
"""

from __future__ import annotations

from typing import Final

TEXT: Final[dict[str, str]] = {
    # A moment written out in UTC, as the audit log keeps it (`moment` comes from `momento`).
    "common_utc": "{moment} UTC",
    # The error page's title for a status without a page of its own (a 413, a 503 ...).
    "common_error": "Error",
}
