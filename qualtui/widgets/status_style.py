"""One colour per outcome, from the theme: the result panel, the history, the batch results
and the holders list all use this map, so the light theme gets its own greens and reds."""

from __future__ import annotations

from textual.app import App

# outcome -> theme variable ("not held" as tables show it, "not_held" as history stores it)
STATUS_VARIABLE = {
    "Granted": "text-success",
    "Revoked": "text-error",
    "not held": "text-warning",
    "not_held": "text-warning",
    "error": "text-error",
}


def status_markup_style(status: str, *, bold: bool = False) -> str:
    """A Content style ('bold $text-success'), resolved by Textual when drawn."""
    variable = STATUS_VARIABLE.get(status)
    style = f"${variable}" if variable else ""
    return f"bold {style}".strip() if bold else style


def status_colour(app: App[object], status: str) -> str:
    """The theme's colour for a Rich Text cell (DataTable cells are Rich Text)."""
    variable = STATUS_VARIABLE.get(status)
    return app.theme_variables.get(variable, "") if variable else ""
