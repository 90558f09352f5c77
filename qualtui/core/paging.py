"""Following a listing's NextToken safely: a token the listing was given before (the same
one again, or a cycle) would page for ever, so it is an unreadable answer and the listing
stops there. Every pager (ListHITs, ListAssignmentsForHIT, ListQualificationTypes,
ListWorkersWithQualificationType, ListQualificationRequests) reads its tokens through one
`PageTokens` per listing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from qualtui.core.errors import MalformedResponse

MAX_TOKEN = 4096  # characters: far past any token the service gives


class PageTokens:
    """The NextTokens of one listing. `known`: tokens already followed (a pager that gets
    one page at a time passes the token it sent, so a token answered with itself is
    caught even without the listing's earlier tokens)."""

    def __init__(self, *known: str | None) -> None:
        self._seen: set[str] = {token for token in known if token}

    def next(self, response: Mapping[str, Any]) -> str | None:
        """The answer's NextToken, or None on the last page.

        Raises MalformedResponse (an "Unreadable answer" once explained) for a token given
        before in this listing, or one that is not text or absurdly long.
        """
        token = response.get("NextToken")
        if token is None or token == "":
            return None
        if not isinstance(token, str) or len(token) > MAX_TOKEN:
            raise MalformedResponse("a NextToken that is not a page token")
        if token in self._seen:
            raise MalformedResponse("a NextToken given before: the listing would never end")
        self._seen.add(token)
        return token
