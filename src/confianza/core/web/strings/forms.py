"""What the forms say about bad input (Spanish source; merged into `strings.TEXT`, translated
per request): a post refused for its CSRF token, a field longer than it may be, a booking sent
twice. Keys are unique across the whole catalogue: they start with "form_".
"""

from __future__ import annotations

from typing import Final

TEXT: Final[dict[str, str]] = {
    "form_csrf_refused": (
        "El formulario caducó o no corresponde a su sesión, así que no se guardó nada. "
        "Vuelva a la página, recárguela y envíe el formulario otra vez."
    ),
    "form_too_long": "Escriba como máximo {max} caracteres: el texto enviado es más largo.",
    "form_booking_unchanged": (
        "La evaluación ya estaba programada con estos evaluadores y fechas; no se guardó "
        "nada nuevo."
    ),
}
