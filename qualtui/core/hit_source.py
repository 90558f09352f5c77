"""Where a batch's workers came from, when they came from HITs: the seam for what acts on a
batch later (a write plan "grant all…" reads `assignments` and `workers` from here).

A batch row from HITs carries two more columns: the statuses of the worker's assignments
and the HITs they did, so results can be filtered ("approved") and exported with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from qualtui.core.hits import Assignment, HitWorker, HitWorkers

SOURCE_COLUMNS = ("Assignment", "HIT")
"""The batch table's extra columns: the assignment statuses, the HIT IDs (space separated;
the statuses first, as the HIT IDs can be long)."""

SOURCE_FIELDS = ("assignment_statuses", "hit_ids")
"""The same, as export field names (CSV columns, JSON keys)."""


@dataclass(frozen=True)
class HitSource:
    """The workers of some HITs, merged: each worker once, with all their assignments."""

    listing: HitWorkers
    _by_worker: dict[str, HitWorker] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_worker", {w.worker_id: w for w in self.listing.workers})

    @property
    def hit_ids(self) -> tuple[str, ...]:
        return self.listing.hit_ids

    @property
    def worker_ids(self) -> tuple[str, ...]:
        return self.listing.worker_ids

    @property
    def workers(self) -> tuple[HitWorker, ...]:
        return self.listing.workers

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        return self.listing.assignments

    def cells(self, worker_id: str) -> tuple[str, str]:
        """The two extra cells of a worker's row (SOURCE_COLUMNS); empty for a stranger."""
        worker = self._by_worker.get(worker_id)
        if worker is None:
            return ("", "")
        return (" ".join(worker.statuses), " ".join(worker.hit_ids))

    def fields(self, worker_id: str) -> Mapping[str, str]:
        """The same as export fields (SOURCE_FIELDS)."""
        return dict(zip(SOURCE_FIELDS, self.cells(worker_id), strict=True))

    def summary(self) -> str:
        """'133 assignments, 120 workers from 2 HITs'."""
        hits = len(self.hit_ids)
        listed = len(self.assignments)
        workers = len(self.workers)
        return (
            f"{listed} assignment{'s' if listed != 1 else ''}, "
            f"{workers} worker{'s' if workers != 1 else ''} "
            f"from {hits} HIT{'s' if hits != 1 else ''}"
        )
