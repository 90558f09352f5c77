"""The batch view's keys (F7): its bindings, which the footer, the help screen and the
README's key table are generated from."""

from __future__ import annotations

from textual.binding import Binding, BindingType

from qualtui.widgets.change_runner import ROW_CHANGE_BINDINGS

BATCH_BINDINGS: list[BindingType] = [
    Binding(
        "ctrl+y",
        "copy_as_aws_cli",
        "Copy as AWS CLI",
        show=False,
        priority=True,  # over the worker list's redo
        id="batch.copy_as_aws_cli",
        tooltip="Copy the batch as an AWS CLI loop over the IDs",
    ),
    Binding(
        "escape",
        "cancel_or_back",
        "Back",  # short: the footer keeps every key at 120 columns ("Esc cancels" while running)
        id="batch.cancel",
        tooltip="Cancel the batch; when none runs, back to the lookup",
    ),
    Binding(
        "ctrl+r", "start", "Run", id="batch.run", tooltip="Look up every worker ID in the list"
    ),
    Binding(
        "ctrl+e",
        "export",
        "Export",
        priority=True,  # from any field too (over the text fields' end-of-line key)
        id="batch.export",
        tooltip="Export the results the filter shows (CSV or JSON)",
    ),
    Binding(
        "slash", "filter", "Filter", show=False, id="batch.filter", tooltip="Filter the results"
    ),
    Binding("q", "cancel_or_back", "Back", show=False, id="batch.back", tooltip="Same as Esc"),
    Binding(
        "f10",
        "worker_profile",
        "Worker",
        id="batch.worker_profile",
        tooltip="Worker profile of the row's worker",
    ),
    Binding(
        "ctrl+o",
        "pick_hits",
        "HITs",
        id="batch.hits",
        tooltip="Look up the workers of HITs you choose",
    ),
    Binding(
        "ctrl+t",
        "retry_failed",
        "Retry failed",
        show=False,
        id="batch.retry_failed",
        tooltip="Look up the failed workers again",
    ),
    *ROW_CHANGE_BINDINGS,
]
