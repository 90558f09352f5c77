"""Writing qualifications (issue #17): one change verified, recorded, undone; bulk plans.

Modules (none imports textual; every function that calls MTurk blocks):
- `change`: plain data: `State`, `ChangeDetails` (the history entry's `change` field), `Change`.
- `writes`: one grant / set / revoke, verified by reading back (`change_qualification`).
- `record`: a change as a history entry and back; `ChangeRecorder` for runs.
- `plan`: bulk plans from the website's worker CSV, a WorkerId,Score CSV, or a list.
- `dry_run`: every worker's current value read as a batch, and the diff; nothing written.
- `apply`: a diff applied with bounded concurrency, cancellable, summary and undo plan.
- `undo`: the inverse of a recorded change or of a whole run.
- `requests`: qualification requests listed, accepted, rejected.
- `pool`: one function over many items on daemon threads (apply, answering requests).

For a UI, one change: `writes.preview_change` (blocking: one read) -> confirm ->
`writes.change_qualification(..., before=preview.before)` -> `record.record(store, change)`.
Bulk: `plan.*` -> `dry_run.dry_run` -> confirm with `Diff.counts_text()` ->
`apply.apply_diff(..., store=, cancel=, on_change=)` -> `apply.write_summary`. Undo:
`undo.preview_undo` -> `undo.apply_undo`, or `undo.undo_plan(record.run_changes(...))` ->
dry run -> apply. Requests: `requests.list_requests` -> `requests.answer_request` /
`answer_many`.
"""
