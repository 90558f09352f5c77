"""A Footer that rebuilds its keys only when what it shows changes.

Textual's Footer recomposes (a dozen FooterKey widgets, each restyled) on every binding
refresh: each focus change, each highlighted history row. Most change nothing it shows;
after a lookup they cost more than painting the answer. This one compares first."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

Shown = tuple[tuple[str, str, str, bool], ...]


class SteadyFooter(Footer):
    def __init__(self) -> None:
        super().__init__()
        self._shown: Shown | None = None
        # Its keys in its first frame: Footer composes none until the screen's next binding
        # refresh, and the keys came a frame or more after the rest of the screen.
        self.set_reactive(Footer._bindings_ready, True)

    def compose(self) -> ComposeResult:
        self._shown = self._what_it_shows(self.screen)
        for widget in super().compose():
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                # A key bound to the footer's `compact` gets it before it is mounted: from
                # its default, the watcher added the class "-compact" and the binding removed
                # it, two restyles of each key (7 ms for the main screen's ten). The command
                # palette's key is not bound: it keeps its own (compact).
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    def _what_it_shows(self, screen: Screen[object]) -> Shown:
        return tuple(
            (key, binding.description, binding.action, enabled)
            for key, (_node, binding, enabled, _tooltip) in screen.active_bindings.items()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            shown = self._what_it_shows(screen)
            if shown == self._shown:
                return
            self._shown = shown
        super().bindings_changed(screen)
