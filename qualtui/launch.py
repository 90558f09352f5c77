"""The `qualtui` command: the garbage collector paused first, then the command line read
(`qualtui.core.collector` says why and when it resumes)."""

from __future__ import annotations

from collections.abc import Sequence

from qualtui.core import collector


def main(argv: Sequence[str] | None = None) -> int:
    collector.pause_for_start()
    from qualtui.cli import main as run  # after the pause: the imports are most of a start

    return run(argv)
