"""The look the full-screen table views share (the plan's diff, qualification requests): a
bold title, a line under it, and a framed table that fills the rest. A class's DEFAULT_CSS
is scoped to that class, so each view carries its own copy of these rules, made here."""

from __future__ import annotations


def table_view_css(view: str, line: str) -> str:
    """The rules for `#VIEW`, its `#VIEW-title`, the line `#LINE` under the title and its
    `#VIEW-table`."""
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
