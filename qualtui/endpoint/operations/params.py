"""Request fields checked as the service checks them, and paging with NextToken."""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..dataset import Dataset
from ..errors import JSONDict, request_error, serialization_error, validation_error

ENTITY_ID_RE = re.compile(r"^[A-Z0-9]+$")  # QualificationTypeId, HITId, request IDs
WORKER_ID_RE = re.compile(r"^A[A-Z0-9]+$")
TYPE_ID_RE = ENTITY_ID_RE
INT32 = (-(2**31), 2**31 - 1)


def _field_name(name: str) -> str:
    return name[0].lower() + name[1:]


def require(params: Mapping[str, Any], name: str, pattern: re.Pattern[str]) -> str:
    """A required ID field: null and a pattern mismatch are ValidationExceptions."""
    value = params.get(name)
    if not isinstance(value, str):
        raise validation_error(
            f"Value null at '{_field_name(name)}' failed to satisfy constraint: "
            "Member must not be null"
        )
    if not pattern.match(value) or len(value) > 64:
        raise validation_error(
            f"Value '{value}' at '{_field_name(name)}' failed to satisfy constraint: "
            f"Member must satisfy regular expression pattern: {pattern.pattern}"
        )
    return value


def _json_kind(value: object) -> str:
    if isinstance(value, bool):
        return "BOOLEAN_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    if isinstance(value, list):
        return "START_ARRAY"
    return "START_OBJECT"


def optional_integer(params: Mapping[str, Any], name: str) -> int | None:
    """An optional 32-bit integer; another JSON type is the JSON layer's SerializationException."""
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not INT32[0] <= value <= INT32[1]:
        raise serialization_error(f"{_json_kind(value)} can not be converted to an Integer")
    return value


def optional_bool(params: Mapping[str, Any], name: str) -> bool | None:
    value = params.get(name)
    if value is None or isinstance(value, bool):
        return value
    raise serialization_error(f"{_json_kind(value)} can not be converted to a Boolean")


def optional_string(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or isinstance(value, str):
        return value
    raise serialization_error(f"{_json_kind(value)} can not be converted to a String")


def optional_enum_list(
    params: Mapping[str, Any], name: str, allowed: Sequence[str]
) -> list[str] | None:
    """An optional list of enum values (e.g. AssignmentStatuses)."""
    value = params.get(name)
    if value is None:
        return None
    if not isinstance(value, list):
        raise serialization_error(f"{_json_kind(value)} can not be converted to a List")
    for item in value:
        if item not in allowed:
            raise validation_error(
                f"Value '[{', '.join(map(str, value))}]' at '{_field_name(name)}' failed to "
                f"satisfy constraint: Member must satisfy constraint: [Member must satisfy enum "
                f"value set: [{', '.join(allowed)}]]"
            )
    return [str(item) for item in value]


def owned_type(data: Dataset, type_id: str) -> JSONDict:
    """The caller's type, or the service's "does not exist" (also for another's type)."""
    qtype = data.owned_type(type_id)
    if qtype is None:
        raise request_error(f"QualificationType [{type_id}] does not exist.")
    return qtype


FIRST_PAGE_TOKEN = base64.b64encode(b"0").decode()  # a NextToken for the first page


def page(params: Mapping[str, Any], items: list[JSONDict], key: str) -> JSONDict:
    """One page of `items` as `{NumResults, <key>, NextToken?}` (MaxResults 1-100)."""
    max_results = params.get("MaxResults", 100)
    if not isinstance(max_results, int) or not 1 <= max_results <= 100:
        raise request_error("MaxResults must be between 1 and 100.")
    start = 0
    token = params.get("NextToken")
    if token is not None:
        try:
            start = int(base64.b64decode(str(token), validate=True).decode("ascii"))
        except (ValueError, binascii.Error):
            raise request_error("The pagination token is not valid.") from None
    chunk = items[start : start + max_results]
    result: JSONDict = {"NumResults": len(chunk), key: chunk}
    if start + max_results < len(items):
        result["NextToken"] = base64.b64encode(str(start + max_results).encode()).decode()
    return result
