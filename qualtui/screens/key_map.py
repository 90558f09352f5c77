"""Every view's keys, read from the real bindings: the help screen (F1) is made from this,
so it cannot drift from what the keys do."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import App
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Input

from qualtui.dialogs.help import KeySection, key_label
from qualtui.dialogs.hit_picker import HitPickerScreen
from qualtui.screens.batch import BatchScreen
from qualtui.screens.holders import HoldersScreen
from qualtui.screens.main import MainScreen
from qualtui.screens.plan_diff import PlanDiffScreen
from qualtui.screens.requests import RequestsScreen
from qualtui.screens.worker_profile import WorkerProfileScreen
from qualtui.widgets.history_pane import FilterInput
from qualtui.widgets.history_table import HistoryTable
from qualtui.widgets.results_table import SORT_BINDINGS, TABLE_BINDINGS

# Text-editing keys worth knowing, from Textual's own Input bindings.
TEXT_ACTIONS = (
    "delete_left_all",
    "delete_right_all",
    "delete_left_word",
    "home",
    "end",
    "select_all",
    "cut",
    "copy",
    "paste",
)

PAGE_ACTIONS = ("page_up", "page_down")


def _keys(bindings: Iterable[BindingType]) -> tuple[tuple[str, str], ...]:
    rows = []
    for binding in bindings:
        if not isinstance(binding, Binding) or binding.system or not binding.description:
            continue
        keys = [k for k in binding.key.split(",") if not k.strip().startswith("super+")]
        label = " ".join(key_label(key) for key in keys)  # (Super+: macOS variants)
        rows.append((label, binding.tooltip or binding.description))
    return tuple(rows)


def key_sections(app_bindings: Iterable[BindingType]) -> list[KeySection]:
    palette = (key_label(App.COMMAND_PALETTE_BINDING), "Command palette: every action, themes")
    app_keys = (*_keys(app_bindings), palette, *_keys(App.BINDINGS))  # App's: Ctrl+Q
    paging = (b for b in DataTable.BINDINGS if isinstance(b, Binding) and b.action in PAGE_ACTIONS)
    text_keys = _keys(
        b for b in Input.BINDINGS if isinstance(b, Binding) and b.action in TEXT_ACTIONS
    )
    return [
        KeySection("Everywhere", app_keys),
        KeySection("Lookup (Enter in either ID field looks up)", _keys(MainScreen.BINDINGS)),
        KeySection(
            "History (Enter on a row fills the ID fields)",
            (
                *_keys(b for b in HistoryTable.BINDINGS if b not in TABLE_BINDINGS),
                *_keys(FilterInput.BINDINGS),
            ),
        ),
        KeySection("Batch lookup (F7)", _keys(BatchScreen.BINDINGS)),
        KeySection(
            "Your HITs (Ctrl+O in batch; Enter: the marked HITs' workers)",
            _keys(HitPickerScreen.BINDINGS),
        ),
        KeySection(
            "Workers holding (F8; Enter on a worker looks them up)",
            _keys(HoldersScreen.BINDINGS),
        ),
        KeySection("Bulk change: the dry run's diff", _keys(PlanDiffScreen.BINDINGS)),
        KeySection("Qualification requests (F12)", _keys(RequestsScreen.BINDINGS)),
        KeySection("In every table", (*_keys(TABLE_BINDINGS), *_keys(paging))),
        KeySection("In the batch, holders and worker profile tables", _keys(SORT_BINDINGS)),
        KeySection(
            "Worker profile (F10; Enter on a type looks it up)",
            _keys(WorkerProfileScreen.BINDINGS),
        ),
        KeySection("In a text field", text_keys),
    ]


def markdown_tables(app_bindings: Iterable[BindingType]) -> str:
    """The same sections as Markdown tables, for the README (scripts/readme_keys.py)."""
    out: list[str] = []
    for section in key_sections(app_bindings):
        out += [f"**{section.title}**", "", "| key | does |", "| --- | --- |"]
        for key, does in section.keys:
            cell = does.replace("|", "\\|")
            out.append(f"| {key} | {cell} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
