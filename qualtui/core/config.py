"""Everything the app needs to know at start-up, gathered by the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from qualtui.core.client_settings import ClientSettings
from qualtui.core.connection import PRODUCTION, EndpointPlan
from qualtui.core.history.caps import DEFAULT_LIMIT
from qualtui.core.settings import Settings
from qualtui.core.timefmt import utc_now


class DemoExample(NamedTuple):
    qualification_type_id: str
    worker_id: str
    what: str


@dataclass(frozen=True)
class AppConfig:
    history_path: Path
    profile: str | None = None
    environment: str = PRODUCTION
    endpoints: EndpointPlan = field(default_factory=EndpointPlan)
    client_settings: ClientSettings = field(default_factory=ClientSettings)
    history_limit: int = DEFAULT_LIMIT
    # The configured cap of interactive lookups (history_limit in settings.json); None for
    # the default. A per-run --history-limit never trims below it.
    history_cap: int | None = None
    demo_examples: tuple[DemoExample, ...] | None = None
    clock: Callable[[], datetime] = utc_now
    notices: tuple[str, ...] = ()  # problems found while starting, shown once the UI is up
    settings: Settings = field(default_factory=Settings)
    settings_path: Path | None = None  # None: choices are not kept (tests, screenshots)
    read_only: bool = False  # --read-only or read_only in settings: no write action at all

    @property
    def demo(self) -> bool:
        return self.demo_examples is not None
