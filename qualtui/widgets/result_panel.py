"""The results panel: a qualification, or what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, cast

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import LoadingIndicator, Static

from qualtui.core import timefmt
from qualtui.core.connection import environment_label
from qualtui.core.locales import locale_name
from qualtui.core.text import printable
from qualtui.widgets.status_style import status_markup_style

if TYPE_CHECKING:
    from qualtui.core.changes.change import Change
    from qualtui.core.models import Failure, LookupRequest, LookupResult, Qualification
    from qualtui.core.qualification_types import QualificationType

LABEL_WIDTH = 12
PAINT_WAIT = 0.5  # seconds: after_paint's callbacks run by then even if no frame drew the text


class Row(NamedTuple):
    """A labelled value: wrapped under its value, with a hanging indent below the label."""

    label: str
    value: tuple[str | tuple[str, str], ...]


Part = str | tuple[str, str] | Row

SEVERITY_STYLE = {
    "info": "bold $text-primary",
    "warning": "bold $text-warning",
    "error": "bold $text-error",
}
SEVERITY_ICON = {"info": "○", "warning": "⚠", "error": "✖"}


def _plain(*parts: str | tuple[str, str]) -> Content:
    """Content from plain parts: never markup, and no control characters (escapes)."""
    return Content.assemble(
        *(printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in parts)
    )


def _assemble(*parts: Part, width: int | None = None) -> Content:
    """The panel's text; a row's value wraps at `width` (when known) under itself."""
    pieces: list[Content] = []
    for part in parts:
        if not isinstance(part, Row):
            pieces.append(_plain(part))
            continue
        label = _plain((f"{part.label:<{LABEL_WIDTH}}", "$text-muted"))
        value = _plain(*part.value)
        room = (width or 0) - LABEL_WIDTH
        lines = value.wrap(room) if room >= 10 and value.cell_length > room else [value]
        indent = Content("\n" + " " * LABEL_WIDTH)
        pieces += [label, indent.join(lines), Content("\n")]
    return Content("").join(pieces)


def _row(label: str, *value: str | tuple[str, str]) -> list[Part]:
    return [Row(label, value)]


def type_summary(qtype: QualificationType) -> str:
    """'Active · auto-granted (1) · created 2025-02-11'."""
    facts = [qtype.status or "status unknown"]
    if qtype.auto_granted:
        value = qtype.auto_granted_value
        facts.append("auto-granted" + (f" ({value})" if value is not None else ""))
    if qtype.is_requestable:
        facts.append("requestable")
    if qtype.created is not None:
        facts.append(f"created {qtype.created.astimezone():%Y-%m-%d}")
    return " · ".join(facts)


def _type_rows(qtype: QualificationType | None) -> list[Part]:
    if qtype is None:
        return []
    rows = _row("Name", (qtype.name, "bold"), (f"  {type_summary(qtype)}", "$text-muted"))
    if qtype.description:
        rows += _row("About", qtype.description)
    return rows


def _request_rows(request: LookupRequest, qtype: QualificationType | None = None) -> list[Part]:
    connection = request.connection
    where = environment_label(connection.environment)
    if connection.profile:
        where += f" · profile {connection.profile}"
    return [
        *_row("Worker", request.worker_id),
        *_row("Type", request.qualification_type_id),
        *_type_rows(qtype),
        *_row("Where", where),
    ]


def render_qualification(
    q: Qualification,
    request: LookupRequest,
    now: datetime,
    qtype: QualificationType | None = None,
) -> list[Part]:
    icon = "●" if q.status == "Granted" else "✖"
    parts: list[Part] = [
        (
            f"{icon} {q.status.upper() or 'UNKNOWN STATUS'}",
            status_markup_style(q.status, bold=True),
        ),
        "\n\n",
    ]
    from qualtui.core.result_format import qualification_cells  # after the first frame

    values = qualification_cells(q)
    if values.score:
        parts += _row("Score", (values.score, "bold"))
    else:
        parts += _row(
            "Score",
            ("none", "$text-muted"),
            (" (this qualification has no integer value)", "$text-muted"),
        )
    if values.locale and q.locale is not None:
        name = locale_name(q.locale)
        parts += _row(
            "Locale",
            (values.locale, "bold"),
            (f"  {printable(name)}" if name else "", "$text-muted"),
        )
    else:
        parts += _row("Locale", ("none", "$text-muted"))
    if q.grant_time is not None:
        parts += _row(
            "Granted",
            values.granted,
            (f"  ({timefmt.ago(q.grant_time, now)})", "$text-muted"),
        )
    else:
        parts += _row("Granted", ("unknown", "$text-muted"))
    parts += _request_rows(request, qtype)
    return parts


def render_failure(
    failure: Failure, request: LookupRequest, qtype: QualificationType | None = None
) -> list[Part]:
    style = SEVERITY_STYLE[failure.severity]
    parts: list[Part] = [(f"{SEVERITY_ICON[failure.severity]} {failure.title}", style), "\n\n"]
    parts += [failure.explanation, "\n"]
    parts += _row("What to do", failure.fix)
    if failure.command:
        parts += _row("Command", (failure.command, "bold"), ("   F6 copies it", "$text-muted"))
    elif failure.kind == "unexpected":
        from qualtui.core.errors import log_file_hint

        parts += _row("Log", (log_file_hint(), "bold"), ("   F6 copies its path", "$text-muted"))
    service = " · ".join(p for p in (failure.code, failure.turk_error_code) if p)
    if service:
        parts += _row("Error", service)
    if failure.message:
        parts += _row("Message", failure.message)
    parts += _request_rows(request, qtype)
    return parts


CHANGE_VERBS = {
    "set": "Score set",
    "grant": "Granted",
    "revoke": "Revoked",
    "accept": "Request accepted",
    "reject": "Request rejected",
}


def render_change(change: Change) -> list[Part]:
    """A change as verified: done (the state read back), unknown (what reading back found),
    or failed (why, explained)."""
    details = change.details
    if details.outcome == "done":
        head: Part = (f"✔ {CHANGE_VERBS[change.kind]}: verified", "bold $text-success")
    elif details.outcome == "unknown":
        head = (f"? {change.outcome_text()}", "bold $text-warning")
    else:
        head = (f"✖ {change.outcome_text()}", "bold $text-error")
    before = details.before.text() if details.before is not None else "unknown"
    parts: list[Part] = [head, "\n\n"]
    parts += _row("Change", f"{before} -> {details.after.text()}")
    if details.checked is not None:
        parts += _row("Now", (details.checked.text(), "bold"), ("  (read back)", "$text-muted"))
    failure = details.failure
    if failure is not None and details.outcome != "done":
        service = " · ".join(p for p in (failure.code, failure.turk_error_code) if p)
        if service:
            parts += _row("Error", service)
        if failure.message:
            parts += _row("Message", failure.message)
    if details.reason:
        parts += _row("Reason", details.reason)
    parts += _row("Notified", "yes" if details.notified else "no")
    for warning in details.warnings:
        parts += _row("Warning", (warning, "$text-warning"))
    if details.undoes:
        parts += _row("Undoes", details.undoes[:12])
    from qualtui.core.models import LookupRequest

    request = LookupRequest(change.connection, change.qualification_type_id, change.worker_id)
    parts += _request_rows(request)
    return parts


class ResultBody(Static):
    """The panel's text. Callbacks given to `after_paint` run once a frame has drawn it."""

    def __init__(self) -> None:
        super().__init__(id="result-body", markup=False)
        self._after_paint: list[Callable[[], object]] = []
        self._paint_wait: Timer | None = None

    def after_paint(self, callback: Callable[[], object]) -> None:
        """Run `callback` after the next frame that draws this text is written: work that
        would delay that frame (the history's redraw) waits for it. If no frame draws it
        soon (another screen on top), it runs after PAINT_WAIT anyway."""
        self._after_paint.append(callback)
        if self._paint_wait is None:
            self._paint_wait = self.set_timer(PAINT_WAIT, self._painted)

    def show(self, content: Content) -> None:
        """Show `content`; a text of the same height as the one on show is only repainted,
        with no layout pass (most answers: one frame sooner, and a cheaper one)."""
        size = self.content_size
        same_height = (
            size.width > 0
            and size.height > 0
            and content.get_height(cast(RulesMap, self.styles), size.width) == size.height
        )
        self.update(content, layout=not same_height)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._after_paint:
            # Called while the frame is composed: the callbacks run once it is written.
            self.call_later(self._painted)
        return lines

    def run_after_paint(self) -> None:
        """Run what waits for the frame now (the app quits before it is drawn)."""
        self._painted()

    def _painted(self) -> None:
        if self._paint_wait is not None:
            self._paint_wait.stop()
            self._paint_wait = None
        callbacks, self._after_paint = self._after_paint, []
        for callback in callbacks:
            callback()

    def on_unmount(self) -> None:
        self._painted()


class ResultPanel(VerticalScroll):
    """Shows the state of the current lookup. Its height is fixed by the stylesheet (an
    answer needs no relayout); the spinner is mounted only while a lookup is slow."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__(id="result-panel")
        self._clock = clock
        self.border_title = "Result"
        self.state = "idle"
        self.result: LookupResult | None = None
        self.qualification_type: QualificationType | None = None
        self._parts: list[Part] = []
        self._painted_width: int | None = None
        self._spinner: LoadingIndicator | None = None

    def compose(self) -> ComposeResult:
        yield ResultBody()

    def on_mount(self) -> None:
        self.show_idle()

    @property
    def body(self) -> ResultBody:
        return self.query_one(ResultBody)

    @property
    def spinning(self) -> bool:
        return self._spinner is not None

    def _text_width(self) -> int | None:
        width = self.scrollable_content_region.width
        return width if width > 0 else None

    def _paint(self) -> None:
        width = self._text_width()
        self._painted_width = width
        self.body.show(_assemble(*self._parts, width=width).rstrip())

    def on_resize(self, event: events.Resize) -> None:
        if self._text_width() != self._painted_width:
            self._paint()  # the values re-wrapped under their labels

    def _show(self, state: str, parts: list[Part], *, busy: bool = False) -> None:
        self.state = state
        self._parts = parts
        if busy and self._spinner is None:
            self._spinner = LoadingIndicator(classes="result-spinner")
            self.mount(self._spinner, before=0)
        elif not busy and self._spinner is not None:
            self._spinner.remove()  # a hidden LoadingIndicator still animates (a 16 Hz timer)
            self._spinner = None
        self._paint()
        self.set_class(busy, "-busy")

    def show_type(self, qtype: QualificationType) -> None:
        """Add a type's details to the result on show, if it is that type's."""
        result = self.result
        if (
            result is not None
            and self.state not in ("loading", "cancelled")
            and result.request.qualification_type_id == qtype.id
        ):
            self.show_result(result, qtype)

    def show_idle(self) -> None:
        self._show(
            "idle",
            [("Type a qualification type ID and a worker ID, then press Enter.", "$text-muted")],
        )

    def show_loading(self, request: LookupRequest) -> None:
        self._show(
            "loading",
            [
                ("Looking up…", "bold"),
                ("  Esc cancels", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ],
            busy=True,
        )

    def show_attempt(self, request: LookupRequest, attempt: int, max_attempts: int) -> None:
        self._show(
            "loading",
            [
                (f"Retrying… attempt {attempt} of {max_attempts}", "bold $text-warning"),
                ("  Esc cancels", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ],
            busy=True,
        )

    def show_cancelled(self, request: LookupRequest) -> None:
        self._show(
            "cancelled",
            [
                ("Cancelled.", "bold"),
                ("  A late answer will be ignored.", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ],
        )

    def mark_previous(self, type_id: str, worker_id: str) -> None:
        """Say so when the ID fields no longer hold the IDs of the result on show."""
        result = self.result
        previous = (
            result is not None
            and self.state not in ("loading", "cancelled", "idle")
            and (type_id, worker_id)
            != (result.request.qualification_type_id, result.request.worker_id)
        )
        if previous != self.has_class("-previous"):  # most keystrokes change nothing here
            self.set_class(previous, "-previous")
            self.border_title = "Result · for the previous IDs" if previous else "Result"

    def show_result(self, result: LookupResult, qtype: QualificationType | None = None) -> None:
        self.result, self.qualification_type = result, qtype
        if self.has_class("-previous"):
            self.set_class(False, "-previous")
            self.border_title = "Result"
        if result.qualification is not None:
            content = render_qualification(
                result.qualification, result.request, self._clock(), qtype
            )
            self._show("result", content)
        elif result.failure is not None:
            self._show(result.failure.kind, render_failure(result.failure, result.request, qtype))
        self.border_subtitle = f"{result.elapsed * 1000:.0f} ms" + (
            f" · {result.attempts} attempts" if result.attempts > 1 else ""
        )

    def show_change(self, change: Change) -> None:
        """The verified outcome of a change (the lookup it was made from stays the result)."""
        self.set_class(False, "-previous")
        self.border_title = "Change"
        self.border_subtitle = change.id[:12]
        self._show(f"change-{change.outcome}", render_change(change))
