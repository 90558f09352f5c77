"""The main screen's actions, offered in the command palette (Ctrl+P)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual.app import SystemCommand

from qualtui.core.connection import PRODUCTION, SANDBOX, environment_label

if TYPE_CHECKING:
    from qualtui.screens.main import MainScreen


def main_screen_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    yield SystemCommand("Look up", "Focus the ID fields (F2)", screen.action_focus_lookup)
    yield SystemCommand(
        "Batch lookup", "Look up many workers for one qualification (F7)", screen.action_batch
    )
    yield SystemCommand(
        "Workers from a HIT…",
        "Choose HITs and look up their workers for the type in the ID field",
        screen.workers_from_hits,
    )
    yield SystemCommand(
        "Workers holding this qualification",
        "List who holds the qualification type in the ID field (F8)",
        screen.action_holders,
    )
    yield SystemCommand(
        "Worker profile",
        "Every qualification type of yours the worker in the ID field holds (F10)",
        screen.action_worker_profile,
    )
    yield SystemCommand(
        "Pick a qualification type", "Choose from your own types (F5)", screen.action_pick_type
    )
    for environment in (PRODUCTION, SANDBOX):
        yield SystemCommand(
            f"Switch to {environment_label(environment)}",
            "Change the MTurk environment",
            lambda e=environment: screen.switch_environment(e),
        )
    for name in screen.bar.profile_names:
        yield SystemCommand(
            f"Switch profile: {name}",
            "Use this AWS profile",
            lambda n=name: screen.switch_profile(n),
        )
    if screen.writes_allowed:
        yield from change_commands(screen)
    yield SystemCommand(
        "Filter history", "Search past lookups (Ctrl+F)", screen.action_focus_filter
    )
    yield SystemCommand("Export history", "Write the history to CSV or JSON", screen.export_history)
    yield SystemCommand(
        "Clear history", "Delete every past lookup, after asking", screen.clear_history
    )
    yield SystemCommand(
        "Copy result as text", "The result panel, as text (F9)", screen.action_copy_result
    )
    yield SystemCommand("Copy result as JSON", "In the AWS CLI's shape", screen.copy_result_json)
    yield SystemCommand(
        "Copy as AWS CLI command",
        "The lookup on screen, as `aws mturk get-qualification-score ...` (Ctrl+Y)",
        screen.action_copy_as_aws_cli,
    )
    yield SystemCommand(
        "Copy as boto3 code", "The lookup on screen, as a Python script", screen.copy_as_boto3
    )
    yield SystemCommand("Copy worker ID", "The worker ID field", screen.copy_worker_id)
    yield SystemCommand("Copy qualification type ID", "The type ID field", screen.copy_type_id)
    yield SystemCommand(
        "Copy the log file's path",
        "Where unexpected errors are explained (F6 on an unexpected error)",
        screen.copy_log_path,
    )
    yield SystemCommand(
        "Help", "Keys and what the fields mean (F1)", lambda: screen.app.run_action("help")
    )


def change_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """The write actions, verb first; absent in read-only mode."""
    yield SystemCommand(
        "Set score…",
        "Of the worker in the result: a value, or +N / -N (Ctrl+S)",
        screen.action_set_score,
    )
    yield SystemCommand(
        "Grant…", "The qualification in the result, to its worker (Ctrl+G)", screen.action_grant
    )
    yield SystemCommand(
        "Revoke…", "The qualification in the result, with a reason (Ctrl+R)", screen.action_revoke
    )
    yield SystemCommand(
        "Undo change…", "The change on the history row (u in the history)", screen.action_undo
    )
    yield SystemCommand(
        "Qualification requests",
        "Pending requests of the type in the ID field, or of all your types (F12)",
        screen.action_requests,
    )
    yield SystemCommand(
        "Apply a plan file…",
        "The website's worker CSV, or WorkerId,Score: dry run, diff, then confirm",
        screen.apply_plan_file,
    )
