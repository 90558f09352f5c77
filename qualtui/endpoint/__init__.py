"""The local MTurk-compatible endpoint (standard library only; imports nothing of the app).

It speaks the real wire protocol on loopback (JSON 1.1 over HTTP/1.1, SigV4 checked) and
answers with the service's response and error shapes. Demo mode, the tests and the
benchmarks point boto3 at it through `endpoint_url`, so they exercise signing,
serialisation, retries and error parsing for real. `Fault` rules make it misbehave on
purpose: latency, throttling, 5xx, dropped connections, malformed bodies and chosen error
messages, per operation or per worker.

Modules: `server` (HTTP, `LocalMTurk`, the call log), `operations` (one registry of the
operations; adding one is a one-file change), `dataset` (what an environment holds, the
demo data), `faults` (`Fault`), `errors` (the error shapes and the stamp), `sigv4`.
"""

from .dataset import Dataset, load_demo_data
from .errors import millisecond_stamp
from .faults import Fault
from .server import Call, LocalMTurk

__all__ = ["Call", "Dataset", "Fault", "LocalMTurk", "load_demo_data", "millisecond_stamp"]
