"""`qualtui` alone (no argument at all, the usual way to start the terminal UI): its command
line read without argparse, whose import and parser cost about 2 ms before the first frame.

Anything else on the command line is read by argparse (`qualtui.cli.shared_only`, then the
whole parser). A test checks that this reading equals the whole parser's reading of no
argument, so a shared option added to `add_shared_options` must be added here too."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    import argparse


def shared_defaults() -> dict[str, object]:
    """Every shared option's value when none is given, as `add_shared_options` defines it
    (a new list for --fault each time, as argparse gives)."""
    return {
        "profile": None,
        "region": None,
        "sandbox": False,
        "endpoint_url": None,
        "max_attempts": None,
        "timeout": None,
        "connect_timeout": None,
        "ca_bundle": None,
        "no_verify_ssl": False,
        "debug": False,
        "read_only": False,
        "demo": False,
        "fault": [],
        "data_dir": None,
        "history_limit": None,
        "command": None,
    }


def bare_command() -> argparse.Namespace:
    """What the whole parser reads from an empty command line: an object with the same
    attributes (a SimpleNamespace: argparse's Namespace would import argparse)."""
    return cast("argparse.Namespace", SimpleNamespace(**shared_defaults()))
