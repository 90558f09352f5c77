"""Demo data for the worker profile (issue #16): one worker across many owned types."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from qualtui.endpoint import LocalMTurk
from tests.conftest import LOCALE_TYPE, TRANSCRIBE
from tests.test_endpoint import client

ATTENTION = "3DEMOATTENTION0000000000000001"
PILOT = "3DEMOPILOT00000000000000000001"
IMAGETAG = "3DEMOIMAGETAG00000000000000001"
CAREFUL = "3DEMOCAREFUL000000000000000001"
WAVE_TWO = "3DEMOWAVETWO000000000000000001"
CALIBRATION = "3DEMOCALIBRATE0000000000000001"
EU_PANEL = "3DEMOEUPANEL000000000000000001"
FOREIGN = "3DEMOOTHERREQUESTER00000000001"


def own_types(mturk: Any, **kwargs: Any) -> list[dict[str, Any]]:
    pages = mturk.get_paginator("list_qualification_types").paginate(
        MustBeRequestable=False, MustBeOwnedByCaller=True, **kwargs
    )
    return [t for page in pages for t in page["QualificationTypes"]]


def test_the_owned_types_take_two_pages(endpoint: LocalMTurk) -> None:
    mturk = client(endpoint)
    first = mturk.list_qualification_types(
        MustBeRequestable=False, MustBeOwnedByCaller=True, MaxResults=100
    )
    assert first["NumResults"] == 100 and "NextToken" in first
    second = mturk.list_qualification_types(
        MustBeRequestable=False,
        MustBeOwnedByCaller=True,
        MaxResults=100,
        NextToken=first["NextToken"],
    )
    assert second["NumResults"] == 34 and "NextToken" not in second
    ids = [t["QualificationTypeId"] for t in own_types(mturk)]
    assert len(ids) == len(set(ids)) == 134 and FOREIGN not in ids
    assert ids[-1] == "3DEMOARCHIVE000000000000000125"
    archived = [t for t in own_types(mturk) if t["QualificationTypeId"].startswith("3DEMOARCHIVE")]
    assert [t["Name"] for t in archived[:2]] == ["Archived study 001", "Archived study 002"]
    assert {t["QualificationTypeStatus"] for t in archived} == {"Active", "Inactive"}


def test_small_pages_and_requestable_owned_types(endpoint: LocalMTurk) -> None:
    assert len(own_types(client(endpoint), PaginationConfig={"PageSize": 2})) == 134
    pages = (
        client(endpoint)
        .get_paginator("list_qualification_types")
        .paginate(MustBeRequestable=True, MustBeOwnedByCaller=True)
    )
    ids = {t["QualificationTypeId"] for page in pages for t in page["QualificationTypes"]}
    assert ids == {TRANSCRIBE, IMAGETAG, CALIBRATION}


def test_the_profile_worker_across_every_owned_type(endpoint: LocalMTurk) -> None:
    mturk = client(endpoint)
    held: dict[str, dict[str, Any]] = {}
    not_held = 0
    for qtype in own_types(mturk):
        try:
            held[qtype["QualificationTypeId"]] = mturk.get_qualification_score(
                QualificationTypeId=qtype["QualificationTypeId"], WorkerId="A1GRANTEDWORKER"
            )["Qualification"]
        except ClientError as error:
            turk_code = error.response.get("TurkErrorCode")
            assert turk_code == "AWS.MechanicalTurk.QualificationDoesNotExist"
            not_held += 1
    assert not_held == 127
    summary = {
        type_id: (q["Status"], q.get("IntegerValue"), q.get("LocaleValue"))
        for type_id, q in held.items()
    }
    assert summary == {
        TRANSCRIBE: ("Granted", 87, None),
        ATTENTION: ("Granted", 1, None),
        PILOT: ("Granted", 1, None),
        CAREFUL: ("Granted", 92, None),
        WAVE_TWO: ("Revoked", 40, None),
        CALIBRATION: ("Granted", 0, None),
        EU_PANEL: ("Granted", None, {"Country": "DE", "Subdivision": "BY"}),
    }


def test_a_type_name_with_markup_is_sent_as_is(endpoint: LocalMTurk) -> None:
    qtype = client(endpoint).get_qualification_type(QualificationTypeId=CAREFUL)
    assert qtype["QualificationType"]["Name"] == "[red]Careful[/red] raters"


def test_the_original_demo_types_and_holders_are_unchanged(endpoint: LocalMTurk) -> None:
    mturk = client(endpoint)
    names = {t["QualificationTypeId"]: t["Name"] for t in own_types(mturk)[:5]}
    assert names == {
        TRANSCRIBE: "Audio transcription skill",
        ATTENTION: "Survey attention check",
        LOCALE_TYPE: "West Coast panel",
        PILOT: "Pilot study 2024 participants",
        IMAGETAG: "Image tagging - trusted",
    }

    def holders(type_id: str) -> dict[str, tuple[str, Any]]:
        pages = mturk.get_paginator("list_workers_with_qualification_type").paginate(
            QualificationTypeId=type_id
        )
        return {
            q["WorkerId"]: (q["Status"], q.get("IntegerValue", q.get("LocaleValue")))
            for page in pages
            for q in page["Qualifications"]
        }

    assert holders(TRANSCRIBE) == {
        "A1GRANTEDWORKER": ("Granted", 87),
        "A2REVOKEDWORKER": ("Revoked", 12),
        "A3ZEROSCOREWORKER": ("Granted", 0),
    }
    assert holders(ATTENTION) == {
        "A1GRANTEDWORKER": ("Granted", 1),
        "A3ZEROSCOREWORKER": ("Granted", 0),
    }
    assert holders(LOCALE_TYPE) == {
        "A4LOCALEWORKER": ("Granted", {"Country": "US", "Subdivision": "WA"}),
        "A6COUNTRYWORKER": ("Granted", {"Country": "CA"}),
    }
    assert holders(PILOT) == {"A1GRANTEDWORKER": ("Granted", 1)}
    assert len(holders(IMAGETAG)) == 240
