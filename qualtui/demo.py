"""Demo mode: the shipped local endpoint, one per environment, with dummy credentials."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from qualtui.core.client import ClientSettings
from qualtui.core.config import AppConfig, DemoExample
from qualtui.core.connection import PRODUCTION, SANDBOX, EndpointPlan
from qualtui.endpoint import Fault, LocalMTurk, load_demo_data, millisecond_stamp

# Dummy keys: the demo endpoints accept any well-formed signature.
DEMO_CREDENTIALS = ("AKIAQUALTUIDEMO00000", "qualtui-demo-secret-not-a-real-key")

TRANSCRIBE = "3DEMOTRANSCRIBE000000000000001"
LOCALE = "3DEMOLOCALE0000000000000000001"
EXAMPLES = (
    DemoExample(TRANSCRIBE, "A1GRANTEDWORKER", "granted, score 87"),
    DemoExample(TRANSCRIBE, "A3ZEROSCOREWORKER", "score 0"),
    DemoExample(TRANSCRIBE, "A2REVOKEDWORKER", "revoked"),
    DemoExample(TRANSCRIBE, "A5NOTHELDWORKER", "does not hold it"),
    DemoExample(LOCALE, "A4LOCALEWORKER", "locale only"),
)


@dataclass
class DemoEndpoints:
    """Local production and sandbox endpoints, running in background threads."""

    servers: dict[str, LocalMTurk] = field(default_factory=dict)

    @classmethod
    def start(
        cls, faults: Sequence[Fault] = (), stamp: Callable[[], int] = millisecond_stamp
    ) -> DemoEndpoints:
        """Start both endpoints; `faults` (each copied) apply to both; `stamp` is their clock."""
        data = load_demo_data()
        servers = {
            env: LocalMTurk(data[env], faults=[replace(f) for f in faults], stamp=stamp).start()
            for env in (PRODUCTION, SANDBOX)
        }
        return cls(servers)

    @property
    def plan(self) -> EndpointPlan:
        return EndpointPlan(per_environment={env: s.url for env, s in self.servers.items()})

    def client_settings(self, base: ClientSettings) -> ClientSettings:
        return base._replace(static_credentials=DEMO_CREDENTIALS)

    def stop(self) -> None:
        for server in self.servers.values():
            server.stop()


@contextlib.contextmanager
def demo_config(config: AppConfig, faults: Sequence[Fault] = ()) -> Iterator[AppConfig]:
    """Start the local endpoints; yield `config` pointed at them, stop them after."""
    endpoints = DemoEndpoints.start(faults)
    try:
        yield replace(
            config,
            endpoints=endpoints.plan,
            client_settings=endpoints.client_settings(config.client_settings),
            demo_examples=EXAMPLES,
        )
    finally:
        endpoints.stop()
