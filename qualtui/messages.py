"""Messages that carry results from worker threads back to the UI."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from qualtui.core.account import AccountCheck
from qualtui.core.connection import Connection
from qualtui.core.history import LoadReport, Snapshot
from qualtui.core.holders import HoldersPage
from qualtui.core.models import Failure, LookupResult
from qualtui.core.profiles import ProfileList
from qualtui.core.qualification_types import QualificationType, TypeList


@dataclass
class LookupProgress(Message):
    """An HTTP attempt of lookup `seq` is starting (attempt > 1 means a retry)."""

    seq: int
    attempt: int
    max_attempts: int


@dataclass
class LookupFinished(Message):
    seq: int
    result: LookupResult


@dataclass
class ProfilesLoaded(Message):
    profiles: ProfileList


@dataclass
class HistoryLoaded(Message):
    report: LoadReport


@dataclass
class HistoryChanged(Message):
    snapshot: Snapshot
    warning: str | None = None


@dataclass
class ConnectionChecked(Message):
    seq: int
    check: AccountCheck


@dataclass
class TypesLoaded(Message):
    types: TypeList


@dataclass
class TypeDetailsLoaded(Message):
    connection: Connection
    qualification_type_id: str
    details: QualificationType | Failure


@dataclass
class HoldersLoaded(Message):
    seq: int
    page: HoldersPage


@dataclass
class BatchFinished(Message):
    seq: int
    done: int
