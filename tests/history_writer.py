"""A separate process that appends to a history file: `python tests/history_writer.py PATH
NAME COUNT`. It prints each entry's id once `append` has returned (the entry is committed),
so a test can kill it at any moment and know what must be in the file. COUNT 0 = forever."""

from __future__ import annotations

import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

from qualtui.core.history import HistoryEntry, HistoryStore


def main() -> None:
    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = HistoryStore(path, limit=1_000_000)
    store.load()
    n = 0
    while count == 0 or n < count:
        n += 1
        entry = HistoryEntry(
            id=f"{name}-{n}-{uuid.uuid4().hex[:8]}",
            time=datetime.now(timezone.utc),
            profile="default",
            environment="production",
            region="us-east-1",
            qualification_type_id="3TYPE",
            worker_id=f"A{name.upper()}{n}",
        )
        store.append(entry)
        print(entry.id, flush=True)


if __name__ == "__main__":
    main()
