"""Workers from HITs, in the batch view: choose HITs (Ctrl+O), their workers are listed
(`HitsLister`, Esc cancels), put in the list with where they came from (two more columns),
and looked up. `BatchScreen` (screens/batch.py) adds the form and the run."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.widgets import ProgressBar, Static

from qualtui.core.client import ClientCache
from qualtui.core.generation import Generation
from qualtui.core.hit_source import SOURCE_COLUMNS, HitSource
from qualtui.core.result_format import ROW_COLUMNS
from qualtui.screens.batch_table import BatchResultsView
from qualtui.widgets.batch_form import BatchForm
from qualtui.widgets.batch_hits import HitsLister, listing_note


class BatchFromHits(BatchResultsView):
    clients: ClientCache
    _hits_note: str

    @property
    def form(self) -> BatchForm:
        return self.query_one(BatchForm)

    @property
    def listing(self) -> bool:
        return self.query_one(HitsLister).listing

    @property
    def _listings(self) -> Generation:
        return self.query_one(HitsLister).listings

    @property
    def source(self) -> HitSource | None:
        return self.found.source

    def _say(self, text: str) -> None:
        self.query_one("#batch-problems", Static).update(text)

    def hide_progress(self) -> None:
        """Hide the bar, made determinate: a hidden bar with no total still animates,
        15 frames a second (#15)."""
        bar = self.query_one(ProgressBar)
        bar.update(total=1)
        bar.display = False

    def action_start(self) -> None:
        raise NotImplementedError

    def action_pick_hits(self) -> None:
        from qualtui.dialogs.hit_picker import HitPickerScreen

        if self.running or self.listing:
            self.notify("Wait for the batch to end, or cancel it (Esc).", severity="warning")
            return

        def chosen(hit_ids: tuple[str, ...] | None) -> None:
            if hit_ids:
                self.workers_from_hits(hit_ids)

        self.app.push_screen(HitPickerScreen(self.clients, self.connection), chosen)

    def workers_from_hits(self, hit_ids: Sequence[str]) -> None:
        """List the workers of these HITs (Submitted, Approved, Rejected), put them in the
        list, and look them up for the type in the field. Esc cancels the listing."""
        if self.running:
            return
        self.query_one(HitsLister).start(self.connection, hit_ids)
        bar = self.query_one(ProgressBar)
        bar.display = True
        bar.update(total=None, progress=0)  # listing: how long is not known
        noun = "HIT" if len(hit_ids) == 1 else f"{len(hit_ids)} HITs"
        self._say(f"Listing the workers of {noun}… · Esc cancels")
        self.query_one("#batch-rate", Static).update("")

    @on(HitsLister.Progress)
    def _hits_progress(self, message: HitsLister.Progress) -> None:
        p = message.progress
        where = f"HIT {p.hit_number} of {p.hits}, " if p.hits > 1 else ""
        self._say(
            f"Listing the workers: {where}page {p.pages}, "
            f"{p.total_assignments:,} assignments so far · Esc cancels"
        )

    @on(HitsLister.Listed)
    def _hits_listed(self, message: HitsLister.Listed) -> None:
        listing = message.listing
        source = HitSource(listing)
        self._hits_note = listing_note(listing, source.summary())
        self._say(self._hits_note)
        self.hide_progress()  # the listing's bar goes; a run that starts shows its own
        if not listing.workers:
            self._set_source(None)
            return
        self._set_source(source)
        self.form.load_workers(source.worker_ids)
        self.action_start()

    def _set_source(self, source: HitSource | None) -> None:
        """Where the list came from; the table gets (or loses) the HIT columns."""
        had = self.source is not None
        self.found.source = source
        if source is None:
            self._hits_note = ""
        if had != (source is not None):
            self.table.set_columns(ROW_COLUMNS + (SOURCE_COLUMNS if source else ()))
            self.found.sort = None
