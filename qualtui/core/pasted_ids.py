"""What a paste into an ID field becomes: cleaned, one ID, and what was left out.

People paste IDs from spreadsheets (a row: the ID, a tab, more cells), chats and web pages
(zero-width characters, full-width digits) and lists (one ID a line). The field takes the
first value of the first line; the rest is counted so the user is told, and a list of lines
can become a batch, and so can one line of worker IDs separated by commas, semicolons or
spaces ("A1B2, A3C4, A5D6", as chats and e-mails carry them). A spreadsheet row (an ID, then
a score and a status) stays one ID: its other cells are not worker IDs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qualtui.core import ids
from qualtui.core.ids import INVISIBLE, without_invisible

MAX_LINES = 100_000  # a paste is a list, not a file: a bound on the work it makes
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True)
class PastedIds:
    """A paste, cleaned. `first` goes into the field; `values` is the first value of every
    line that has one (a batch's list); `others_on_line` counts the values after the first
    on the first line; `invisible` the invisible characters removed."""

    first: str
    values: tuple[str, ...]
    others_on_line: int
    invisible: int
    first_line: tuple[str, ...] = ()

    @property
    def many_lines(self) -> bool:
        return len(self.values) > 1

    def worker_list(self) -> tuple[str, ...]:
        """The worker IDs a batch could take: the first value of every line, or, from one
        line, its values when there are several and each has a worker ID's shape."""
        if self.many_lines:
            return self.values
        line = self.first_line
        if len(line) > 1 and all(_looks_like_worker(value) for value in line):
            return line
        return self.values

    def notice(self) -> str | None:
        """What the cleaning changed, in words (None when it changed nothing to mention)."""
        said = []
        if self.others_on_line:
            more = self.others_on_line
            said.append(
                f"kept the first value of the pasted row; {more} more "
                f"{'was' if more == 1 else 'were'} left out (tabs, spaces or commas "
                "separate values)"
            )
        if self.invisible:
            count = self.invisible
            said.append(f"removed {count} invisible character{'s' if count != 1 else ''}")
        if not said:
            return None
        text = "; ".join(said)
        return "Pasted: " + text + "."


def _looks_like_worker(value: str) -> bool:
    """A worker ID's shape, with a digit (so "Approved" or "Alice" beside an ID in a row
    is not taken for one)."""
    normal = ids.normalize(value)
    return ids.is_valid(ids.WORKER_ID, normal) and any(char.isdigit() for char in normal)


def clean_paste(text: str) -> PastedIds:
    invisible = sum(1 for char in text if char in INVISIBLE)
    lines = without_invisible(text).splitlines()[:MAX_LINES]
    rows = [[value for value in _SEPARATORS.split(line) if value] for line in lines]
    rows = [row for row in rows if row]
    if not rows:
        return PastedIds("", (), 0, invisible)
    return PastedIds(
        first=rows[0][0],
        values=tuple(row[0] for row in rows),
        others_on_line=len(rows[0]) - 1,
        invisible=invisible,
        first_line=tuple(rows[0]),
    )
