"""Keys take effect in the order they were typed, however fast they arrive.

Textual gives a key to the focused widget at once. A key that widget does not use itself
(Tab, Enter, Ctrl+U, Escape, the F-keys, a table's letter keys) then bubbles through the
queue of every ancestor, and its binding runs only when it is back at the App. Characters
typed right after it overtake it: text typed after Tab lands in the field Tab left, text
typed after Ctrl+U is cleared with the rest, Enter submits characters typed after it. A
burst of keys (a paste of keystrokes, a text expander, a barcode scanner, SSH lag) lost or
reordered nearly every lookup.

`KeyOrder` keeps the order. A key (or paste) the focused widget takes itself (a character
in a text field) is handed over at once, as before. Any other key closes a gate: it and
every key after it wait while the earlier keys settle, the key is handled exactly as
Textual would, then the gate waits until it has taken effect (the key's whole trip through
the widget tree, the bindings it ran, focus it moved, a screen it opened, the command
palette's search) before handing over the next key.

Waiting is on state, never on time: a callback posted behind the work on each queue
concerned has run (a barrier), repeated until focus and screen no longer change and those
queues are empty; the palette's search worker has finished. However slow the machine, the
next key waits for that. Only a queue that has not moved at all for STUCK_LIMIT (a widget
that hangs: a bug, not load) stops being waited for, so that it cannot take the keyboard
with it; even then no key is dropped or handed over out of turn: keys still go to the App
one at a time, in typing order, through its own first-in-first-out queue.
"""

from __future__ import annotations

import asyncio
import weakref
from collections import deque
from collections.abc import Awaitable
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.worker import Worker

# Seconds a queue may stay stuck on one message before it stops holding keys up. A last
# resort against a hung widget, not a timing: a loaded machine is slower by far less.
STUCK_LIMIT = 120.0
_PALETTE_SEARCH = CommandPalette._GATHER_COMMANDS_GROUP

HeldEvent = events.Key | events.Paste


class KeyOrder:
    """The App's gate for keys and pastes (see the module's docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self.received = 0  # keys and pastes that reached the gate (for tests and the log)
        self._held: deque[HeldEvent] = deque()
        self._task: asyncio.Task[None] | None = None
        # handed back to the App, not yet handled by it: by identity, with what is set
        # once it has been
        self._released: dict[int, tuple[HeldEvent, asyncio.Event]] = {}
        self._delivering: asyncio.Event | None = None
        # a barrier that has not passed within STUCK_LIMIT, per node: not waited for again
        # until it has passed
        self._stuck: weakref.WeakKeyDictionary[DOMNode, asyncio.Event] = weakref.WeakKeyDictionary()

    @property
    def holding(self) -> int:
        """Keys and pastes waiting their turn."""
        return len(self._held)

    @property
    def idle(self) -> bool:
        """Every key and paste so far has been handed over and has taken effect."""
        return self._task is None and not self._held and not self._released

    def is_released(self, event: events.Event) -> bool:
        """True for a held event now handed back to the App (to handle normally)."""
        released = self._released.get(id(event))
        if released is None or released[0] is not event:
            return False
        del self._released[id(event)]
        self._delivering = released[1]
        return True

    def delivered(self) -> None:
        """The App has handled the released event."""
        if self._delivering is not None:
            self._delivering.set()
            self._delivering = None

    def hold(self, event: HeldEvent) -> bool:
        """True if the App must not handle `event` now: it waits its turn (or the app is
        closing, with no screen left to type into)."""
        self.received += 1
        if self._task is not None:
            self._held.append(event)
            return True
        try:
            if self._takes_at_once(event):
                return False
        except ScreenStackError:
            return True  # closing
        self._held.append(event)
        self._task = asyncio.create_task(self._release_in_order())
        return True

    def stop(self) -> None:
        self._held.clear()
        self._released.clear()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    # ------------------------------------------------------------------ internals

    def _takes_at_once(self, event: HeldEvent) -> bool:
        """A paste, or a key the focused widget consumes itself (a character in a field)."""
        if isinstance(event, events.Paste):
            return True
        focused = self.app.focused
        return focused is not None and focused.check_consume_key(event.key, event.character)

    async def _release_in_order(self) -> None:
        try:
            while self._held:
                ordered = not self._takes_at_once(self._held[0])
                if ordered:
                    await self.settle()  # what was typed before it has taken effect
                    batch = [self._held.popleft()]
                else:  # it and the keys after it the focused widget takes too: together
                    batch = []
                    while self._held and self._takes_at_once(self._held[0]):
                        batch.append(self._held.popleft())
                for event in batch:
                    delivered = asyncio.Event()
                    self._released[id(event)] = (event, delivered)
                    if not self.app.post_message(event):
                        self._released.clear()
                        self._held.clear()
                        return  # the app is closing
                # Handled by the App in turn (its queue is first in, first out: the last is
                # handled last). Should the App's queue hang, they stay released: they are
                # still handled in order when their turn comes.
                await self._wait(delivered.wait(), self.app)
                if ordered:
                    await self.settle()  # and it has taken effect
        except ScreenStackError:  # the app closed meanwhile: nothing left to type into
            self._held.clear()
        finally:
            self._task = None

    async def settle(self) -> None:
        """Wait until what was queued so far has taken effect: the focused widget, its
        ancestors, the App and the command palette's search are quiet, and neither focus nor
        screen changed in the last round (each round a barrier on every queue concerned).
        No time limit: under load it takes longer, never less than that."""
        app = self.app
        while True:
            await self._screen_complete()
            before = (app.screen, app.focused)
            for node in self._chain():
                await self._barrier(node)
            await self._barrier(app)  # the bindings the key ran, deferred focus
            await self._palette_search()
            if (app.screen, app.focused) == before and not any(
                node.message_queue_size and not self._is_stuck(node) for node in self._chain()
            ):
                return

    async def _screen_complete(self) -> None:
        """A screen that mounts part of itself after its first frame (the main screen's
        `wait_complete`) takes keys other than characters once it is complete."""
        screen = self.app.screen
        wait_complete = getattr(screen, "wait_complete", None)
        if wait_complete is not None:
            await self._wait(wait_complete(), screen)

    def _chain(self) -> list[DOMNode]:
        """The focused widget and its ancestors up to its screen (or the screen alone)."""
        screen = self.app.screen
        focused = self.app.focused
        if focused is None or focused.screen is not screen:
            return [screen]
        chain: list[DOMNode] = []
        for node in focused.ancestors_with_self:
            chain.append(node)
            if node is screen:
                break
        return chain

    def _is_stuck(self, node: DOMNode) -> bool:
        passed = self._stuck.get(node)
        if passed is None:
            return False
        if passed.is_set():
            del self._stuck[node]
            return False
        return True

    async def _barrier(self, node: DOMNode) -> None:
        """Wait until `node` has handled everything queued to it before now."""
        if self._is_stuck(node):
            return
        passed = asyncio.Event()
        if not node.call_later(passed.set):
            return  # closed or closing
        if not await self._wait(passed.wait(), node):
            self._stuck[node] = passed

    async def _palette_search(self) -> None:
        """In the command palette, Enter picks from the list the search fills in the
        background: wait for the search of what was typed, or Enter picks from an older
        list."""
        app = self.app
        screen = app.screen
        if not isinstance(screen, CommandPalette):
            return
        while searching := [
            worker
            for worker in app.workers
            if worker.node is screen and worker.group == _PALETTE_SEARCH and _running(worker)
        ]:
            if not await self._wait(_finished(searching[0]), screen):
                return

    async def _wait(self, awaitable: Awaitable[Any], node: DOMNode) -> bool:
        """Wait for `awaitable`; False if `node` closed first, or hung (see STUCK_LIMIT)."""
        waiting = asyncio.ensure_future(awaitable)
        watched: set[asyncio.Future[Any]] = {waiting}
        running = getattr(node, "_task", None)  # the node's message loop
        if isinstance(running, asyncio.Task):
            watched.add(running)
        try:
            await asyncio.wait(watched, timeout=STUCK_LIMIT, return_when=asyncio.FIRST_COMPLETED)
        finally:
            if not waiting.done():
                waiting.cancel()
        return waiting.done() and not waiting.cancelled()


def _task_of(worker: Worker[Any]) -> asyncio.Task[Any] | None:
    task = getattr(worker, "_task", None)
    return task if isinstance(task, asyncio.Task) else None


def _running(worker: Worker[Any]) -> bool:
    task = _task_of(worker)
    return not worker.is_finished and task is not None and not task.done()


async def _finished(worker: Worker[Any]) -> None:
    """Until `worker`'s task has ended, however it ends."""
    task = _task_of(worker)
    if task is not None:
        await asyncio.wait({task})
