"""The history table: newest first; choosing a row fills the form from it."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable

from qualtui.core.history import HistoryEntry, Snapshot
from qualtui.core.text import printable

OUTCOME_STYLE = {"Granted": "green", "Revoked": "red", "not_held": "yellow"}
SHORT_ENV = {"production": "prod", "sandbox": "sandbox"}


def _cell(value: str, style: str = "") -> Text:
    """A cell that shows its text literally: DataTable would read a str as markup."""
    return Text(printable(value), style=style, no_wrap=True)


class HistoryTable(DataTable[Text]):
    """Past lookups. Enter or a click chooses one."""

    @dataclass
    class Chosen(Message):
        entry: HistoryEntry

    COLUMNS = ("When", "Env", "Qualification type", "Worker", "Outcome", "Score", "Locale")

    def __init__(self) -> None:
        super().__init__(id="history-table", cursor_type="row", zebra_stripes=True)
        self.border_title = "History"
        self._entries: dict[str, HistoryEntry] = {}
        self.revision = -1

    def on_mount(self) -> None:
        self.add_columns(*self.COLUMNS)

    def show(self, snapshot: Snapshot) -> None:
        """Show a snapshot newest first; one older than what is shown is ignored."""
        if snapshot.revision < self.revision:
            return
        self.revision = snapshot.revision
        entries = snapshot.entries
        self._entries = {e.id: e for e in entries}
        self.clear()
        for entry in reversed(entries):
            self.add_row(*self._cells(entry), key=entry.id)
        self.border_subtitle = f"{len(entries)} lookups" if entries else "no lookups yet"

    @staticmethod
    def _cells(entry: HistoryEntry) -> list[Text]:
        q = entry.qualification
        outcome = entry.outcome
        score = str(q.integer_value) if q and q.integer_value is not None else ""
        locale = str(q.locale) if q and q.locale else ""
        when = entry.time.astimezone().strftime("%m-%d %H:%M")
        return [
            _cell(when),
            _cell(SHORT_ENV.get(entry.environment, entry.environment)),
            _cell(entry.qualification_type_id),
            _cell(entry.worker_id),
            _cell(outcome.replace("_", " "), OUTCOME_STYLE.get(outcome, "" if q else "red")),
            _cell(score),
            _cell(locale),
        ]

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self._entries.get(str(event.row_key.value))
        if entry is not None:
            self.post_message(self.Chosen(entry))
