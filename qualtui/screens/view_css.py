"""Looks several views share. A class's DEFAULT_CSS is scoped to that class, so each view
carries its own copy of these rules, made here: the full-screen table views' (the plan's
diff, qualification requests) and the progress line of the views that run many calls
(batch, worker profile)."""

from __future__ import annotations


def table_view_css(view: str, line: str) -> str:
    """A bold title, a line under it and a framed table that fills the rest: the rules for
    `#VIEW`, its `#VIEW-title`, the line `#LINE` under the title and its `#VIEW-table`."""
    return f"""
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #{view} {{
        padding: 0 1;
    }}
    #{view}-title {{
        text-style: bold;
        height: auto;
    }}
    #{line} {{
        height: auto;
        margin-top: 1;
    }}
    #{view}-table {{
        height: 1fr;
        border: round $frame;
        border-title-color: $text-muted;
    }}
    #{view}-table:focus {{
        border: round $border;
    }}
    """


def progress_row_css(row: str, bar: str, text: str) -> str:
    """A one-line row: the progress bar `#BAR` at its own width, then the muted `#TEXT`
    (a rate, a state) in the rest."""
    return f"""
    #{row} {{
        height: 1;
        padding: 0 1;
    }}
    #{bar} {{
        width: auto;
        margin-right: 2;
    }}
    #{text} {{
        width: 1fr;
        color: $text-muted;
    }}
    """
