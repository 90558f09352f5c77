"""The two ID inputs, validated as you type; Enter in either asks for a lookup.

What is wrong with an ID shows in short in the field's border and in full on the line
under the fields (a 20-column border cannot hold "Only letters A-Z and digits 0-9: a space at
position 10"). A paste is cleaned first (`core.pasted_ids`): invisible characters removed,
full-width digits made ASCII, the first value of a spreadsheet row kept; a list of lines
pasted into Worker ID (a line each, or worker IDs on one line) is offered to the batch view
(`IdInput.ListPasted`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widgets import Button, Input, Static

from qualtui.core import ids
from qualtui.core.ids import IdKind
from qualtui.core.text import one_line

if TYPE_CHECKING:
    from typing_extensions import Self  # typing's from Python 3.11


class IdInput(Input):
    """An input for one kind of MTurk ID. Shows what is wrong in its bottom border."""

    class ListPasted(Message):
        """Several worker IDs were pasted into a Worker ID field (the first is in it):
        a line each (`lines`), or on one line. (Plain classes, not dataclasses, on the first
        frame's path: a dataclass costs about 0.4 ms to define.)"""

        def __init__(self, field: IdInput, values: tuple[str, ...], lines: bool = True) -> None:
            super().__init__()
            self.field = field
            self.values = values
            self.lines = lines

    # The cursor's blink repaints the line of text only, not the border and its labels:
    # most of what an idle app draws (#15).
    _cursor_visible = reactive(True, repaint=False)

    def watch__cursor_visible(self) -> None:
        self._blinking = True
        try:
            self.refresh(Region(0, 0, self.content_size.width, 1))
        finally:
            self._blinking = False

    # A blink shows one of two pictures of the field, the cursor shown or hidden, and
    # nothing else changes while it blinks: both are kept and handed back to the screen
    # at each blink, not drawn again (an idle app's CPU, #15). Anything else that changes
    # the field's look refreshes it (Textual's own rule: its line cache lives by it too),
    # which forgets them; so do a restyle, a new size and what the key holds.
    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if not self._blinking:
            self._blink_pictures.clear()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._blink_pictures.clear()
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        key = (
            crop,
            self.size,
            self._cursor_visible,
            self.has_focus,
            self.value,
            self.cursor_position,
            self.selection,
            self.scroll_offset,
        )
        picture = self._blink_pictures.get(key)
        if picture is None:
            if len(self._blink_pictures) >= 4:
                self._blink_pictures.clear()
            picture = self._blink_pictures[key] = super().render_lines(crop)
        return picture

    def __init__(self, kind: IdKind, *, id: str, value: str = "") -> None:
        self._blinking = False
        self._blink_pictures: dict[tuple[object, ...], list[Strip]] = {}
        super().__init__(value=value, placeholder=kind.label, id=id)
        self.kind = kind
        self.border_title = kind.label
        self._short_problem: str | None = None

    @property
    def id_value(self) -> str:
        return ids.normalize(self.value)

    @property
    def problem(self) -> str | None:
        return ids.problem(self.kind, self.id_value)

    @property
    def shown_problem(self) -> str | None:
        """The whole problem of the field, while it is marked invalid."""
        return self.problem if self.has_class("-invalid") else None

    def show_problem(self, *, force: bool = False) -> bool:
        """Show the current problem (an empty field only when forced). True if valid."""
        problem = ids.explain(self.kind, self.id_value)
        if problem and not self.value and not force:
            problem = None
        self.set_class(problem is not None, "-invalid")
        short = problem.short if problem else None
        if short != self._short_problem:  # unchanged: no repaint (Enter's frame, #15)
            self._short_problem = short
            self.border_subtitle = Content(short) if short is not None else None
        return self.problem is None

    def _on_paste(self, event: events.Paste) -> None:
        """Paste the first value, cleaned; say what was left out or removed."""
        from qualtui.core.pasted_ids import clean_paste  # on the first paste

        event.stop()
        event.prevent_default()  # not Input's paste as well
        pasted = clean_paste(event.text)
        if pasted.first:
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(pasted.first)
            else:
                self.replace(pasted.first, *selection)
        workers = pasted.worker_list()
        if len(workers) > 1 and self.kind == ids.WORKER_ID:
            self.post_message(self.ListPasted(self, workers, pasted.many_lines))
            return
        notice = pasted.notice()
        if pasted.many_lines:
            notice = f"Pasted the first of {len(pasted.values)} lines."
        if notice:
            self.notify(notice, title=self.kind.label, timeout=6, markup=False)


class LookupForm(Vertical):
    """Qualification type ID, Worker ID and a button (`mount_button`), and the line that
    says what is wrong with them; posts `LookupForm.Submitted`."""

    class Submitted(Message):
        def __init__(self, qualification_type_id: str, worker_id: str) -> None:
            super().__init__()
            self.qualification_type_id = qualification_type_id
            self.worker_id = worker_id

    def __init__(self, qualification_type_id: str = "") -> None:
        super().__init__(id="lookup-form")
        self._initial_type_id = qualification_type_id
        self._problem_text = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="lookup-fields"):
            yield IdInput(ids.QUALIFICATION_TYPE_ID, id="type-id", value=self._initial_type_id)
            yield IdInput(ids.WORKER_ID, id="worker-id")
            # The button is mounted right after the first frame (`mount_button`), into a
            # place of its size: Button's stylesheet (7 KB, the largest of Textual's widgets)
            # is then parsed after that frame, not before it (#15).
            yield Vertical(id="lookup-button-place")
        yield Static("", id="lookup-problem", markup=False)

    async def mount_button(self) -> None:
        """The "Look up" button, in its place (after the Worker ID field: the same Tab
        order). The main screen mounts it right after its first frame."""
        place = self.query_one("#lookup-button-place")
        if not place.children:
            await place.mount(Button("Look up", id="lookup-button", variant="primary"))

    @property
    def problem_line(self) -> Static:
        return self.query_one("#lookup-problem", Static)

    def _show_problems(self) -> None:
        """Every field's whole problem, one line each, under the fields."""
        lines = [
            f"{field.kind.label}: {field.shown_problem}"
            for field in (self.type_input, self.worker_input)
            if field.shown_problem
        ]
        text = "\n".join(lines)
        if text != self._problem_text:  # unchanged: no relayout at each key or Enter (#15)
            self._problem_text = text
            self.problem_line.update(text)
            self.problem_line.display = bool(lines)

    @property
    def type_input(self) -> IdInput:
        return self.query_one("#type-id", IdInput)

    @property
    def worker_input(self) -> IdInput:
        return self.query_one("#worker-id", IdInput)

    def fill_checked(self, qualification_type_id: str, worker_id: str | None) -> str | None:
        """Fill the fields with IDs from outside (a history file, the service's answers);
        `worker_id` None leaves the worker field as it is.
        An ID that is not a valid MTurk ID is refused, never typed into a field (its text
        could hold escape sequences or spoofing characters): nothing is filled and the
        reason is returned, safe to show."""
        for kind, value in (
            (ids.QUALIFICATION_TYPE_ID, qualification_type_id),
            (ids.WORKER_ID, worker_id or ""),
        ):
            problem = ids.problem(kind, value) if value else None
            if problem:
                return f"Not filled in: the {kind.label} {one_line(repr(value), 60)} is not valid."
        self.fill(
            qualification_type_id, self.worker_input.value if worker_id is None else worker_id
        )
        return None

    def fill(self, qualification_type_id: str, worker_id: str) -> None:
        self.type_input.value = qualification_type_id
        self.worker_input.value = worker_id

    @on(Input.Changed)
    def _normalize(self, event: Input.Changed) -> None:
        field = event.input
        if not isinstance(field, IdInput):
            return
        normalized = ids.normalize(field.value)
        if normalized != field.value:
            # Same length (uppercasing) keeps the cursor; stripping moves it to the end.
            keep_cursor = len(normalized) == len(field.value)
            cursor = field.cursor_position
            field.value = normalized
            field.cursor_position = cursor if keep_cursor else len(normalized)
            return  # the change above posts another Changed, which validates
        field.show_problem()
        self._show_problems()

    @on(Input.Submitted)
    @on(Button.Pressed, "#lookup-button")
    def _submitted(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Validate both fields; post Submitted, or focus the first field that is wrong."""
        inputs = (self.type_input, self.worker_input)
        valid = [field.show_problem(force=True) for field in inputs]
        self._show_problems()
        if not all(valid):
            first_bad = inputs[valid.index(False)]
            first_bad.focus()
            return
        self.post_message(self.Submitted(self.type_input.id_value, self.worker_input.id_value))
