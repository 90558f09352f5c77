"""The history at scale, structurally (speed is in benchmarks/history_scale.py): the typed
decoder reads exactly what the entry-by-entry reader reads, the garbage collector is paused
while parsing and put back, and no lock is held while a file is parsed."""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from filelock import FileLock, Timeout
from hypothesis import given, settings
from hypothesis import strategies as st

from qualtui.core.history import HistoryEntry, HistoryStore, parse, serialize, typed_decoder
from qualtui.core.history import store as store_module
from tests.historyhelpers import entry, write_history

text = st.text(min_size=1, max_size=12)
maybe_text = st.one_of(st.none(), st.text(max_size=12))
zones = st.sampled_from([timezone.utc, timezone(timedelta(hours=5, minutes=30))])
times = st.builds(
    lambda moment, zone: moment.replace(tzinfo=timezone.utc).astimezone(zone),
    st.datetimes(min_value=datetime(1900, 1, 2), max_value=datetime(8999, 12, 30)),
    zones,
)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


raw_entries = st.fixed_dictionaries(
    {
        "id": text,
        "time": times.map(_iso),
        "environment": text,
        "region": text,
        "qualification_type_id": text,
        "worker_id": text,
    },
    optional={
        "profile": maybe_text,
        "endpoint_url": maybe_text,
        "qualification_type_name": maybe_text,
        "run_id": maybe_text,
        "qualification": st.fixed_dictionaries(
            {"Status": text},
            optional={
                "IntegerValue": st.one_of(st.none(), st.integers(-(2**63), 2**63 - 1)),
                "LocaleValue": st.one_of(
                    st.none(),
                    st.fixed_dictionaries({"Country": text}, optional={"Subdivision": maybe_text}),
                ),
                "GrantTime": st.one_of(st.none(), times.map(_iso)),
            },
        ),
        "error": st.one_of(
            st.none(),
            st.fixed_dictionaries(
                {"kind": text},
                optional={"code": maybe_text, "turk_error_code": maybe_text, "message": maybe_text},
            ),
        ),
        "unknown_field": st.integers(),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(raw_entries, max_size=6), st.sampled_from([1, 2]))
def test_the_typed_decoder_reads_what_the_entry_reader_reads(
    raws: list[dict[str, object]], version: int
) -> None:
    data = json.dumps({"version": version, "entries": raws}, ensure_ascii=False).encode()
    fast = typed_decoder.decode(data, {})
    assert fast is not None
    assert fast == (version, [HistoryEntry.from_json(raw) for raw in raws])


@pytest.mark.parametrize(
    "odd",
    [
        {"id": ""},
        {"worker_id": 42},
        {"time": "2026-01-01T00:00:00"},
        {"time": "0001-01-01T00:00:00Z"},
        {"qualification": {"Status": "Granted", "IntegerValue": True}},
        {"qualification": {"Status": ""}},
        {"error": {"kind": None}},
    ],
)
def test_what_the_entry_reader_refuses_the_typed_decoder_leaves_to_it(
    odd: dict[str, object],
) -> None:
    raw = {**entry(1).to_json(), **odd}
    with pytest.raises((ValueError, TypeError)):
        HistoryEntry.from_json(raw)
    data = json.dumps({"version": 2, "entries": [entry(2).to_json(), raw]}).encode()
    assert typed_decoder.decode(data, {}) is None
    parsed = parse(data)
    assert parsed.damaged and [e.worker_id for e in parsed.entries] == ["A1GRANTEDWORKER"]


def test_a_well_formed_file_is_read_by_the_typed_decoder(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [entry(n, f"A{n}", failed=n % 2 == 0) for n in range(20)]

    def slow(raw: object) -> HistoryEntry:
        raise AssertionError("the entry-by-entry reader was used")

    monkeypatch.setattr(HistoryEntry, "from_json", staticmethod(slow))
    parsed = parse(serialize(entries))
    assert not parsed.damaged and list(parsed.entries) == entries


@pytest.fixture
def gc_state() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


@pytest.mark.usefixtures("gc_state")
@pytest.mark.parametrize("collecting", [True, False])
@pytest.mark.parametrize("content", [b'{"version":2,"entries":[]}', b"{broken", b"[" * 2000])
def test_the_collector_is_paused_while_parsing_and_put_back(
    monkeypatch: pytest.MonkeyPatch, collecting: bool, content: bytes
) -> None:
    seen: list[bool] = []
    real = typed_decoder.decode

    def watch(data: bytes, known: object) -> object:
        seen.append(gc.isenabled())
        return real(data, known)  # type: ignore[arg-type]

    monkeypatch.setattr(typed_decoder, "decode", watch)
    if collecting:
        gc.enable()
    else:
        gc.disable()
    parse(content)
    assert seen == [False]
    assert gc.isenabled() is collecting


def test_no_lock_is_held_while_a_file_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "history.json"
    # one entry: the first appends are each over a quarter of the file, so each is folded
    # into it and the file replaced (and parsed again); a journal line is read, not parsed
    write_history(path, [entry(0, "A0")])
    store = HistoryStore(path)
    held: list[tuple[bool, bool]] = []
    real = parse

    def watch(data: bytes, known: object = None) -> object:
        file_locked = False
        try:
            FileLock(f"{path}.lock", timeout=0).acquire(timeout=0).lock.release()
        except Timeout:
            file_locked = True
        held.append((store._lock.locked(), file_locked))
        return real(data, known)  # type: ignore[arg-type]

    monkeypatch.setattr(store_module, "parse", watch)

    def other_process_writes(n: int) -> None:  # a thread stands in for it
        other = HistoryStore(path)
        other.load()
        other.append(entry(100 + n, f"AOTHER{n}"))

    assert len(store.load().snapshot.entries) == 1
    for n in range(3):
        worker = threading.Thread(target=other_process_writes, args=(n,))
        worker.start()
        worker.join()
        store.append(entry(200 + n, f"AMINE{n}"))
    assert len(held) >= 3 and all(h == (False, False) for h in held), held
    workers = [e.worker_id for e in store.snapshot().entries]
    assert workers[-2:] == ["AOTHER2", "AMINE2"] and len(workers) == 7
