"""The app's batch checks the set-up once before it starts (issue #13), as `qualtui lookup`
does: a missing profile or a type that does not exist is one message with the fix, and
nothing is looked up or recorded per worker."""

from __future__ import annotations

from textual.widgets import Static

from qualtui.endpoint import LocalMTurk
from tests.apphelpers import SIZE, ready
from tests.batchhelpers import SCORE, app_on, on_disk, start_batch
from tests.conftest import Isolation, until

WORKERS = ["A1GRANTEDWORKER", "A2REVOKEDWORKER", "A5NOTHELDWORKER"]
NO_SUCH_TYPE = "3NOSUCHTYPE0000000000000000001"


async def test_a_type_that_does_not_exist_is_one_message_and_nothing_recorded(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS, type_id=NO_SUCH_TYPE)
        await until(lambda: not batch.running, timeout=30)
        problems = str(batch.query_one("#batch-problems", Static).content)
        assert problems.startswith("Not started: ") and "Fix: " in problems
        assert "\n" not in problems
        assert batch.results == [] and batch.table.row_count == 0
        assert str(batch.query_one("#batch-rate", Static).content) == ""
        assert endpoint.calls_to(SCORE) == []
        assert len(endpoint.calls_to("GetQualificationType")) == 1
    assert on_disk(aws_profiles.data_dir / "history.json") == []


async def test_a_missing_profile_is_one_message_before_any_call(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    app = app_on(endpoint, "--profile", "nosuch")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        batch = await start_batch(pilot, WORKERS)
        await until(lambda: not batch.running, timeout=30)
        problems = str(batch.query_one("#batch-problems", Static).content)
        assert problems.startswith("Not started: ") and "nosuch" in problems
        assert batch.results == []
        assert endpoint.calls_to(SCORE) == []
    assert on_disk(aws_profiles.data_dir / "history.json") == []
