"""A history damaged by another program while the app has it open: the next save sets the
damaged file aside, keeps every entry, and tells the user where the original is."""

from __future__ import annotations

from qualtui.core.history import HistoryStore
from qualtui.endpoint import LocalMTurk
from tests.apphelpers import SIZE, app_from_command_line, history_rows, look_up, ready
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.historyhelpers import entry, saved_entries


async def test_damage_while_open_is_said_and_nothing_is_lost(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    path = aws_profiles.data_dir / "history.json"
    store = HistoryStore(path)
    for n in range(3):
        store.append(entry(n, f"A{n}EARLIER"))
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "default")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await until(lambda: len(history_rows(app)) == 3)
        text = path.read_text()
        path.write_text(text.replace("]\n}", "],\n}") if "]\n}" in text else text + ",")
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        await until(lambda: any("damaged" in n.message for n in app._notifications))
        await until(lambda: len(history_rows(app)) == 4)
    assert len(saved_entries(path)) == 4  # the three earlier lookups and the new one
    assert len(list(aws_profiles.data_dir.glob("history.json.corrupt-*"))) == 1
