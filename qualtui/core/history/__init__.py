"""The lookup history: a JSON file that is never lost, never corrupted, and shared safely.

Modules
-------
- `entry`: one remembered lookup (`HistoryEntry`, `ErrorSummary`) and its JSON codec.
- `file_format`: the file's bytes: parse (keeping what is readable), serialize, merge, trim.
- `typed_decoder`: the fast path of parse (msgspec's typed JSON decoder) for well-formed
  files; anything it does not take is read entry by entry, so both read the same entries.
- `archive`: where what the caps trim is kept (`history-archive.jsonl`).
- `journal`: the changes since the file was last written (`history-journal.jsonl`).
- `live_entries`, `entry_view`: the history in memory (O(1) appends) and the snapshot's
  view of it (no copy).
- `store`: the locked file and its journal (`HistoryStore`, `Snapshot`, `LoadReport`,
  `Peek` for the first look before the lock, `read_history` for tools that only read).
- `filter`: filtering entries as the user types (`HistoryFilter`).
- `export`: the history as CSV or JSON (imported on demand: `from qualtui.core.history
  import export`); writing an export file in general is `qualtui.core.export`.

The file (`history.json`, format version 2)
-------------------------------------------
`{"version": 2, "entries": [ENTRY, ...]}`. ENTRY is an object with `id`, `time` (UTC,
ISO 8601, milliseconds, `Z`), `profile`, `environment`, `region`, `endpoint_url`,
`qualification_type_id`, `worker_id`, optionally `qualification_type_name`, `qualification`
(MTurk's `Status`, `IntegerValue`, `LocaleValue`, `GrantTime`), `error` (`kind`, `code`,
`turk_error_code`, `message`), `run_id` and `change` (an entry that records a change rather
than a lookup: `kind`, `before`, `after`, `outcome`, `notified`, optionally `reason`,
`checked`, `failure`, `warnings`, `request_id`, `undoes`; see `core.changes.change`; files
without it load unchanged). A worker profile is one entry with `worker_profile` (`types`,
`held`, `revoked`) and an empty `qualification_type_id`. No credentials, ever.

- Insertion order. Entries are kept in the order they were added (oldest first), never
  sorted by `time`: a clock stepped back or a synced file with times in the future must not
  make a new lookup look oldest and get trimmed. A change re-reads the file under the lock
  and appends this process's new entries after what is there.
- Runs. `run_id` is absent for an interactive lookup; every entry of one batch or one
  `qualtui lookup` run shares one id (`HistoryStore.append_run`; `append_many` is the same).
- Caps. Interactive lookups and run entries are capped apart: `cap` interactive lookups
  (the configured history_limit, else `DEFAULT_LIMIT`) and `run_cap` run entries
  (`DEFAULT_RUN_CAP`), each trimming only its own kind, oldest insertion first. So a run,
  however large, never evicts an interactive lookup. A per-run `--history-limit` passed as
  `limit` only raises the cap, never lowers it below the default (0 still turns history
  off): trimming never happens because of a per-run flag.
- Archive. What a cap trims is appended to `history-archive.jsonl` beside the file (one
  entry's JSON a line, the same codec; created 0600, fsynced before the trimmed file
  replaces the old one, so a crash can repeat a line but never lose one; readers take the
  first line of an id). `Snapshot.archived` counts what a change moved there. qualtui never
  reads the archive; it is the user's to keep, grep or delete.
- Damage, whenever it is found (at load, or at a save while the app is open): the file is
  moved aside as `history.json.corrupt-<UTC time>`, every readable entry is kept (at a save,
  merged with what this process knew), the result is written, and the caller is told
  (`LoadReport.notice` / `Snapshot.notice`, `.backup`). A file that could not be parsed is
  never written over. JSON that parses but is odd is damage too: a non-text id, nesting too
  deep to read, a lone surrogate, a time outside the years 1900 to 9000.
- Not a file. A FIFO, folder, device or socket at the path is refused with a message (never
  opened for a blocking read, never replaced); so is a file over `MAX_FILE_BYTES`. A
  symlink is written through: its target is read and atomically replaced (the temporary
  file and the lock beside the target), the link stays.

The journal (`history-journal.jsonl`)
-------------------------------------
The history is `history.json` with the journal's lines applied in order: `{"add": ENTRY}`,
`{"delete": ID}` (deleted, or trimmed after its archive line was written), `{"clear":
true}`. A change appends its lines (fsynced, 0600, under the file lock, after reading what
others appended since); the journal is folded into the file (one atomic rewrite, then
removed) once it is over a quarter of the file's size, at most `FOLD_MAX_BYTES`. Applying
a line twice changes nothing, so a crash between the rewrite and the removal loses
nothing. An unreadable line, or a last line without its newline (a crash mid-append), is
damage: the journal is set aside as `history-journal.jsonl.corrupt-<UTC time>`, what it
held that could be read is kept, and the whole is folded into the file. A FIFO or anything
else that is not a regular file at the journal's path is refused like one at the file's.

Reading at scale
----------------
A parse pauses the garbage collector (many objects, no cycles) and decodes a file in
`serialize`'s shape 2,000 entries per call, so the UI thread gets the GIL between pieces.
The store reads and parses the file before taking any lock, then under the file lock only
checks that it is the file it parsed (inode, size, times; atomic writes replace the file,
never change it), reads the journal from where it stopped, and appends; a file replaced in
between is read again. Unchanged files are never re-read. The lock `snapshot()` takes (the
UI's) is held only for changes in memory.

Versions
--------
- Version 1 (qualtui before run ids: entries sorted by time, which was their insertion order,
  no `run_id`) is read unchanged and in its order; the next write upgrades it to version 2.
- Version 2 adds `run_id`, insertion order and the archive. A version-1 qualtui refuses a
  version-2 file (it is newer): it leaves it untouched and saves nothing that session, so an
  older qualtui never destroys run ids or trims interactive lookups by a single cap.
- A file with a version above `SCHEMA_VERSION` is never written: loading says so and the
  session's lookups stay in memory only.
- An export (`qualtui history export --format json`) is `{"version": 1, "entries": [...]}`
  with the same entry objects: it reads back as a history file.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualtui.core.history.archive import archive_path
    from qualtui.core.history.caps import DEFAULT_LIMIT, DEFAULT_RUN_CAP
    from qualtui.core.history.entry import ErrorSummary, HistoryEntry, ProfileNote
    from qualtui.core.history.file_format import SCHEMA_VERSION, Parsed, merge, parse, serialize
    from qualtui.core.history.filter import HistoryFilter, haystack
    from qualtui.core.history.store import (
        LOCK_TIMEOUT,
        MAX_FILE_BYTES,
        HistoryError,
        HistoryStore,
        LoadReport,
        Peek,
        Snapshot,
        read_history,
    )

_MODULE_OF = {
    "archive_path": "archive",
    "DEFAULT_LIMIT": "caps",
    "DEFAULT_RUN_CAP": "caps",
    "ErrorSummary": "entry",
    "HistoryEntry": "entry",
    "ProfileNote": "entry",
    "SCHEMA_VERSION": "file_format",
    "Parsed": "file_format",
    "merge": "file_format",
    "parse": "file_format",
    "serialize": "file_format",
    "HistoryFilter": "filter",
    "haystack": "filter",
    "LOCK_TIMEOUT": "store",
    "MAX_FILE_BYTES": "store",
    "HistoryError": "store",
    "HistoryStore": "store",
    "LoadReport": "store",
    "Peek": "store",
    "Snapshot": "store",
    "read_history": "store",
}
"""Where each name of the package lives. A name is imported when first asked for (PEP 562):
the first frame needs the entry and the caps, not the store and its file lock."""


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_LIMIT",
    "DEFAULT_RUN_CAP",
    "LOCK_TIMEOUT",
    "MAX_FILE_BYTES",
    "SCHEMA_VERSION",
    "ErrorSummary",
    "HistoryEntry",
    "HistoryError",
    "HistoryFilter",
    "HistoryStore",
    "LoadReport",
    "Parsed",
    "Peek",
    "ProfileNote",
    "Snapshot",
    "archive_path",
    "haystack",
    "merge",
    "parse",
    "read_history",
    "serialize",
]
