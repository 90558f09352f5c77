"""`--cli-input-json` / `--cli-input-yaml` and `--generate-cli-skeleton`, as the AWS CLI reads
and writes them. The YAML read is the flat mapping the skeleton is: `Key: value  # comment`
lines with plain or quoted scalars."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qualtui.cli.arguments import UsageError


def load_text(option: str, value: str) -> str:
    """The option's value, or with `file://` the named file's text."""
    if not value.startswith("file://"):
        return value
    name = value[len("file://") :]
    try:
        return Path(name).expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(
            f"Error parsing parameter '{option}': Unable to load paramfile {value}: {error}"
        ) from None


INVALID_JSON = "Error parsing parameter 'cli-input-json': Invalid JSON received."


def parse_json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise UsageError(INVALID_JSON) from None
    if not isinstance(data, dict):
        raise UsageError(INVALID_JSON)
    return data


def _yaml_scalar(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("'"):
        end = raw.rfind("'")
        if end <= 0:
            raise ValueError("unclosed quote")
        return raw[1:end].replace("''", "'")
    if raw.startswith('"'):
        end = raw.rfind('"')
        if end <= 0:
            raise ValueError("unclosed quote")
        return json.loads(raw[: end + 1])
    if " #" in raw:
        raw = raw.split(" #", 1)[0].rstrip()
    if raw in ("", "~", "null", "Null", "NULL"):
        return None
    return raw


def parse_yaml(text: str) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or stripped in ("---", "..."):
            continue
        key, colon, rest = stripped.partition(":")
        if not colon or line[0].isspace() or not key.strip():
            raise UsageError(
                f"Error parsing parameter 'cli-input-yaml': line {number} is not 'Name: value' "
                "(qualtui reads the flat mapping --generate-cli-skeleton yaml-input prints)"
            )
        try:
            data[key.strip().strip("'\"")] = _yaml_scalar(rest)
        except ValueError as error:
            raise UsageError(
                f"Error parsing parameter 'cli-input-yaml': line {number}: {error}"
            ) from None
    return data


def skeleton(kind: str, fields: dict[str, str], output_sample: dict[str, Any]) -> str:
    """What --generate-cli-skeleton prints: `input`, `yaml-input` or `output`."""
    if kind == "yaml-input":
        return "".join(f"{name}: '' # [REQUIRED] {doc}\n" for name, doc in fields.items())
    if kind == "output":
        return json.dumps(output_sample, indent=4) + "\n"
    return json.dumps(dict.fromkeys(fields, ""), indent=4) + "\n"
