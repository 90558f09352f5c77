"""The main screen: connection bar, ID inputs, result panel and history; its keys, what it
is made of, and which keys apply now. Each concern is a part beside this file."""

from __future__ import annotations

import asyncio
from concurrent.futures import Future
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal
from textual.widgets import Footer

from qualtui.core import collector
from qualtui.core.services import Services, owner
from qualtui.screens.main.changes import WRITE_ACTIONS, MainChanges
from qualtui.screens.main.clipboard import MainClipboard
from qualtui.screens.main.connection_check import MainConnectionCheck
from qualtui.screens.main.history_actions import MainHistoryActions
from qualtui.screens.main.lookups import MainLookups
from qualtui.widgets.connection_bar import ConnectionBar
from qualtui.widgets.demo_banner import DemoBanner
from qualtui.widgets.lookup_form import LookupForm
from qualtui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from qualtui.core.history import Peek

HISTORY_WAIT = 0.1
"""After the first frame, how long the rest of the screen may wait for the history's first
look (a usual history takes 10-20 ms; a large one is shown when loaded)."""

FOOTER_WITH_HISTORY_HIDES = frozenset(
    {"focus_history", "focus_connection", "pick_type", "holders", "copy_result", "set_score"}
)
"""Screen keys left out of the footer while the history has the focus (they still work)."""


class MainScreen(MainLookups, MainConnectionCheck, MainChanges, MainHistoryActions, MainClipboard):
    AUTO_FOCUS = "#type-id"  # one focus change at start-up, not two (each redraws the footer)
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (150, "-wide")]

    BINDINGS = [
        Binding(
            "escape",
            "cancel_lookup",
            "Cancel",
            show=False,
            id="main.cancel",
            tooltip="Cancel the lookup in progress",
        ),
        Binding("f2", "focus_lookup", "Lookup", id="main.lookup", tooltip="Go to the ID fields"),
        Binding("f3", "focus_history", "History", id="main.history", tooltip="Go to the history"),
        Binding(
            "f4",
            "focus_connection",
            "Connection",
            id="main.connection",
            tooltip="Go to the profile and environment pickers",
        ),
        Binding(
            "f5",
            "pick_type",
            "Types",
            id="main.types",
            tooltip="Pick one of your qualification types",
        ),
        Binding(
            "f6",
            "copy_command",
            "Copy command",
            id="main.copy_command",
            tooltip="Copy the command that fixes the error shown",
        ),
        Binding(
            "f7",
            "batch",
            "Batch",
            id="main.batch",
            tooltip="Batch lookup: many workers, one qualification type",
        ),
        Binding(
            "f8",
            "holders",
            "Holders",
            id="main.holders",
            tooltip="Workers holding the type in the ID field",
        ),
        Binding(
            "f9",
            "copy_result",
            "Copy",
            id="main.copy_result",
            tooltip="Copy the result as text (as JSON: from Ctrl+P)",
        ),
        Binding(
            "ctrl+y",
            "copy_as_aws_cli",
            "Copy as AWS CLI",
            show=False,
            id="main.copy_as_aws_cli",
            tooltip="Copy the lookup as an AWS CLI command",
        ),
        Binding(
            "f10",
            "worker_profile",
            "Worker",
            id="main.worker_profile",
            tooltip="Worker profile: all your types for the worker shown",
        ),
        Binding(
            "ctrl+s",
            "set_score",
            "Set score",
            id="main.set_score",
            tooltip="Set the result's score (80, +5 or -5)",
        ),
        Binding(
            "ctrl+g",
            "grant",
            "Grant",
            show=False,
            id="main.grant",
            tooltip="Grant the result's qualification",
        ),
        Binding(
            "ctrl+r",
            "revoke",
            "Revoke",
            show=False,
            id="main.revoke",
            tooltip="Revoke the result's qualification",
        ),
        Binding(
            "f12",
            "requests",
            "Requests",
            show=False,
            id="main.requests",
            tooltip="Qualification requests: accept or reject",
        ),
        Binding(
            "ctrl+b",
            "toggle_demo_banner",
            "Demo banner",
            show=False,
            id="main.demo_banner",
            tooltip="Hide or show the demo banner (remembered)",
        ),
        Binding(
            "ctrl+z",
            "switch_back",
            "Switch back",
            id="main.switch_back",
            tooltip="Undo the switch a history row made",
        ),
        Binding(
            "ctrl+f",
            "focus_filter",
            "Filter history",
            show=False,
            id="main.filter",
            tooltip="Filter the history",
        ),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self._complete = asyncio.Event()
        # The width's class now, not at the first resize: set after the first styling, it
        # restyled every widget of the first frame.
        breakpoints = self.HORIZONTAL_BREAKPOINTS
        self.add_class(*self._get_breakpoint_classes(self.app.size.width, breakpoints))

    def compose(self) -> ComposeResult:
        """The first frame: the lookup form ready for typing, the bar's note and the result
        panel. The rest (the pickers, the history, the key bar) is mounted right after it
        (`_mount_the_rest`)."""
        config = self.config
        if config.demo_examples:
            banner = DemoBanner(config.demo_examples)
            banner.display = not self.services.settings.hide_demo_banner
            yield banner
        yield ConnectionBar(
            config.profile,
            config.environment,
            config.endpoints,
            demo=config.demo,
            read_only=config.read_only,
            tls_unverified=config.client_settings.verify is False,
        )
        first_type = config.demo_examples[0].qualification_type_id if config.demo_examples else ""
        yield LookupForm(first_type)
        with Horizontal(id="main"):
            yield ResultPanel(config.clock)

    def on_mount(self) -> None:
        self._load_profiles()
        for notice in self.config.notices:
            self.notify(notice, title="Settings", severity="warning", timeout=10, markup=False)
        if self.config.demo:
            self._check_wanted = True
        self.call_after_refresh(self._mount_the_rest)

    async def _mount_the_rest(self) -> None:
        """After the first frame: the pickers, the lookup button (where the width shows it),
        the history, the key bar and the change runner (invisible). Keys other than
        characters typed into the form wait until the screen is complete (`wait_complete`);
        the background work starts after the frame that draws it."""
        peeking = self._peek_history()
        # The UI thread stands aside while the history is read (briefly: HISTORY_WAIT at
        # most): the first look's thread then has the interpreter to itself, and the rows
        # come in the same frame as the rest instead of a few frames later.
        await asyncio.wait([asyncio.wrap_future(peeking)], timeout=HISTORY_WAIT)
        from qualtui.widgets.change_runner import ChangeRunner
        from qualtui.widgets.history_pane import HistoryPane
        from qualtui.widgets.steady_footer import SteadyFooter

        try:
            pane = HistoryPane(self.services, peeking)
            await self.bar.mount_pickers()
            if not self.has_class("-narrow"):  # there it is hidden: mounted when it shows
                await self.form.mount_button()
            await self.query_one("#main", Horizontal).mount(pane)
            await self.mount_all([ChangeRunner(self.services), SteadyFooter()])
            self.history.writes = self.writes_allowed
        finally:
            self._complete.set()  # also if it failed: the app is closing, no key waits
        self.call_after_refresh(self._start_background_work)

    async def on_resize(self, event: events.Resize) -> None:
        """Wider than narrow: the lookup button shows, so it is mounted if it is not yet.
        (Run before Screen's own handler sets the width's class: the width is the event's.)"""
        narrow = "-narrow" in self._get_breakpoint_classes(
            event.size.width, self.HORIZONTAL_BREAKPOINTS
        )
        if self.complete and not narrow:
            await self.form.mount_button()

    def _peek_history(self) -> Future[Peek | None]:
        """Start the history's first look now, in a thread (the store and the decoder are
        imported there): the files read with no lock, shown in the complete frame. The
        pane loads them under the file lock once the start is over."""
        peeking: Future[Peek | None] = Future()
        services = self.services

        def peek() -> None:
            try:
                peeking.set_result(services.store.peek())
            except BaseException as error:
                peeking.set_exception(error)

        self.run_worker(peek, thread=True, group="history", exit_on_error=False)
        return peeking

    def _start_background_work(self) -> None:
        """The start is over: the garbage collector runs again (what exists is frozen), the
        history is loaded under its file lock, boto3 is imported and the connection
        checked, in threads."""
        collector.end_of_start()
        if self.query("#history-pane"):  # else the screen is closing
            self.history_pane.load()
        self._start_checking()

    @property
    def complete(self) -> bool:
        """Everything is mounted (the first frame shows the lookup form alone)."""
        return self._complete.is_set()

    async def wait_complete(self) -> None:
        await self._complete.wait()

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """What the footer shows: with the history focused, its keys first and only the
        screen's main keys after them (the rest still work, and help lists them), so the
        footer never overflows."""
        bindings = super().active_bindings
        panes = self.query("#history-pane")
        focused = self.focused
        if focused is None or not panes or panes.first() not in focused.ancestors_with_self:
            return bindings
        return {
            key: active
            for key, active in bindings.items()
            if not (active.node is self and active.binding.action in FOOTER_WITH_HISTORY_HIDES)
        }

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "copy_command":
            return self.fix_command is not None
        if action == "switch_back":
            return self._switched_from is not None
        if action == "toggle_demo_banner":
            return bool(self.config.demo_examples)
        if action in WRITE_ACTIONS:
            return self.writes_allowed
        return True

    def on_screen_suspend(self) -> None:
        # A dialog on top: its keys are not this screen's, so the footer beneath says nothing
        # (it still shows through the dialog's dimmed backdrop).
        for footer in self.query(Footer):
            footer.visible = False

    def on_screen_resume(self) -> None:
        for footer in self.query(Footer):
            footer.visible = True

    def action_toggle_demo_banner(self) -> None:
        for banner in self.query(DemoBanner):
            banner.display = not banner.display
            owner(self.app).keep_settings(hide_demo_banner=not banner.display or None)

    def action_focus_lookup(self) -> None:
        self.form.type_input.focus()
