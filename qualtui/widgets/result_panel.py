"""The results panel: a qualification, or what went wrong and what to do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import LoadingIndicator, Static

from qualtui.core import timefmt
from qualtui.core.connection import environment_label
from qualtui.core.models import Failure, LookupRequest, LookupResult, Qualification
from qualtui.core.text import printable

Part = str | tuple[str, str]
LABEL_WIDTH = 12

STATUS_STYLE = {"Granted": "bold $text-success", "Revoked": "bold $text-error"}
SEVERITY_STYLE = {
    "info": "bold $text-primary",
    "warning": "bold $text-warning",
    "error": "bold $text-error",
}
SEVERITY_ICON = {"info": "○", "warning": "⚠", "error": "✖"}


def _assemble(*parts: Part) -> Content:
    """Content from plain parts: never markup, and no control characters (escapes)."""
    return Content.assemble(
        *(printable(p) if isinstance(p, str) else (printable(p[0]), p[1]) for p in parts)
    )


def _row(label: str, *value: Part) -> list[Part]:
    return [(f"{label:<{LABEL_WIDTH}}", "$text-muted"), *value, "\n"]


def _request_rows(request: LookupRequest) -> list[Part]:
    connection = request.connection
    where = environment_label(connection.environment)
    if connection.profile:
        where += f" · profile {connection.profile}"
    return [
        *_row("Worker", request.worker_id),
        *_row("Type", request.qualification_type_id),
        *_row("Where", where),
    ]


def render_qualification(q: Qualification, request: LookupRequest, now: datetime) -> Content:
    icon = "●" if q.status == "Granted" else "✖"
    parts: list[Part] = [
        (f"{icon} {q.status.upper() or 'UNKNOWN STATUS'}", STATUS_STYLE.get(q.status, "bold")),
        "\n\n",
    ]
    if q.integer_value is not None:
        parts += _row("Score", (str(q.integer_value), "bold"))
    else:
        parts += _row(
            "Score",
            ("none", "$text-muted"),
            (" (this qualification has no integer value)", "$text-muted"),
        )
    if q.locale is not None:
        parts += _row("Locale", (str(q.locale), "bold"))
    else:
        parts += _row("Locale", ("none", "$text-muted"))
    if q.grant_time is not None:
        parts += _row(
            "Granted",
            timefmt.local(q.grant_time),
            (f"  ({timefmt.ago(q.grant_time, now)})", "$text-muted"),
        )
    else:
        parts += _row("Granted", ("unknown", "$text-muted"))
    parts += _request_rows(request)
    return _assemble(*parts).rstrip()


def render_failure(failure: Failure, request: LookupRequest) -> Content:
    style = SEVERITY_STYLE[failure.severity]
    parts: list[Part] = [(f"{SEVERITY_ICON[failure.severity]} {failure.title}", style), "\n\n"]
    parts += [failure.explanation, "\n"]
    parts += _row("What to do", failure.fix)
    if failure.command:
        parts += _row("Command", (failure.command, "bold"), ("   F6 copies it", "$text-muted"))
    service = " · ".join(p for p in (failure.code, failure.turk_error_code) if p)
    if service:
        parts += _row("Error", service)
    if failure.message:
        parts += _row("Message", failure.message)
    parts += _request_rows(request)
    return _assemble(*parts).rstrip()


class ResultPanel(VerticalScroll):
    """Shows the state of the current lookup."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        super().__init__(id="result-panel")
        self._clock = clock
        self.border_title = "Result"
        self.state = "idle"

    def compose(self) -> ComposeResult:
        yield LoadingIndicator(id="result-spinner")
        yield Static(id="result-body", markup=False)

    def on_mount(self) -> None:
        self.show_idle()

    @property
    def body(self) -> Static:
        return self.query_one("#result-body", Static)

    def _show(self, state: str, content: Content, *, busy: bool = False) -> None:
        self.state = state
        self.query_one("#result-spinner").display = busy
        self.body.update(content)
        self.set_class(busy, "-busy")

    def show_idle(self) -> None:
        self._show(
            "idle",
            _assemble(
                ("Type a qualification type ID and a worker ID, then press Enter.", "$text-muted")
            ),
        )

    def show_loading(self, request: LookupRequest) -> None:
        self._show(
            "loading",
            _assemble(
                ("Looking up…", "bold"),
                ("  Esc cancels", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ).rstrip(),
            busy=True,
        )

    def show_attempt(self, request: LookupRequest, attempt: int, max_attempts: int) -> None:
        self._show(
            "loading",
            _assemble(
                (f"Retrying… attempt {attempt} of {max_attempts}", "bold $text-warning"),
                ("  Esc cancels", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ).rstrip(),
            busy=True,
        )

    def show_cancelled(self, request: LookupRequest) -> None:
        self._show(
            "cancelled",
            _assemble(
                ("Cancelled.", "bold"),
                ("  A late answer will be ignored.", "$text-muted"),
                "\n\n",
                *_request_rows(request),
            ).rstrip(),
        )

    def show_result(self, result: LookupResult) -> None:
        if result.qualification is not None:
            self._show(
                "result", render_qualification(result.qualification, result.request, self._clock())
            )
        elif result.failure is not None:
            self._show(result.failure.kind, render_failure(result.failure, result.request))
        self.border_subtitle = f"{result.elapsed * 1000:.0f} ms" + (
            f" · {result.attempts} attempts" if result.attempts > 1 else ""
        )
