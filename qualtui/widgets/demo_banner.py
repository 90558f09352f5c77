"""The demo-mode banner: this is made-up data, and some IDs to try."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from qualtui.core.config import DemoExample

Part = str | tuple[str, str]


class DemoBanner(Vertical):
    """Two versions of the same hint: the full one, and a short one for narrow terminals."""

    def __init__(self, examples: tuple[DemoExample, ...]) -> None:
        super().__init__(id="demo-banner")
        self.examples = examples

    def compose(self) -> ComposeResult:
        first = self.examples[0].qualification_type_id
        same = [e for e in self.examples if e.qualification_type_id == first]
        others = [e for e in self.examples if e.qualification_type_id != first]
        tag: Part = (" DEMO ", "bold reverse")
        long: list[Part] = [tag, " Made-up data from a local endpoint. Type ", (first, "bold")]
        long.append(" and a worker:")
        for example in same:
            long += ["  ", (example.worker_id, "bold"), f" {example.what}"]
        for example in others:
            long += ["  · also ", (example.qualification_type_id, "bold"), " with "]
            long += [(example.worker_id, "bold"), f" {example.what}"]
        short: list[Part] = [tag, " Made-up local data. Workers to try:"]
        for example in same:
            short += [" ", (example.worker_id, "bold")]
        yield Static(Content.assemble(*long), id="demo-long", markup=False)
        yield Static(Content.assemble(*short), id="demo-short", markup=False)
