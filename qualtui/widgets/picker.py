"""`Picker`: Textual's Select for a choice that always has a value, shown from the start."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.widgets import Select
from textual.widgets._select import SelectCurrent  # not exported; styled here as Select does


class Picker(Select[str]):
    """A Select that always has a value (no blank), mounted with its value's line already
    marked as having one. Select marks it (the class `-has-value`) once mounted, which
    restyled the line and its three parts: about 1 ms a picker on the way to the complete
    frame, for a class it always ends with."""

    def __init__(
        self,
        options: Iterable[tuple[RenderableType, str]],
        *,
        value: str,
        id: str,
        disabled: bool = False,
    ) -> None:
        super().__init__(options, value=value, allow_blank=False, id=id, disabled=disabled)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, SelectCurrent):
                widget.add_class("-has-value", update=False)  # not mounted: styled once
                widget.set_reactive(SelectCurrent.has_value, True)
            yield widget
