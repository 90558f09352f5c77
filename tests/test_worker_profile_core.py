"""The worker profile's core, over real HTTP: every owned type (more than one page of them)
looked up for one worker, bounded, throttling absorbed, cancellable, the type list cached
per connection."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

import pytest

from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.qualification_types import TypeCache, TypeList
from qualtui.core.throttle import THROTTLE_ROUNDS
from qualtui.core.worker_profile import (
    ProfileRow,
    by_type_name,
    held_first,
    load_worker_profile,
    profile_record,
    run_worker_profile,
    summarize,
)
from qualtui.endpoint import Dataset, Fault, LocalMTurk
from tests.conftest import (
    ACCESS_KEY,
    OTHER_ACCESS_KEY,
    OTHER_SECRET_KEY,
    SECRET_KEY,
    Isolation,
    wait_for,
)

WORKER = "A1PROFILEWORKER"
OTHER_WORKER = "A2SOMEONEELSE"
TYPE_COUNT = 130
NOT_OURS = "3ANOTHERREQUESTERSTYPE00000001"
MARKUP_NAME = "[bold red]Trusted[/] <b>raters</b> & co"
SCORE = "GetQualificationScore"
LIST_TYPES = "ListQualificationTypes"


def type_id(n: int) -> str:
    return f"3PROFILETYPE{n:018d}"


GRANTED = {5: 91, 17: 64, 42: 100, 77: 3, 120: 55, 99: 80}  # 99 has the markup name
ZERO = 8
REVOKED = 33
LOCALE_ONLY = 60


def profile_data() -> dict[str, Any]:
    types = [
        {
            "QualificationTypeId": type_id(n),
            "Name": MARKUP_NAME if n == 99 else f"Skill {n:03d}",
            "Description": f"Type number {n}",
            "QualificationTypeStatus": "Active" if n % 7 else "Inactive",
            "CreationTime": f"2025-{1 + n % 12:02d}-01T00:00:00Z",
            "IsRequestable": n % 2 == 0,
            "AutoGranted": False,
        }
        for n in range(TYPE_COUNT)
    ]
    types.append(  # another requester's public type: not in the profile
        {
            "QualificationTypeId": NOT_OURS,
            "Name": "Someone else's type",
            "Description": "Owned by another requester.",
            "QualificationTypeStatus": "Active",
            "CreationTime": "2025-01-01T00:00:00Z",
            "IsRequestable": True,
            "AutoGranted": False,
            "OwnedByCaller": False,
        }
    )
    held: list[dict[str, Any]] = [
        {
            "QualificationTypeId": type_id(n),
            "WorkerId": WORKER,
            "Status": "Granted",
            "IntegerValue": score,
            "GrantTime": f"2026-0{1 + n % 9}-1{n % 10}T10:20:30Z",
        }
        for n, score in GRANTED.items()
    ]
    held += [
        {
            "QualificationTypeId": type_id(ZERO),
            "WorkerId": WORKER,
            "Status": "Granted",
            "IntegerValue": 0,
            "GrantTime": "2026-05-05T05:05:05Z",
        },
        {
            "QualificationTypeId": type_id(REVOKED),
            "WorkerId": WORKER,
            "Status": "Revoked",
            "IntegerValue": 12,
            "GrantTime": "2025-12-24T18:00:00Z",
        },
        {
            "QualificationTypeId": type_id(LOCALE_ONLY),
            "WorkerId": WORKER,
            "Status": "Granted",
            "LocaleValue": {"Country": "US", "Subdivision": "WA"},
            "GrantTime": "2026-02-02T02:02:02Z",
        },
        {
            "QualificationTypeId": NOT_OURS,
            "WorkerId": WORKER,
            "Status": "Granted",
            "IntegerValue": 1,
            "GrantTime": "2026-01-01T00:00:00Z",
        },
        # someone else's qualifications must not leak into the profile
        {
            "QualificationTypeId": type_id(1),
            "WorkerId": OTHER_WORKER,
            "Status": "Granted",
            "IntegerValue": 7,
            "GrantTime": "2026-01-01T00:00:00Z",
        },
    ]
    return {"qualification_types": types, "qualifications": held}


@pytest.fixture
def endpoint() -> Iterator[LocalMTurk]:
    data = Dataset.from_json(profile_data())
    credentials = {ACCESS_KEY: SECRET_KEY, OTHER_ACCESS_KEY: OTHER_SECRET_KEY}
    with LocalMTurk(data, credentials=credentials) as server:
        yield server


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=2, read_timeout=5, connect_timeout=1))


def connection(endpoint: LocalMTurk, profile: str = "default") -> Connection:
    return Connection(profile, PRODUCTION, endpoint.url)


def wire_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc)


def check_row_against_endpoint(row: ProfileRow, endpoint: LocalMTurk) -> None:
    held = endpoint.data.qualification(row.type_id, WORKER)
    qtype = endpoint.data.type_by_id(row.type_id)
    assert qtype is not None and row.type_name == qtype["Name"]
    assert row.worker_id == WORKER
    if held is None:
        assert row.status == "not held" and not row.held and row.qualification is None
        assert row.failure is not None and row.failure.kind == "not_held"
        return
    q = row.qualification
    assert q is not None and row.failure is None
    assert (q.qualification_type_id, q.worker_id) == (row.type_id, WORKER)
    assert row.status == held["Status"] and q.status == held["Status"]
    assert row.held == (held["Status"] == "Granted")
    assert q.integer_value == held.get("IntegerValue")
    locale = held.get("LocaleValue")
    if locale is None:
        assert q.locale is None
    else:
        assert q.locale is not None
        assert (q.locale.country, q.locale.subdivision) == (
            locale["Country"],
            locale.get("Subdivision"),
        )
    assert q.grant_time == wire_time(held["GrantTime"])


def test_a_profile_looks_up_every_owned_type_across_pages(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    arrived: list[ProfileRow] = []
    listed: list[TypeList] = []
    pages: list[int] = []
    profile = load_worker_profile(
        clients,
        TypeCache(),
        connection(endpoint),
        WORKER,
        on_row=arrived.append,
        on_types=listed.append,
        on_types_page=pages.append,
    )
    assert profile.failure is None and profile.complete and not profile.cancelled
    assert len(endpoint.calls_to(LIST_TYPES)) == 2  # 130 types: two pages of at most 100
    assert pages == [100, TYPE_COUNT]
    listing = endpoint.calls_to(LIST_TYPES)[0].params
    assert listing["MustBeOwnedByCaller"] is True and listing["MustBeRequestable"] is False
    assert len(listed) == 1 and len(listed[0].types) == TYPE_COUNT
    scored = endpoint.calls_to(SCORE)
    assert len(scored) == TYPE_COUNT
    assert {c.params["QualificationTypeId"] for c in scored} == {
        type_id(n) for n in range(TYPE_COUNT)
    }  # the type the worker holds from another requester is not ours: not looked up
    assert {c.params["WorkerId"] for c in scored} == {WORKER}
    assert len(arrived) == TYPE_COUNT and set(arrived) == set(profile.rows)
    for row in profile.rows:
        check_row_against_endpoint(row, endpoint)

    by_type = {row.type_id: row for row in profile.rows}
    zero = by_type[type_id(ZERO)]
    assert zero.held and zero.qualification and zero.qualification.integer_value == 0
    revoked = by_type[type_id(REVOKED)]
    assert revoked.status == "Revoked" and not revoked.held
    locale_only = by_type[type_id(LOCALE_ONLY)]
    assert locale_only.held and locale_only.qualification
    assert locale_only.qualification.integer_value is None
    assert str(locale_only.qualification.locale) == "US-WA"
    assert by_type[type_id(99)].type_name == MARKUP_NAME  # raw: the UI escapes it
    assert by_type[type_id(1)].status == "not held"  # another worker's qualification

    # held first (Granted, then Revoked, then not held), by name within each
    granted_count = len(GRANTED) + 2  # the zero score and the locale-only one are held too
    statuses = [row.status for row in profile.rows]
    assert statuses == ["Granted"] * granted_count + ["Revoked"] + ["not held"] * (
        TYPE_COUNT - granted_count - 1
    )
    granted_names = [row.type_name for row in profile.rows[:granted_count]]
    assert granted_names == sorted(granted_names, key=str.lower)
    assert MARKUP_NAME in granted_names
    assert profile.summary.text == f"holds {granted_count} of {TYPE_COUNT} types, 1 revoked"
    partial = summarize(profile.rows[:10], TYPE_COUNT)
    assert partial.text == f"holds {granted_count} of 130 types, 1 revoked, 10 of 130 looked up"


def test_json_records_are_the_lookup_shapes_with_the_type_name(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    profile = load_worker_profile(clients, TypeCache(), connection(endpoint), WORKER)
    records = [profile_record(row) for row in by_type_name(profile.rows)]
    names = [r["QualificationTypeName"] for r in records]
    assert names == sorted(names, key=str.lower) and len(records) == TYPE_COUNT
    by_type = {r.get("Qualification", r)["QualificationTypeId"]: r for r in records}
    markup = by_type[type_id(99)]
    assert list(markup) == ["Qualification", "QualificationTypeName"]
    assert markup["QualificationTypeName"] == MARKUP_NAME
    assert markup["Qualification"] == {
        "QualificationTypeId": type_id(99),
        "WorkerId": WORKER,
        "IntegerValue": 80,
        "GrantTime": wire_time(f"2026-0{1 + 99 % 9}-19T10:20:30Z").isoformat(),
        "Status": "Granted",
    }
    locale = by_type[type_id(LOCALE_ONLY)]["Qualification"]
    assert locale["LocaleValue"] == {"Country": "US", "Subdivision": "WA"}
    assert "IntegerValue" not in locale
    assert by_type[type_id(REVOKED)]["Qualification"]["Status"] == "Revoked"
    not_held = by_type[type_id(2)]
    assert list(not_held) == ["QualificationTypeId", "WorkerId", "Error", "QualificationTypeName"]
    assert not_held["WorkerId"] == WORKER and not_held["QualificationTypeName"] == "Skill 002"
    assert not_held["Error"]["Code"] == "RequestError"
    assert not_held["Error"]["TurkErrorCode"] == "AWS.MechanicalTurk.QualificationDoesNotExist"
    assert not_held["Error"]["Message"].startswith("You requested a Qualification that does not")
    json.dumps(records)  # every record is plain JSON


def test_the_type_list_is_fetched_once_per_connection_and_again_on_refresh(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    cache = TypeCache()
    first = load_worker_profile(clients, cache, connection(endpoint), WORKER)
    second = load_worker_profile(clients, cache, connection(endpoint), OTHER_WORKER)
    assert first.complete and second.complete
    assert len(endpoint.calls_to(LIST_TYPES)) == 2  # two pages, once
    assert len(endpoint.calls_to(SCORE)) == 2 * TYPE_COUNT
    assert second.summary.granted == 1
    cached = cache.cached_types(connection(endpoint))
    assert cached is not None and len(cached.types) == TYPE_COUNT
    pages: list[int] = []
    load_worker_profile(
        clients, cache, connection(endpoint), WORKER, refresh_types=True, on_types_page=pages.append
    )
    assert len(endpoint.calls_to(LIST_TYPES)) == 4 and pages == [100, TYPE_COUNT]
    # another connection (another account) has its own list
    load_worker_profile(clients, cache, connection(endpoint, "research"), WORKER)
    listings = endpoint.calls_to(LIST_TYPES)
    assert len(listings) == 6 and {c.access_key for c in listings[4:]} == {OTHER_ACCESS_KEY}
    cache.forget_types(connection(endpoint))
    assert cache.cached_types(connection(endpoint)) is None


def test_two_profiles_at_once_share_one_listing(endpoint: LocalMTurk, clients: ClientCache) -> None:
    cache = TypeCache()
    endpoint.add_fault(Fault("latency", operation=LIST_TYPES, delay=0.05))
    lists: list[TypeList] = []
    threads = [
        threading.Thread(
            target=lambda: lists.append(cache.own_types(clients, connection(endpoint)))
        )
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(endpoint.calls_to(LIST_TYPES)) == 2
    assert len({id(found) for found in lists}) == 1 and len(lists[0].types) == TYPE_COUNT


def test_at_most_n_lookups_at_once(endpoint: LocalMTurk, clients: ClientCache) -> None:
    types = TypeCache().own_types(clients, connection(endpoint)).types[:24]
    endpoint.add_fault(Fault("latency", operation=SCORE, delay=0.05))
    rows: list[ProfileRow] = []
    done = run_worker_profile(
        clients, connection(endpoint), WORKER, types, on_row=rows.append, concurrency=4
    )
    assert done == len(rows) == 24
    assert 2 <= endpoint.peak_in_flight <= 4
    assert clients.created == 1


def test_throttling_is_absorbed_not_reported(endpoint: LocalMTurk, aws_profiles: Isolation) -> None:
    # no botocore retries: every throttled answer must be absorbed by the profile itself
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=5, connect_timeout=1))
    endpoint.add_fault(Fault.parse(f"throttle:op={SCORE},times=3"))
    profile = load_worker_profile(
        clients, TypeCache(), connection(endpoint), WORKER, throttle_pause=0.01
    )
    assert profile.complete
    assert all(row.status != "error" for row in profile.rows)
    assert len(endpoint.calls_to(SCORE)) == TYPE_COUNT + 3
    for row in profile.rows:
        check_row_against_endpoint(row, endpoint)


def test_a_failure_of_one_type_stays_in_its_row(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault.parse(f"service_fault:op={SCORE},times=2,message=Inner failure"))
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=5, connect_timeout=1))
    profile = load_worker_profile(clients, TypeCache(), connection(endpoint), WORKER)
    assert profile.complete and profile.failure is None
    failed = [row for row in profile.rows if row.status == "error"]
    assert len(failed) == 2 and profile.rows[-2:] == tuple(failed)  # failures last
    assert all(row.failure and row.failure.kind == "service_fault" for row in failed)
    assert profile.summary.failed == 2 and ", 2 failed" in profile.summary.text
    record = profile_record(failed[0])
    assert record["Error"]["Code"] == "ServiceFault"


def test_a_listing_failure_is_explained(endpoint: LocalMTurk, clients: ClientCache) -> None:
    listed: list[TypeList] = []
    cache = TypeCache()
    profile = load_worker_profile(
        clients, cache, connection(endpoint, "wrongsecret"), WORKER, on_types=listed.append
    )
    assert profile.failure is not None and profile.failure.kind == "bad_keys"
    assert profile.failure.title and profile.failure.fix
    assert listed == [profile.types] and profile.rows == () and not profile.complete
    assert endpoint.calls_to(SCORE) == []
    assert cache.cached_types(connection(endpoint, "wrongsecret")) is None  # not kept


def test_lookups_start_with_the_first_page_of_types(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    first_row = threading.Event()
    waited: list[bool] = []

    def after_page(listed: int) -> None:
        if listed == 100:  # hold the second page back until a row of the first has arrived
            waited.append(first_row.wait(10))

    profile = load_worker_profile(
        clients,
        TypeCache(),
        connection(endpoint),
        WORKER,
        on_row=lambda row: first_row.set(),
        on_types_page=after_page,
    )
    assert waited == [True] and profile.complete


def test_a_listing_that_fails_on_a_later_page_drops_the_rows(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=5, connect_timeout=1))
    listed: list[TypeList] = []

    def after_page(count: int) -> None:
        endpoint.add_fault(Fault("service_fault", operation=LIST_TYPES))

    cache = TypeCache()
    profile = load_worker_profile(
        clients,
        cache,
        connection(endpoint),
        WORKER,
        on_types=listed.append,
        on_types_page=after_page,
    )
    assert profile.failure is not None and profile.failure.kind == "service_fault"
    assert profile.rows == () and not profile.complete and listed == [profile.types]
    assert len(endpoint.calls_to(LIST_TYPES)) == 2
    first_page = {t["QualificationTypeId"] for t in endpoint.data.qualification_types[:100]}
    assert {c.params["QualificationTypeId"] for c in endpoint.calls_to(SCORE)} <= first_page
    assert cache.cached_types(connection(endpoint)) is None


def test_a_listing_throttled_past_the_budget_is_explained(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    clients = ClientCache(ClientSettings(max_attempts=1, read_timeout=5, connect_timeout=1))
    endpoint.add_fault(Fault("throttle", operation=LIST_TYPES))
    profile = load_worker_profile(
        clients, TypeCache(), connection(endpoint), WORKER, throttle_pause=0.01
    )
    assert profile.failure is not None and profile.failure.kind == "throttled"
    assert len(endpoint.calls_to(LIST_TYPES)) == THROTTLE_ROUNDS
    assert endpoint.calls_to(SCORE) == []


def test_cancel_midway_stops_the_calls(endpoint: LocalMTurk, clients: ClientCache) -> None:
    endpoint.add_fault(Fault("latency", operation=SCORE, delay=0.1))
    cancel = threading.Event()
    arrived: list[ProfileRow] = []
    calls_at_cancel: list[int] = []
    concurrency = 2

    def on_row(row: ProfileRow) -> None:
        arrived.append(row)
        if len(arrived) == 3:
            calls_at_cancel.append(len(endpoint.calls_to(SCORE)))
            cancel.set()

    profile = load_worker_profile(
        clients,
        TypeCache(),
        connection(endpoint),
        WORKER,
        on_row=on_row,
        concurrency=concurrency,
        cancel=cancel,
    )
    assert profile.cancelled and not profile.complete
    assert len(profile.rows) == 3  # what arrived after the cancel is dropped
    # it returned without waiting for the calls under way; let them end, then count
    wait_for(lambda: not profile_threads())
    assert len(arrived) == 3
    # a lookup already past its cancel check may still reach the endpoint; none after that
    assert len(endpoint.calls_to(SCORE)) <= calls_at_cancel[0] + concurrency - 1


def profile_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("qualtui-profile")]


def test_cancel_during_a_slow_listing_page_does_not_wait_for_it(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("latency", operation=LIST_TYPES, delay=5))
    cache = TypeCache()
    cancel = threading.Event()

    def cancel_once_asked() -> None:
        wait_for(lambda: endpoint.in_flight == 1)
        cancel.set()

    threading.Thread(target=cancel_once_asked, daemon=True).start()
    profile = load_worker_profile(clients, cache, connection(endpoint), WORKER, cancel=cancel)
    assert profile.cancelled and profile.types.cancelled and profile.rows == ()
    assert endpoint.in_flight == 1  # returned while the page was still being answered
    assert cache.cached_types(connection(endpoint)) is None
    assert endpoint.calls_to(SCORE) == []


def test_cancel_before_the_listing_makes_no_call(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    cancel = threading.Event()
    cancel.set()
    profile = load_worker_profile(clients, TypeCache(), connection(endpoint), WORKER, cancel=cancel)
    assert profile.cancelled and profile.types.cancelled and endpoint.calls == []


def test_rows_can_be_run_for_a_given_list_and_sorted(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    types = TypeCache().own_types(clients, connection(endpoint)).types
    chosen = [t for t in types if t.id in (type_id(REVOKED), type_id(2), type_id(5))]
    rows: list[ProfileRow] = []
    done = run_worker_profile(
        clients, connection(endpoint), WORKER, [*chosen, chosen[0]], on_row=rows.append
    )
    assert done == 3 and len(endpoint.calls_to(SCORE)) == 3  # a type listed twice: once
    assert [r.status for r in held_first(rows)] == ["Granted", "Revoked", "not held"]


def test_an_error_in_the_row_callback_reaches_the_caller(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    types = TypeCache().own_types(clients, connection(endpoint)).types
    rows: list[ProfileRow] = []

    def broken(row: ProfileRow) -> None:
        rows.append(row)
        raise ValueError("the caller's bug")

    with pytest.raises(ValueError, match="the caller's bug"):
        run_worker_profile(
            clients, connection(endpoint), WORKER, types, on_row=broken, concurrency=3
        )
    assert len(rows) == 1  # no row after the error
    wait_for(lambda: not profile_threads())
    assert len(rows) == 1 and len(endpoint.calls_to(SCORE)) < len(types)
