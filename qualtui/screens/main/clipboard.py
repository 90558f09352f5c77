"""Copying from the main screen: the fix command of the failure on show (F6), the result
as text (F9) or JSON, the lookup as an AWS CLI command (Ctrl+Y) or boto3 code, the IDs."""

from __future__ import annotations

import json

from qualtui.core.connection import Connection
from qualtui.core.paths import log_file
from qualtui.screens.main.parts import MainParts
from qualtui.widgets.connection_bar import ConnectionBar


class MainClipboard(MainParts):
    @property
    def fix_command(self) -> str | None:
        """The shell command that fixes the failure on screen, if there is one; for an
        unexpected failure, the path of the log that holds its details."""
        result = self.last_result
        bars = self.query(ConnectionBar)  # the footer may ask before the bar is mounted
        check = bars.first().check if bars else None
        for failure in (result.failure if result else None, check.failure if check else None):
            if failure is not None and failure.command:
                return failure.command
            if failure is not None and failure.kind == "unexpected":
                return str(log_file())
        return None

    def copy_log_path(self) -> None:
        self._copy(str(log_file()), "the log file's path")

    def action_copy_command(self) -> None:
        command = self.fix_command
        if command:
            self.app.copy_to_clipboard(command)
            self.notify(f"Copied: {command}", timeout=4, markup=False)

    def _copy(self, text: str, what: str) -> None:
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied {what}", timeout=3, markup=False)

    def action_copy_result(self) -> None:
        result = self.last_result
        if result is None:
            self.notify("No result to copy yet.", severity="warning")
            return
        from qualtui.core import result_format

        self._copy(result_format.as_text(result, self.panel.qualification_type), "the result")

    def copy_result_json(self) -> None:
        result = self.last_result
        if result is None:
            self.notify("No result to copy yet.", severity="warning")
            return
        from qualtui.core import result_format

        self._copy(json.dumps(result_format.aws_cli_json(result), indent=2), "the result as JSON")

    def _lookup_for_script(self) -> tuple[Connection, str, str] | None:
        """The lookup on screen (the last result's, else the two fields when both are valid),
        for a script that does the same."""
        result = self.last_result
        if result is not None:
            request = result.request
            return request.connection, request.qualification_type_id, request.worker_id
        form = self.form
        if form.type_input.problem is None and form.worker_input.problem is None:
            return self.connection, form.type_input.id_value, form.worker_input.id_value
        self.notify("Look something up first (or fill both IDs).", severity="warning")
        return None

    def action_copy_as_aws_cli(self) -> None:
        from qualtui.core.script_export import aws_cli_command

        lookup = self._lookup_for_script()
        if lookup is not None:
            self._copy(aws_cli_command(*lookup), "the lookup as an AWS CLI command")

    def copy_as_boto3(self) -> None:
        from qualtui.core.script_export import boto3_code

        lookup = self._lookup_for_script()
        if lookup is not None:
            self._copy(boto3_code(*lookup), "the lookup as boto3 code")

    def copy_worker_id(self) -> None:
        value = self.form.worker_input.id_value
        if value:
            self._copy(value, f"worker ID {value}")

    def copy_type_id(self) -> None:
        value = self.form.type_input.id_value
        if value:
            self._copy(value, f"qualification type ID {value}")
