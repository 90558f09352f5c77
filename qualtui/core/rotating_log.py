"""The log file's handler: rotating, and private."""

from __future__ import annotations

import logging.handlers
from io import TextIOWrapper
from typing import cast

from qualtui.core.paths import private_opener


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are readable only by their owner (0600 on POSIX): a log
    can hold what a service or a credential process said."""

    def _open(self) -> TextIOWrapper:
        stream = open(  # noqa: SIM115 - the handler owns and closes its stream
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=private_opener,
        )
        return cast(TextIOWrapper, stream)  # text mode: a TextIOWrapper
