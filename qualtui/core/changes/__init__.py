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
"""
