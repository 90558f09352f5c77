"""Worker lists, the batch runner, type details and holders paging, over real HTTP."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qualtui.core.batch import run_batch
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.holders import holders_page
from qualtui.core.models import LookupResult
from qualtui.core.qualification_types import QualificationType, TypeCache
from qualtui.core.worker_ids import WorkerFileError, parse_content, parse_text, read_file
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

IMAGE_TAG = "3DEMOIMAGETAG00000000000000001"


def test_pasted_lists_are_split_validated_and_deduplicated() -> None:
    parsed = parse_text(
        "a1grantedworker, A2REVOKEDWORKER;A3ZEROSCOREWORKER\n\n bad-id A1GRANTEDWORKER\tB9"
    )
    assert parsed.valid == ("A1GRANTEDWORKER", "A2REVOKEDWORKER", "A3ZEROSCOREWORKER")
    assert [raw for raw, _ in parsed.invalid] == ["bad-id", "B9"]
    assert parsed.duplicates == 1


def test_csv_files_use_the_worker_id_column(tmp_path: Path) -> None:
    mturk_style = tmp_path / "workers.csv"
    mturk_style.write_text(
        "\ufeffWorker ID,Lifetime Approval Rate,Notes\n"
        'A1GRANTEDWORKER,100%,"x, y"\nA2REVOKEDWORKER,98%,\n'
    )
    parsed = read_file(mturk_style)
    assert parsed.valid == ("A1GRANTEDWORKER", "A2REVOKEDWORKER")
    assert "Worker ID" in parsed.notes[0]
    one_column = parse_content("WorkerId\nA1X\nA2Y\n")
    assert one_column.valid == ("A1X", "A2Y") and one_column.invalid == ()
    free = parse_content("name,score\nA1X,5\n")  # no worker column: read as free text
    assert free.valid == ("A1X",) and [raw for raw, _ in free.invalid] == ["name", "score", "5"]
    with pytest.raises(WorkerFileError, match="does not exist"):
        read_file(tmp_path / "missing.txt")
    with pytest.raises(WorkerFileError, match="folder"):
        read_file(tmp_path)


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=2, read_timeout=2, connect_timeout=1))


def connection(endpoint: LocalMTurk) -> Connection:
    return Connection("default", PRODUCTION, endpoint.url)


def test_a_batch_runs_at_most_n_at_once(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("latency", delay=0.05))
    workers = [f"A{n:04d}WORKER" for n in range(30)]
    results: list[LookupResult] = []
    done = run_batch(
        clients,
        connection(endpoint),
        TRANSCRIBE,
        workers,
        on_result=results.append,
        concurrency=4,
    )
    assert done == 30 and sorted(r.request.worker_id for r in results) == workers
    assert 2 <= endpoint.peak_in_flight <= 4
    assert clients.created == 1


def test_throttling_slows_a_batch_down_without_failing_it(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("throttle", worker_id="A2REVOKEDWORKER", times=3))
    results: list[LookupResult] = []
    run_batch(
        clients,
        connection(endpoint),
        TRANSCRIBE,
        ["A1GRANTEDWORKER", "A2REVOKEDWORKER"],
        on_result=results.append,
        throttle_pause=0.05,
    )
    assert all(r.qualification is not None for r in results)
    assert len([c for c in endpoint.calls if c.params.get("WorkerId") == "A2REVOKEDWORKER"]) == 4


def test_cancel_stops_the_rest(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("latency", delay=0.1))
    cancel = threading.Event()
    results: list[LookupResult] = []

    def arrived(result: LookupResult) -> None:
        results.append(result)
        if len(results) == 3:
            cancel.set()

    done = run_batch(
        clients,
        connection(endpoint),
        TRANSCRIBE,
        [f"A{n:04d}W" for n in range(50)],
        on_result=arrived,
        concurrency=2,
        cancel=cancel,
    )
    assert 3 <= done < 10 and len(endpoint.calls) < 10


def test_type_details_are_fetched_once_per_connection(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    cache = TypeCache()
    for _ in range(5):
        details = cache.details(clients, connection(endpoint), TRANSCRIBE)
    assert isinstance(details, QualificationType)
    assert details.name == "Audio transcription skill" and details.status == "Active"
    assert details.created is not None and details.created.year == 2025
    assert len(endpoint.calls_to("GetQualificationType")) == 1
    missing = cache.details(clients, connection(endpoint), "3NOSUCHTYPE0000000000000000001")
    assert not isinstance(missing, QualificationType) and missing.kind == "type_not_found"


def test_own_types_and_holders_pages(endpoint: LocalMTurk, clients: ClientCache) -> None:
    types = TypeCache().own_types(clients, connection(endpoint))
    assert types.failure is None and len(types.types) == 134  # two pages of the demo's own
    assert len(endpoint.calls_to("ListQualificationTypes")) == 2
    assert [t.name for t in types.types] == sorted((t.name for t in types.types), key=str.lower)
    first = holders_page(clients, connection(endpoint), IMAGE_TAG, "Granted")
    assert len(first.qualifications) == 100 and first.next_token
    seen = {q.worker_id for q in first.qualifications}
    token: str | None = first.next_token
    while token:
        page = holders_page(clients, connection(endpoint), IMAGE_TAG, "Granted", token)
        assert page.failure is None
        seen |= {q.worker_id for q in page.qualifications}
        token = page.next_token
    assert len(seen) > 100
    bad = holders_page(clients, connection(endpoint), "3NOSUCHTYPE0000000000000000001", "Granted")
    assert bad.failure is not None and bad.failure.kind == "type_not_found"
