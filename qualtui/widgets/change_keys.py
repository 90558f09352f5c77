"""The set, grant and revoke keys' actions, shared by every view that has them (the main
screen, holders, batch, the worker profile). Apart from the change runner, so the main
screen has them before the first frame without loading the runner."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from qualtui.core.changes.change import ChangeKind

WriteKind: TypeAlias = "ChangeKind"  # "set", "grant" or "revoke" here


class ChangeKeys:
    """The actions of the set, grant and revoke keys, once for every view that has them:
    each view says how a change of the chosen row (or lookup) starts, in `_change_row`."""

    def _change_row(self, kind: WriteKind) -> None:
        raise NotImplementedError

    def action_set_score(self) -> None:
        self._change_row("set")

    def action_grant(self) -> None:
        self._change_row("grant")

    def action_revoke(self) -> None:
        self._change_row("revoke")
