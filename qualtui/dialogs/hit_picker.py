"""Choose one or several of your HITs, to look up their workers (ListHITs, every page).

Titles and annotations are the requester's free text: shown literally, one line each.
"""

from __future__ import annotations

import threading
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
from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.hits import Hit, HitList, list_hits
from qualtui.core.text import one_line
from qualtui.core.word_filter import matches, query_words
from qualtui.dialogs.dialog_screen import DialogScreen

MIN_TITLE = 12  # the title column's narrowest (the rest of the row is fixed)
FIXED = 4 + 2 + 12 + 2 + 10 + 2 + 11  # mark, status, created, done/pend/avail (with gaps)


def fit(text: str, width: int) -> str:
    """Outside text in exactly `width` cells, one line: cut with … when longer."""
    line = one_line(text, 1000)
    if cell_len(line) > width:
        line = set_cell_size(line, width - 1) + "…"
    return set_cell_size(line, width)


def hit_line(hit: Hit, marked: bool, title_width: int) -> Content:
    """One HIT, one line: mark, title, status, created, completed / pending / available.
    Every part is literal text (a `[bold]` title stays that text)."""
    created = f"{hit.created:%Y-%m-%d}" if hit.created else "?"
    counts = f"{hit.completed}/{hit.pending}/{hit.available}"
    return Content.assemble(
        ("[x] " if marked else "[ ] ", "$accent" if marked else "$text-muted"),
        (fit(hit.title or "(no title)", title_width), "bold"),
        f"  {fit(hit.status, 12)}",
        (f"  {created:<10}", "$text-muted"),
        f"  {fit(counts, 11)}",
    )


def header_line(title_width: int) -> str:
    return f"{fit('Title', title_width)}  {'Status':<12}  {'Created':<10}  Done/Pend/Avail"


def hit_details(hit: Hit) -> Content:
    """The highlighted HIT in full: title, ID, annotation, assignments (literal text)."""
    parts: list[tuple[str, str] | str] = [
        (one_line(hit.title or "(no title)", 300), "bold"),
        "\n",
        (hit.id, "$text-muted"),
        f"  ·  {hit.max_assignments} assignments",
    ]
    if hit.annotation:
        parts += ["  ·  ", (one_line(hit.annotation, 200), "italic")]
    return Content.assemble(*parts)


class HitPickerScreen(DialogScreen[tuple[str, ...] | None]):
    """Every HIT of the account, newest first; Space marks, Enter looks up their workers
    (the highlighted HIT when none is marked)."""

    DEFAULT_CSS = """
    $frame: $foreground 25%;  /* as in qualtui.tcss: a variable is the stylesheet's own */
    #hit-picker {
        width: 120;
        height: 90%;
        padding: 0 1;
    }
    #hit-picker .dialog-title {
        margin-bottom: 0;
    }
    #hit-header {
        color: $text-muted;
        text-style: bold;
        padding-left: 6;  /* the list's border and padding, and the mark */
        text-wrap: nowrap;
    }
    #hit-list {
        height: 1fr;
        border: round $frame;
    }
    #hit-list:focus {
        border: round $border;
    }
    #hit-status {
        color: $text-muted;
        height: auto;
    }
    #hit-detail {
        height: auto;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    @dataclass
    class Progress(Message):
        generation: int
        listed: int

    @dataclass
    class Loaded(Message):
        generation: int
        hits: HitList

    BINDINGS = [
        Binding(
            "escape",
            "dismiss(None)",
            "Cancel",
            id="hits.cancel",
            tooltip="Close the list of HITs (stops listing them)",
        ),
        Binding(
            "space",
            "mark",
            "Mark",
            id="hits.mark",
            tooltip="Mark or unmark the highlighted HIT",
        ),
        Binding("down", "to_list", "List", show=False),
    ]

    def __init__(self, clients: ClientCache, connection: Connection) -> None:
        super().__init__(classes="dialog-screen")
        self.clients = clients
        self.connection = connection
        self.loaded: HitList | None = None
        self.marked: dict[str, None] = {}  # in the order marked
        self.shown: list[Hit] = []
        self._loads = Generation()
        self._cancel = threading.Event()
        self._searches: dict[str, str] = {}  # HIT ID -> its haystack

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="hit-picker"):
            yield Static("Your HITs: look up their workers", classes="dialog-title")
            yield Input(placeholder="Search by title, annotation or HIT ID", id="hit-search")
            yield Static("", id="hit-header", markup=False)
            yield OptionList(id="hit-list")
            yield Static("", id="hit-detail", markup=False)
            yield Static("Listing your HITs…", id="hit-status", markup=False)

    def on_mount(self) -> None:
        self.query_one("#hit-search", Input).focus()
        self.load()

    def on_unmount(self) -> None:
        self._cancel.set()  # no page starts after the picker is gone

    # ------------------------------------------------------------------ listing

    def load(self) -> None:
        """List the HITs (again): an answer to an earlier listing is dropped."""
        self._cancel.set()
        self._cancel = threading.Event()
        self._list(self._loads.next(), self._cancel)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _list(self, generation: int, cancel: threading.Event) -> None:
        def page(listed: int) -> None:
            self.post_message(self.Progress(generation, listed))

        hits = list_hits(self.clients, self.connection, on_page=page, cancel=cancel)
        self.post_message(self.Loaded(generation, hits))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        if message.generation == self._loads.current and self.loaded is None:
            self._status(f"Listing your HITs… {message.listed:,} so far · Esc cancels")

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if not self._loads.accept(message.generation):
            return
        self.loaded = message.hits
        self._searches = {h.id: h.search_text for h in message.hits.hits}
        self._show()

    # ------------------------------------------------------------------ showing

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#hit-list", OptionList)

    def _status(self, text: str) -> None:
        self.query_one("#hit-status", Static).update(text)

    @on(Input.Changed, "#hit-search")
    def _search(self) -> None:
        self._show()

    def title_width(self) -> int:
        """What the list's width leaves for titles (the scroll bar included)."""
        width = self.option_list.scrollable_content_region.width
        return max(MIN_TITLE, width - FIXED - 3)

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show)

    def _show(self) -> None:
        loaded = self.loaded
        if loaded is None:
            return
        if loaded.failure is not None:
            failure = loaded.failure
            self._status(one_line(f"{failure.title}: {failure.explanation} {failure.fix}", 400))
            return
        words = query_words(self.query_one("#hit-search", Input).value)
        self.shown = [h for h in loaded.hits if matches(self._searches[h.id], words)]
        option_list = self.option_list
        highlighted = option_list.highlighted
        width = self.title_width()
        self.query_one("#hit-header", Static).update(header_line(width))
        option_list.clear_options()
        option_list.add_options(
            Option(hit_line(h, h.id in self.marked, width), id=h.id) for h in self.shown
        )
        if self.shown:
            option_list.highlighted = min(highlighted or 0, len(self.shown) - 1)
        else:
            self.query_one("#hit-detail", Static).update("")
        self._update_status()

    @on(OptionList.OptionHighlighted, "#hit-list")
    def _highlighted_changed(self, event: OptionList.OptionHighlighted) -> None:
        hit = next((h for h in self.shown if h.id == event.option.id), None)
        if hit is not None:
            self.query_one("#hit-detail", Static).update(hit_details(hit))

    def _update_status(self) -> None:
        loaded = self.loaded
        if loaded is None or loaded.failure is not None:
            return
        total = len(loaded.hits)
        if not total:
            self._status("You have no HITs in this environment (MTurk deletes old ones).")
            return
        more = " (the first 50,000)" if loaded.truncated else ""
        marked = f" · {len(self.marked)} marked" if self.marked else ""
        self._status(
            f"{len(self.shown)} of {total} HITs{more}{marked} · Space marks · "
            "Enter: their workers · Esc cancels"
        )

    # ------------------------------------------------------------------ choosing

    def _highlighted(self) -> str | None:
        option_list = self.option_list
        if not option_list.option_count or option_list.highlighted is None:
            return None
        return option_list.get_option_at_index(option_list.highlighted).id

    def action_mark(self) -> None:
        hit_id = self._highlighted()
        if hit_id is None:
            return
        if hit_id in self.marked:
            del self.marked[hit_id]
        else:
            self.marked[hit_id] = None
        hit = next(h for h in self.shown if h.id == hit_id)
        prompt = hit_line(hit, hit_id in self.marked, self.title_width())
        self.option_list.replace_option_prompt(hit_id, prompt)
        self._update_status()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a space in the search box is a space
        return not (action == "mark" and isinstance(self.focused, Input))

    @on(Input.Submitted, "#hit-search")
    @on(OptionList.OptionSelected, "#hit-list")
    def _choose(self) -> None:
        if self.marked:
            self.dismiss(tuple(self.marked))
            return
        hit_id = self._highlighted()
        if hit_id is not None:
            self.dismiss((hit_id,))

    def action_to_list(self) -> None:
        self.option_list.focus()
