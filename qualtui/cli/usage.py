"""The usage error every command shares (and its exit status), apart from the parser:
`qualtui` alone starts the terminal UI without importing argparse (`bare_command`)."""

from __future__ import annotations

EXIT_USAGE = 2


class UsageError(Exception):
    """Arguments that parse but make no sense together, or IDs that cannot be sent.

    Caught by the dispatcher: one line on stderr, nothing sent, exit status 2 (or the
    sub-command's own usage status).
    """
