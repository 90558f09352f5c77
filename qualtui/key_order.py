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
palette's search) before handing over the next key. Waiting means: a callback posted
behind the work on each queue concerned has run (a barrier), repeated until focus and
screen no longer change and those queues are empty; each wait is bounded, so a stuck
widget delays keys but never loses them.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from typing import Any

from textual import events
from textual.app import App, ScreenStackError
from textual.command import CommandPalette
from textual.dom import DOMNode

SETTLE_LIMIT = 2.0  # seconds one settling may take before the next key goes anyway
MAX_ROUNDS = 12
_PALETTE_SEARCH = CommandPalette._GATHER_COMMANDS_GROUP

HeldEvent = events.Key | events.Paste


class KeyOrder:
    """The App's gate for keys and pastes (see the module's docstring)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._held: deque[HeldEvent] = deque()
        self._task: asyncio.Task[None] | None = None
        self._releasing: HeldEvent | None = None
        self._delivered: asyncio.Future[None] | None = None

    @property
    def holding(self) -> int:
        """Keys and pastes waiting their turn."""
        return len(self._held)

    @property
    def idle(self) -> bool:
        """Every key and paste so far has been handed over and has taken effect."""
        return self._task is None and not self._held

    def is_released(self, event: events.Event) -> bool:
        """True for the held event now handed back to the App (to handle normally)."""
        return event is self._releasing

    def delivered(self) -> None:
        """The App has handled the released event."""
        self._releasing = None
        if self._delivered is not None and not self._delivered.done():
            self._delivered.set_result(None)

    def hold(self, event: HeldEvent) -> bool:
        """True if the App must not handle `event` now: it waits its turn."""
        if self._task is not None:
            self._held.append(event)
            return True
        if self._takes_at_once(event):
            return False
        self._held.append(event)
        self._task = asyncio.create_task(self._release_in_order())
        return True

    def stop(self) -> None:
        self._held.clear()
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
        loop = asyncio.get_running_loop()
        try:
            while self._held:
                event = self._held[0]
                ordered = not self._takes_at_once(event)
                if ordered:
                    await self.settle()  # what was typed before it has taken effect
                self._held.popleft()
                self._releasing = event
                self._delivered = loop.create_future()
                if not self.app.post_message(event):
                    break  # the app is closing
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._delivered, SETTLE_LIMIT * 5)
                self._releasing = None
                if ordered:
                    await self.settle()  # and it has taken effect
        except ScreenStackError:  # the app closed meanwhile: nothing left to type into
            self._held.clear()
        finally:
            self._task = None
            self._releasing = None

    async def settle(self) -> None:
        """Wait until what was queued so far has taken effect: the focused widget, its
        ancestors, the App and the command palette's search are quiet, and neither focus nor
        screen changed in the last round (each round a barrier on every queue concerned)."""
        app = self.app
        deadline = asyncio.get_running_loop().time() + SETTLE_LIMIT
        for _ in range(MAX_ROUNDS):
            before = (app.screen, app.focused)
            for node in self._chain():
                await _barrier(node, deadline)
            await _barrier(app, deadline)  # the bindings the key ran, deferred focus
            await _palette_search(app, deadline)
            if (app.screen, app.focused) == before and not any(
                node.message_queue_size for node in self._chain()
            ):
                return

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


async def _barrier(node: DOMNode, deadline: float) -> None:
    """Wait until `node` has handled everything queued to it before now."""
    loop = asyncio.get_running_loop()
    passed = asyncio.Event()
    if not node.call_later(passed.set):
        return  # closed or closing
    remaining = deadline - loop.time()
    if remaining <= 0:
        return
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(passed.wait(), remaining)


async def _palette_search(app: App[Any], deadline: float) -> None:
    """In the command palette, Enter picks from the list the search fills in the background:
    wait for the search of what was typed, or Enter picks from an older list."""
    screen = app.screen
    if not isinstance(screen, CommandPalette):
        return
    loop = asyncio.get_running_loop()
    while loop.time() < deadline and any(
        worker.node is screen and worker.group == _PALETTE_SEARCH and not worker.is_finished
        for worker in app.workers
    ):
        await asyncio.sleep(0.005)
