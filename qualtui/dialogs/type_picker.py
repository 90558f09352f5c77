"""F5: choose one of your own qualification types, searching by name or ID."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from qualtui.core.client import ClientCache
from qualtui.core.connection import Connection
from qualtui.core.qualification_types import TypeCache, TypeList
from qualtui.core.text import printable
from qualtui.core.word_filter import row_matches


class TypePickerScreen(ModalScreen[str | None]):
    """Lists ListQualificationTypes (yours, requestable or not); Enter picks one."""

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

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="type-picker"):
            yield Static("Your qualification types", classes="dialog-title")
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
        options = [
            Option(
                Content.assemble(
                    (printable(t.name), "bold"),
                    ("  " + t.id, "$text-muted"),
                    ("  inactive" if t.status == "Inactive" else "", "$text-warning"),
                ),
                id=t.id,
            )
            for t in matches
        ]
        option_list = self.query_one("#type-list", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0
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
