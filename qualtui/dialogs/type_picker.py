"""F5: choose one of your own qualification types, searching by name or ID. It says which
environment (and profile) it lists; names and IDs stand in aligned columns, or, when the
dialog is too narrow for both on a line, the ID under its name (a label never wraps)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection, environment_label
from qualtui.core.qualification_types import QualificationType, TypeCache, TypeList
from qualtui.core.text import one_line
from qualtui.core.word_filter import row_matches
from qualtui.dialogs.dialog_screen import DialogScreen

GAP = 2  # cells between the name and the ID
INACTIVE = "  inactive"
NARROWEST_NAME = 10  # below this, the ID goes under the name


def fitted(text: str, width: int) -> str:
    """`text` in exactly `width` cells: padded, or cut with an ellipsis."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(width - 1, 0)) + "…"


def shortened(text: str, width: int) -> str:
    """`text`, cut with an ellipsis to `width` cells (not padded)."""
    return text if cell_len(text) <= width else fitted(text, width)


def type_label(
    t: QualificationType, name_width: int, width: int, columns: bool, tag_column: bool
) -> Content:
    """One option: the name (literal, one line) and the ID, in columns or on two lines."""
    name = one_line(t.name, 200)
    inactive = t.status == "Inactive"
    if columns and tag_column:
        return Content.assemble(
            (fitted(name, name_width), "bold"),
            (" " * GAP + t.id, "$text-muted"),
            (INACTIVE if inactive else "", "$text-warning"),
        )
    if columns:  # no room for a column of tags: the name says it
        return Content.assemble(
            (fitted(name + (" (inactive)" if inactive else ""), name_width), "bold"),
            (" " * GAP + t.id, "$text-muted"),
        )
    return Content.assemble(
        (shortened(name, width), "bold"),
        "\n",
        (shortened(t.id, width - (len(INACTIVE) if inactive else 0)), "$text-muted"),
        (INACTIVE if inactive else "", "$text-warning"),
    )


def where_text(connection: Connection) -> str:
    where = f"In {environment_label(connection.environment)}"
    if connection.profile:
        where += f"  ·  profile {one_line(connection.profile, 60)}"
    return where


class TypePickerScreen(DialogScreen[str | None]):
    """Lists ListQualificationTypes (yours, requestable or not); Enter picks one."""

    DEFAULT_CSS = """
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #type-picker {
        width: 90;
        height: 80%;
        min-height: 16;
        max-height: 100%;
        padding: 0 1;
    }
    #type-title {
        margin-bottom: 0;
    }
    #type-where {
        color: $text-muted;
        margin-bottom: 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #type-search {
        margin-bottom: 0;
    }
    #type-list {
        height: 1fr;
        border: round $frame;
        /* the labels are sized to the room: a scrollbar arriving later must not take it */
        scrollbar-gutter: stable;
    }
    #type-list:focus {
        border: round $border;
    }
    #type-status {
        color: $text-muted;
        height: auto;
    }
    """

    @dataclass
    class Loaded(Message):
        """The types were listed (in a worker thread)."""

        types: TypeList

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(self, clients: ClientCache, types: TypeCache, connection: Connection) -> None:
        super().__init__(classes="dialog-screen")
        self.clients = clients
        self.types = types
        self.connection = connection
        self.loaded: TypeList | None = None
        self.shown_in_columns = True
        self._query = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="type-picker"):
            yield Static("Your qualification types", classes="dialog-title", id="type-title")
            yield Static(where_text(self.connection), markup=False, id="type-where")
            yield Input(placeholder="Search by name or ID", id="type-search")
            yield OptionList(id="type-list")
            yield Static("Loading…", id="type-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#type-search", Input).focus()
        self._load()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _load(self) -> None:
        self.post_message(self.Loaded(self.types.own_types(self.clients, self.connection)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.loaded = message.types
        self._show(self.query_one("#type-search", Input).value)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(lambda: self._show(self.query_one("#type-search", Input).value))

    @on(Input.Changed, "#type-search")
    def _search(self, event: Input.Changed) -> None:
        self._show(event.value)

    def _show(self, query: str) -> None:
        loaded = self.loaded
        status = self.query_one("#type-status", Static)
        if loaded is None:
            return
        if loaded.failure is not None:
            status.update(f"{loaded.failure.title}: {loaded.failure.fix}")
            return
        matches = [t for t in loaded.types if row_matches((t.name, t.id, t.description), query)]
        changed_query = query != self._query
        option_list = self.query_one("#type-list", OptionList)
        room = option_list.scrollable_content_region.width
        width = room - 2 if room > 2 else 80  # (no room yet before the first layout)
        id_width = max((len(t.id) for t in matches), default=30)
        tag = len(INACTIVE) if any(t.status == "Inactive" for t in matches) else 0
        longest = max((cell_len(one_line(t.name, 200)) for t in matches), default=0)
        name_width = min(longest, width - GAP - id_width - tag)
        tag_column = name_width >= min(longest, NARROWEST_NAME)
        if not tag_column:
            name_width = min(longest, width - GAP - id_width)
        columns = name_width >= min(longest, NARROWEST_NAME)
        options = [
            Option(type_label(t, name_width, width, columns, tag_column), id=t.id) for t in matches
        ]
        self.shown_in_columns = columns
        highlighted = option_list.highlighted_option
        option_list.clear_options()
        option_list.add_options(options)
        if options:  # the same type stays highlighted (a new search: the first match)
            kept = highlighted.id if highlighted is not None and not changed_query else None
            ids = [t.id for t in matches]
            option_list.highlighted = ids.index(kept) if kept in ids else 0
        self._query = query
        total = len(loaded.types)
        more = " (first 5,000)" if loaded.truncated else ""
        status.update(
            f"{len(matches)} of {total} types{more} · Enter picks · Esc cancels"
            if total
            else "You own no qualification types in this environment."
        )

    @on(Input.Submitted, "#type-search")
    def _pick_first(self) -> None:
        option_list = self.query_one("#type-list", OptionList)
        if option_list.option_count:
            self._pick(option_list.get_option_at_index(option_list.highlighted or 0).id)

    @on(OptionList.OptionSelected, "#type-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._pick(event.option.id)

    def _pick(self, type_id: str | None) -> None:
        if type_id:
            self.dismiss(type_id)

    def action_to_list(self) -> None:
        self.query_one("#type-list", OptionList).focus()
