from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qualtui.core import ids


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("  a1b2c3 \n", "A1B2C3"), ("\t3abc", "3ABC"), ("ABC", "ABC"), ("", "")],
)
def test_normalize_strips_and_uppercases(raw: str, expected: str) -> None:
    assert ids.normalize(raw) == expected


@pytest.mark.parametrize(
    ("kind", "value", "fragment"),
    [
        (ids.QUALIFICATION_TYPE_ID, "", "Enter a qualification type ID"),
        (ids.WORKER_ID, "", "Enter a worker ID"),
        (ids.QUALIFICATION_TYPE_ID, "3AB-C", "'-' at position 4"),
        (ids.QUALIFICATION_TYPE_ID, "3A B", "a space at position 3"),
        (ids.WORKER_ID, "A1\u200b2", "invisible character (U+200B zero width space) at position 3"),
        (ids.WORKER_ID, "A\u00c9", "'É' (U+00C9 latin capital letter e with acute) at position 2"),
        (ids.WORKER_ID, "B123", "start with 'A'"),
        (ids.QUALIFICATION_TYPE_ID, "A" * 65, "At most 64 characters; this has 65"),
        (ids.WORKER_ID, "A" + "1" * 64, "this has 65"),
    ],
)
def test_problem_says_what_is_wrong(kind: ids.IdKind, value: str, fragment: str) -> None:
    problem = ids.problem(kind, value)
    assert problem is not None
    assert fragment in problem


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        (ids.QUALIFICATION_TYPE_ID, "3DEMOTRANSCRIBE000000000000001"),
        (ids.QUALIFICATION_TYPE_ID, "00000000000000000071"),
        (ids.QUALIFICATION_TYPE_ID, "X" * 64),
        (ids.WORKER_ID, "A"),
        (ids.WORKER_ID, "A1B2C3D4E5F6G7"),
    ],
)
def test_valid_ids(kind: ids.IdKind, value: str) -> None:
    assert ids.problem(kind, value) is None


@given(st.text(max_size=70))
def test_problem_agrees_with_the_service_patterns(value: str) -> None:
    for kind in (ids.QUALIFICATION_TYPE_ID, ids.WORKER_ID):
        assert (ids.problem(kind, value) is None) == bool(kind.pattern.fullmatch(value))
