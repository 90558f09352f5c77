"""Every pager stops when the service repeats a NextToken (issue #13, "a pager that repeats
its NextToken is stopped"): over real HTTP, the endpoint's `repeat_token` fault answers each
page with the token the call sent, which would page for ever; the listing ends after two
calls with an "Unreadable answer", and what came before it is not lost."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest

from qualtui import cli
from qualtui.cli import holders as cli_holders
from qualtui.core.changes.requests import list_requests
from qualtui.core.client import ClientCache, ClientSettings
from qualtui.core.connection import PRODUCTION, Connection
from qualtui.core.errors import MalformedResponse
from qualtui.core.hits import list_assignments, list_hits
from qualtui.core.holders import holders_page
from qualtui.core.models import Failure
from qualtui.core.paging import PageTokens
from qualtui.core.qualification_types import TypeCache
from qualtui.endpoint import Fault, LocalMTurk
from tests.conftest import TRANSCRIBE, Isolation

PILOT = "3DEMOHITPILOT00000000000000001"
IMAGE_TAGGING = "3DEMOIMAGETAG00000000000000001"  # 240 holders: three pages


@pytest.fixture
def clients(aws_profiles: Isolation) -> ClientCache:
    return ClientCache(ClientSettings(max_attempts=1, read_timeout=10, connect_timeout=5))


def at(endpoint: LocalMTurk) -> Connection:
    return Connection("default", PRODUCTION, endpoint.url)


def holders_listing(clients: ClientCache, connection: Connection) -> Failure | None:
    """Every page of holders, one PageTokens for the listing (as `qualtui holders` does)."""
    tokens, token = PageTokens(), None
    for _ in range(10):
        page = holders_page(clients, connection, IMAGE_TAGGING, "Granted", token, tokens)
        if page.failure is not None or not page.next_token:
            return page.failure
        token = page.next_token
    return None


PAGERS: dict[str, Callable[[ClientCache, Connection], Failure | None]] = {
    "ListHITs": lambda c, at: list_hits(c, at).failure,
    "ListAssignmentsForHIT": lambda c, at: list_assignments(c, at, PILOT).failure,
    "ListQualificationTypes": lambda c, at: TypeCache().own_types(c, at).failure,
    "ListWorkersWithQualificationType": holders_listing,
    "ListQualificationRequests": lambda c, at: list_requests(c, at, with_scores=False).failure,
}


@pytest.mark.parametrize("operation", list(PAGERS))
def test_a_repeated_next_token_stops_the_listing(
    operation: str, endpoint: LocalMTurk, clients: ClientCache
) -> None:
    endpoint.add_fault(Fault("repeat_token", operation=operation))
    failure = PAGERS[operation](clients, at(endpoint))
    assert failure is not None and failure.kind == "malformed_response"
    assert failure.title == "Unreadable answer"
    assert len(endpoint.calls_to(operation)) == 2  # the first page, and the one repeated


@pytest.mark.parametrize("operation", list(PAGERS))
def test_without_the_fault_every_pager_ends(
    operation: str, endpoint: LocalMTurk, clients: ClientCache
) -> None:
    assert PAGERS[operation](clients, at(endpoint)) is None


def test_a_token_answered_with_itself_is_caught_page_by_page(
    endpoint: LocalMTurk, clients: ClientCache
) -> None:
    """The holders screen asks one page at a time: the token it sent is known to the page."""
    endpoint.add_fault(Fault("repeat_token", operation="ListWorkersWithQualificationType"))
    first = holders_page(clients, at(endpoint), TRANSCRIBE, "Granted")
    assert first.failure is None and first.next_token and first.qualifications
    again = holders_page(clients, at(endpoint), TRANSCRIBE, "Granted", first.next_token)
    assert again.failure is not None and again.failure.kind == "malformed_response"


def test_a_cycle_of_tokens_is_caught_and_odd_tokens_are_unreadable() -> None:
    tokens = PageTokens()
    assert tokens.next({"NextToken": "A"}) == "A"
    assert tokens.next({"NextToken": "B"}) == "B"
    with pytest.raises(MalformedResponse):
        tokens.next({"NextToken": "A"})
    assert PageTokens().next({}) is None and PageTokens().next({"NextToken": ""}) is None
    for odd in (12, ["A"], "x" * 5000):
        with pytest.raises(MalformedResponse):
            PageTokens().next({"NextToken": odd})
    with pytest.raises(MalformedResponse):
        PageTokens("A").next({"NextToken": "A"})


def test_the_holders_command_prints_the_first_page_then_stops_with_exit_1(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    endpoint.add_fault(Fault("repeat_token", operation="ListWorkersWithQualificationType"))
    argv = ["holders", IMAGE_TAGGING, "--output", "csv", "--profile", "default"]
    args = cli.build_parser().parse_args([*argv, "--endpoint-url", endpoint.url])
    out, err = io.StringIO(), io.StringIO()
    status = cli_holders.holders(args, cli.config_from_args(args), out=out, err=err)
    assert status == 1
    assert "Unreadable answer" in err.getvalue() and "Traceback" not in err.getvalue()
    assert len(out.getvalue().splitlines()) == 1 + 100  # the heading and the first page
    assert len(endpoint.calls_to("ListWorkersWithQualificationType")) == 2


def test_the_fault_is_given_on_the_command_line() -> None:
    fault = Fault.parse("repeat_token:op=ListHITs,times=1")
    assert (fault.kind, fault.operation, fault.times) == ("repeat_token", "ListHITs", 1)
