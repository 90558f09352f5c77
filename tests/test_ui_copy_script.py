"""From the TUI to a script (issue #20): the lookup on screen copied as an AWS CLI command
(Ctrl+Y) or as boto3 code (palette) runs as it is and gives the same answer."""

from __future__ import annotations

import json
import subprocess
import sys

from qualtui.core.script_export import aws_cli_command, boto3_code
from qualtui.endpoint import LocalMTurk
from tests.apphelpers import SIZE, app_from_command_line, look_up, ready, screen
from tests.conftest import TRANSCRIBE, Isolation, until
from tests.test_cli_script_export import iso_profiles, qualtui_answer, run_shell


async def test_the_copied_aws_cli_command_and_boto3_code_give_the_same_answer(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    iso_profiles(aws_profiles)
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "research")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await look_up(pilot, TRANSCRIBE, "A1GRANTEDWORKER")
        main = screen(app)
        request = main.last_result.request  # type: ignore[union-attr]
        await pilot.press("ctrl+y")
        await until(lambda: app.clipboard.startswith("aws mturk"))
        command = app.clipboard
        assert command == aws_cli_command(request.connection, TRANSCRIBE, "A1GRANTEDWORKER")
        main.copy_as_boto3()
        await until(lambda: app.clipboard.startswith("import json"))
        code = app.clipboard
    shell = run_shell(command)
    assert shell.returncode == 0, shell.stderr
    expected = qualtui_answer(endpoint, "A1GRANTEDWORKER")
    assert shell.stdout == expected
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout == qualtui_answer(endpoint, "A1GRANTEDWORKER", "--query", "Qualification")
    assert json.loads(done.stdout)["IntegerValue"] == 87
    assert code == boto3_code(request.connection, TRANSCRIBE, "A1GRANTEDWORKER")


async def test_a_batch_is_copied_as_a_loop_over_its_ids(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    from textual.widgets import TextArea

    from qualtui.screens.batch import BatchScreen
    from tests.apphelpers import paste

    iso_profiles(aws_profiles)
    app = app_from_command_line("--endpoint-url", endpoint.url, "--profile", "research")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen(app).form.fill(TRANSCRIBE, "")
        await pilot.press("f7")
        await until(lambda: isinstance(app.screen, BatchScreen))
        await until(lambda: isinstance(app.focused, TextArea))
        await paste(pilot, "A1GRANTEDWORKER\nA3ZEROSCOREWORKER")
        await pilot.press("ctrl+y")
        await until(lambda: app.clipboard.startswith("for worker in"))
        command = app.clipboard
    shell = run_shell(command)
    assert shell.returncode == 0, shell.stderr
    expected = qualtui_answer(endpoint, "A1GRANTEDWORKER") + qualtui_answer(
        endpoint, "A3ZEROSCOREWORKER"
    )
    assert shell.stdout == expected
