"""The local MTurk-compatible endpoint (standard library only; imports nothing of the app).

It speaks the real wire protocol on loopback (JSON 1.1 over HTTP/1.1, SigV4 checked) and
answers with the service's response and error shapes. Demo mode, the tests and the
benchmarks point boto3 at it through `endpoint_url`, so they exercise signing,
serialisation, retries and error parsing for real. `Fault` rules make it misbehave on
purpose: latency, throttling, 5xx, dropped connections, malformed bodies and chosen error
messages, per operation or per worker.

Operations: GetQualificationScore, GetQualificationType, ListWorkersWithQualificationType,
ListQualificationTypes (MustBeOwnedByCaller keeps only your own), GetAccountBalance;
AssociateQualificationWithWorker, DisassociateQualificationFromWorker,
ListQualificationRequests, AcceptQualificationRequest, RejectQualificationRequest (writes
change the in-memory data: the next read sees them; a new server is a fresh demo); ListHITs
and ListAssignmentsForHIT. Errors are the service's: RequestError with a TurkErrorCode and
" (<stamp>)" for a missing type (also another requester's), a qualification not held, a
missing request or HIT; SerializationException for a field of the wrong JSON type.

As a server it is bounded: 1 MiB bodies (413 unread), Authorization checked before the
body, a per-connection timeout (60 s), 256 connections at once, the last 2000 calls logged.

Demo data (production; IDs a human can type):
- Types: 3DEMOTRANSCRIBE000000000000001 (requestable), 3DEMOATTENTION0000000000000001,
  3DEMOLOCALE0000000000000000001 (locale), 3DEMOPILOT00000000000000000001 (inactive),
  3DEMOIMAGETAG00000000000000001 (240 generated holders, requestable),
  3DEMOCAREFUL000000000000000001 ("[red]Careful[/red] raters"),
  3DEMOWAVETWO000000000000000001, 3DEMOCALIBRATE0000000000000001 (requestable),
  3DEMOEUPANEL000000000000000001 (locale), and 125 generated
  3DEMOARCHIVE000000000000000001..125: 134 owned types, two pages.
  3DEMOOTHERREQUESTER00000000001 is another requester's: readable, otherwise "does not exist".
- Workers: A1GRANTEDWORKER (the profile worker: 7 of 134 types, granted, revoked, zero,
  locale-only), A2REVOKEDWORKER, A3ZEROSCOREWORKER, A4LOCALEWORKER, A5NOTHELDWORKER,
  A6COUNTRYWORKER, A7REQUESTINGWORKER.
- Pending requests: 3DEMOREQUEST000000000000000001..3 (transcription; A5, A7, A2) and
  ...004 (image tagging; A5).
- HITs, newest first: 3DEMOHITFOLLOWUP00000000000001 (no assignments),
  3DEMOHITSURVEY0000000000000001 (annotated; A1, A2, A3, A4, A5 and one in progress),
  3DEMOHITPILOT00000000000000001 ("[bold]Pilot[/bold] ...", 133 assignments: submitted,
  approved, rejected), 3DEMOHITTAGGING000000000000001.
Sandbox: 3SANDBOXTEST000000000000000001, 3SANDBOXLOCALE0000000000000001, request
3SANDBOXREQUEST000000000000001, HIT 3SANDBOXHIT0000000000000000001.

Modules: `server` (HTTP, `LocalMTurk`, the call log), `operations` (one registry of the
operations; adding one is a one-file change), `dataset` (what an environment holds, the
demo data), `faults` (`Fault`), `errors` (the error shapes and the stamp), `sigv4`.
"""

from .dataset import Dataset, load_demo_data
from .errors import millisecond_stamp
from .faults import Fault
from .server import Call, LocalMTurk

__all__ = ["Call", "Dataset", "Fault", "LocalMTurk", "load_demo_data", "millisecond_stamp"]
