"""What every part of the main screen shares: its services, its widgets, the last result.

The widgets mounted after the first frame (the history, the change runner) and what they
need are imported when first used, never when the screen's modules are: the parts handle
their messages by name (`on_history_table_chosen`, ...), not with `@on(HistoryTable...)`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from qualtui.core.connection import Connection
from qualtui.core.services import Services
from qualtui.widgets.connection_bar import ConnectionBar
from qualtui.widgets.lookup_form import LookupForm
from qualtui.widgets.result_panel import ResultPanel

if TYPE_CHECKING:
    from qualtui.core.client import ClientCache
    from qualtui.core.history import Snapshot
    from qualtui.core.models import LookupResult
    from qualtui.core.qualification_types import TypeCache
    from qualtui.widgets.change_runner import ChangeRunner
    from qualtui.widgets.history_pane import HistoryPane
    from qualtui.widgets.history_table import HistoryTable


class MainParts(Screen[None]):
    """The base of the main screen's parts (lookups.py and its neighbours)."""

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.config = services.config
        self.last_result: LookupResult | None = None

    @property
    def clients(self) -> ClientCache:
        return self.services.clients

    @property
    def types(self) -> TypeCache:
        return self.services.types

    @property
    def form(self) -> LookupForm:
        return self.query_one(LookupForm)

    @property
    def panel(self) -> ResultPanel:
        return self.query_one(ResultPanel)

    @property
    def bar(self) -> ConnectionBar:
        return self.query_one(ConnectionBar)

    @property
    def history_pane(self) -> HistoryPane:
        from qualtui.widgets.history_pane import HistoryPane

        return self.query_one(HistoryPane)

    @property
    def history(self) -> HistoryTable:
        from qualtui.widgets.history_table import HistoryTable

        return self.query_one(HistoryTable)

    @property
    def runner(self) -> ChangeRunner:
        from qualtui.widgets.change_runner import ChangeRunner

        return self.query_one(ChangeRunner)

    @property
    def connection(self) -> Connection:
        return self.config.endpoints.connection(self.bar.profile, self.bar.environment)

    @property
    def writes_allowed(self) -> bool:
        return not self.config.read_only

    def show_history_change(self, snapshot: Snapshot, warning: str | None) -> None:
        """The App wrote the history: show it (unless the screen is already closing)."""
        from qualtui.widgets.history_pane import HistoryPane

        for pane in self.query(HistoryPane):
            pane.show_change(snapshot, warning)
