"""The AWS CLI's output formats, written anew: json, text, table, yaml and yaml-stream.

For the same data, each function returns what `aws ... --output FORMAT` writes to standard
output (version 2, byte for byte for the shapes MTurk answers with): `json` indented by 4 in
the answer's key order, non-ASCII kept; `text` tab-separated lines, an object's name
upper-cased first and its scalars in sorted key order; `table` nested boxes titled with the
operation's name, a one-row box turned on its side when the table is wider than the
terminal; `yaml` block style with sorted keys, as ruamel.yaml's safe dumper writes it;
`yaml-stream` the same as a one-item list per answer.

Timestamps must be converted first (`timestamp_value`): the formats print what they get.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

FORMATS = ("json", "text", "table", "yaml", "yaml-stream")
ISO8601, WIRE = "iso8601", "wire"
TIMESTAMP_FORMATS = {"iso8601": ISO8601, "wire": WIRE, "none": WIRE}  # "none" is version 1's
DEFAULT_TERMINAL_WIDTH = 80

# colorama's codes, as the AWS CLI's coloured table writes them
_BLUE_BRIGHT, _YELLOW_DIM, _RESET = "\x1b[1m\x1b[34m", "\x1b[2m\x1b[33m", "\x1b[0m"


def timestamp_value(value: datetime, timestamp_format: str = ISO8601) -> str | float:
    """A timestamp as the AWS CLI prints it: ISO 8601 (version 2's default), or the wire's
    epoch seconds for `cli_timestamp_format = wire` (version 1 calls it `none`)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if TIMESTAMP_FORMATS.get(timestamp_format, ISO8601) == WIRE:
        return value.timestamp()
    return value.isoformat()


def convert_timestamps(data: Any, timestamp_format: str = ISO8601) -> Any:
    """`data` with every datetime replaced by `timestamp_value`."""
    if isinstance(data, datetime):
        return timestamp_value(data, timestamp_format)
    if isinstance(data, Mapping):
        return {k: convert_timestamps(v, timestamp_format) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [convert_timestamps(v, timestamp_format) for v in data]
    return data


class QueryError(ValueError):
    """A --query that is not JMESPath; the message is the AWS CLI's."""


def compile_query(text: str) -> Any:
    """A compiled JMESPath expression (its `.search(data)` applies it)."""
    import jmespath  # type: ignore[import-untyped]
    from jmespath.exceptions import JMESPathError  # type: ignore[import-untyped]

    try:
        return jmespath.compile(text)
    except JMESPathError as error:
        raise QueryError(f"Bad value for --query {text}: {error}") from None


def render(
    data: Any,
    output: str,
    *,
    title: str = "",
    color: bool = False,
    terminal_width: int = DEFAULT_TERMINAL_WIDTH,
) -> str:
    """`data` (already queried) in `output`, one of FORMATS."""
    if output == "json":
        return as_json(data)
    if output == "text":
        return as_text(data)
    if output == "table":
        return as_table(data, title, color=color, terminal_width=terminal_width)
    if output == "yaml":
        return as_yaml(data)
    if output == "yaml-stream":
        return as_yaml([data])
    raise ValueError(f"unknown output format: {output!r}")


# --------------------------------------------------------------------------- json


def as_json(data: Any) -> str:
    if data == {}:
        return ""
    return json.dumps(data, indent=4, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- text


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _scalar_text(value: Any) -> str:
    return str(value)  # Python's spelling, as the AWS CLI's: True, None, 87


def as_text(data: Any) -> str:
    lines: list[str] = []
    _text_item(data, lines, None, None)
    return "".join(line + "\n" for line in lines)


def _text_item(
    item: Any, lines: list[str], name: str | None, scalar_keys: list[str] | None
) -> None:
    if isinstance(item, dict):
        _text_dict(item, lines, name, scalar_keys)
    elif isinstance(item, list):
        _text_list(item, lines, name)
    else:
        lines.append(_scalar_text(item))


def _text_list(items: list[Any], lines: list[str], name: str | None) -> None:
    if not items:
        return
    if any(isinstance(each, dict) for each in items):
        dicts = [each for each in items if isinstance(each, dict)]
        keys = sorted({k for each in dicts for k, v in each.items() if _is_scalar(v)})
        for each in items:
            _text_item(each, lines, name, keys)
        return
    scalars = [each for each in items if _is_scalar(each)]
    nested = [each for each in items if not _is_scalar(each)]
    if scalars:
        if name is not None:
            lines.extend(f"{name.upper()}\t{_scalar_text(each)}" for each in scalars)
        else:
            lines.append("\t".join(_scalar_text(each) for each in scalars))
    for each in nested:
        _text_item(each, lines, name, None)


def _text_dict(
    item: dict[str, Any], lines: list[str], name: str | None, scalar_keys: list[str] | None
) -> None:
    if scalar_keys is None:
        scalars = [_scalar_text(v) for k, v in sorted(item.items()) if _is_scalar(v)]
        nested = [(k, v) for k, v in sorted(item.items()) if not _is_scalar(v)]
    else:
        scalars = [_scalar_text(item.get(k, "")) for k in scalar_keys]
        nested = [(k, item[k]) for k in sorted(set(item) - set(scalar_keys))]
    if scalars:
        lines.append("\t".join(([name.upper()] if name is not None else []) + scalars))
    for key, value in nested:
        _text_item(value, lines, key, None)


# --------------------------------------------------------------------------- table


def display_width(text: str) -> int:
    """Terminal cells: wide, full-width and ambiguous characters count two (as the AWS CLI)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in text)


@dataclass
class _Box:
    title: str = ""
    indent: int = 0
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)  # widest text per column

    def _measure(self, cells: Sequence[str]) -> None:
        if not self.widths:
            self.widths = [display_width(c) for c in cells]
        else:
            for i, cell in enumerate(cells):
                self.widths[i] = max(self.widths[i], display_width(cell))

    def set_headers(self, headers: list[str]) -> None:
        self._measure(headers)
        self.headers = headers

    def add_row(self, row: Sequence[Any]) -> None:
        cells = [_scalar_text(c) for c in row]
        self.rows.append(cells)
        self._measure(cells)

    def width(self) -> int:
        """Its whole width: the columns padded by 4, the borders, two cells per indent."""
        columns = sum(w + 4 for w in self.widths) + 2 + 2 * self.indent
        return max(display_width(self.title) + 2 + 2 * self.indent, columns)

    def column_widths(self, total: int) -> list[int]:
        """The padded columns scaled to fill `total` exactly, rounding spread left to right."""
        padded = [w + 4 for w in self.widths]
        if not padded:
            return []
        scale = total / float(sum(padded))
        scaled = [round(scale * w) for w in padded]  # Python's rounding, as the AWS CLI's
        off = sum(scaled) - total
        while off:
            order = range(len(scaled)) if off > 0 else reversed(range(len(scaled)))
            for i in order:
                step = 1 if off > 0 else -1
                scaled[i] -= step
                off -= step
                if off == 0:
                    break
        return scaled

    def on_its_side(self) -> _Box:
        """A one-row box with headers as (header, value) rows."""
        if len(self.rows) != 1 or not self.headers:
            return self
        turned = _Box(self.title, self.indent)
        for header, value in zip(self.headers, self.rows[0], strict=False):
            turned.add_row([header, value])
        return turned


class _TableBuilder:
    def __init__(self) -> None:
        self.boxes: list[_Box] = []

    @property
    def current(self) -> _Box:
        return self.boxes[-1]

    def new_box(self, title: str, indent: int) -> None:
        self.boxes.append(_Box(title, indent))

    def build(self, title: str | None, data: Any, indent: int = 0) -> bool:
        if not data:
            return False
        if title is not None:
            self.new_box(title, indent)
        if isinstance(data, list):
            if isinstance(data[0], dict):
                self._from_list_of_dicts(data, indent, title)
            else:
                for item in data:
                    if _is_scalar(item):
                        self.current.add_row([item])
                    elif all(_is_scalar(each) for each in item):
                        self.current.add_row(list(item))
                    else:
                        self.build(None, item)
        if isinstance(data, dict):
            self._from_dict(data, indent)
        return True

    def _from_dict(self, data: dict[str, Any], indent: int) -> None:
        headers = sorted(k for k, v in data.items() if _is_scalar(v))
        nested = sorted(k for k, v in data.items() if not _is_scalar(v))
        if len(headers) == 1:
            self.current.add_row([headers[0], data[headers[0]]])
        elif headers:
            self.current.set_headers(headers)
            self.current.add_row([data[k] for k in headers])
        for key in nested:
            self.build(key, data[key], indent + 1)

    def _from_list_of_dicts(self, items: list[Any], indent: int, title: str | None) -> None:
        headers: set[str] = set()
        nested: set[str] = set()
        for item in items:
            for key, value in item.items():
                (headers if _is_scalar(value) else nested).add(key)
        header_list, nested_list = sorted(headers), sorted(nested)
        self.current.set_headers(header_list)
        for i, item in enumerate(items):
            if i and nested_list:
                self.new_box(title or "", indent)
                self.current.set_headers(header_list)
            self.current.add_row([item.get(h, "") for h in header_list])
            for key in nested_list:
                if key in item:
                    self.build(key, item[key], indent + 1)


def as_table(
    data: Any, title: str, *, color: bool = False, terminal_width: int = DEFAULT_TERMINAL_WIDTH
) -> str:
    builder = _TableBuilder()
    if not builder.build(title, data):
        return ""
    boxes = builder.boxes
    width = max(box.width() for box in boxes)
    if width > terminal_width:
        boxes = [box.on_its_side() for box in boxes]
        width = max(box.width() for box in boxes)
    writes = ["-" * width + "\n"]
    for box in boxes:
        writes.extend(_draw_box(box, width, color))
    # In colour the AWS CLI writes through colorama with autoreset: a reset after each write.
    return "".join(chunk + _RESET for chunk in writes) if color else "".join(writes)


def _centered(text: str, length: int, left: str, right: str, text_width: int) -> str:
    start = length // 2 - text_width // 2 - 1
    so_far = display_width(left) + start + text_width
    return left + " " * start + text + " " * (length - display_width(right) - so_far) + right


def _left_aligned(text: str, length: int, left: str, right: str, text_width: int) -> str:
    padding = 2 if length - (text_width + 2 + len(left) + len(right)) >= 0 else 0
    so_far = len(left) + padding + text_width
    return left + " " * padding + text + " " * (length - so_far - len(right)) + right


def _rule(widths: list[int]) -> str:
    parts = [f"+{'-' * (w - 2)}+" if i == 0 else f"{'-' * (w - 1)}+" for i, w in enumerate(widths)]
    return "".join(parts)


def _draw_box(box: _Box, total: int, color: bool) -> list[str]:
    """The box as the AWS CLI writes it: four writes a line (left edges, the line, right
    edges, the newline)."""
    edge = f"{_YELLOW_DIM}|{_RESET}" if color else "|"

    def cell(text: str) -> str:
        return f"{_BLUE_BRIGHT}{text}{_RESET}" if color else text

    class _Lines(list[str]):
        def append(self, text: str) -> None:  # one line, as its four writes
            self.extend([edge * box.indent, text, edge * box.indent, "\n"])

    inner = total - 2 * box.indent
    lines = _Lines()
    if box.title:
        lines.append(_centered(box.title, inner, "|", "|", display_width(box.title)))
        if not box.headers and not box.rows:
            lines.append(f"+{'-' * (inner - 2)}+")
    widths = box.column_widths(inner)
    if box.headers:
        heads = "".join(
            _centered(h, w, "|" if i == 0 else "", "|", display_width(h))
            for i, (w, h) in enumerate(zip(widths, box.headers, strict=False))
        )
        lines.append(_rule(widths))
        lines.append(heads)
    if box.rows and widths:
        lines.append(_rule(widths))
        for row in box.rows:
            text = "".join(
                _left_aligned(cell(value), w, "|" if i == 0 else "", "|", display_width(value))
                for i, (w, value) in enumerate(zip(widths, row, strict=False))
            )
            lines.append(text)
        lines.append(_rule(widths))
    return lines


# --------------------------------------------------------------------------- yaml

# What a plain scalar must not look like, or it would read back as another type (YAML 1.2,
# as ruamel.yaml resolves it).
_NOT_STRINGS = re.compile(
    r"""^(?:
        (?:true|True|TRUE|false|False|FALSE)
      | (?:~|null|Null|NULL)
      | [-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?[0-9_]+ | [-+]?0x[0-9a-fA-F_]+
      | [-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?
      | [-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)
      | \.[0-9_]+(?:[eE][-+][0-9]+)?
      | [-+]?\.(?:inf|Inf|INF) | \.(?:nan|NaN|NAN)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[\ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}
        (?:\.[0-9]*)?(?:[\ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?
      | [0-9]{4}-[0-9]{2}-[0-9]{2}
      | <<
    )$""",
    re.VERBOSE,
)
_INDICATORS = set("-?:,[]{}#&*!|>'\"%@`")


def _yaml_string(text: str) -> tuple[str, bool]:
    """The scalar as YAML, and whether it is plain (unquoted)."""
    printable = all(ch == " " or (ch.isprintable() and ch not in "\x85\u2028\u2029") for ch in text)
    if not printable:
        return json.dumps(text, ensure_ascii=False), False
    needs_quotes = (
        not text
        or _NOT_STRINGS.match(text) is not None
        or text[0] in _INDICATORS
        or text[0] == " "
        or text[-1] == " "
        or ": " in text
        or " #" in text
        or text.endswith(":")
    )
    if needs_quotes:
        return "'" + text.replace("'", "''") + "'", False
    return text, True


def _yaml_scalar(value: Any) -> tuple[str, bool]:
    if value is None:
        return "null", True
    if value is True or value is False:
        return ("true" if value else "false"), True
    if isinstance(value, int):
        return str(value), True
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan", True
        if math.isinf(value):
            return (".inf" if value > 0 else "-.inf"), True
        text = repr(value)
        if "." not in text and "e" in text:
            mantissa, exponent = text.split("e")
            text = f"{mantissa}.0e{exponent}"
        return text, True
    return _yaml_string(str(value))


def as_yaml(data: Any) -> str:
    if _is_scalar(data):
        text, plain = _yaml_scalar(data)
        return text + "\n" + ("...\n" if plain else "")
    if not data:
        return ("{}" if isinstance(data, dict) else "[]") + "\n"
    lines: list[str] = []
    _yaml_block(data, 0, lines, first_prefix="")
    return "".join(line + "\n" for line in lines)


def _yaml_block(data: Any, indent: int, lines: list[str], first_prefix: str) -> None:
    """A non-empty mapping or sequence at `indent`; the first line starts with
    `first_prefix` (a sequence item's '- ') instead of spaces."""
    pad = " " * indent
    items: list[tuple[str, Any]] = (
        [(_yaml_string(str(k))[0] + ":", v) for k, v in sorted(data.items())]
        if isinstance(data, dict)
        else [("-", v) for v in data]
    )
    for i, (head, value) in enumerate(items):
        lead = (first_prefix if i == 0 and first_prefix else pad) + head
        if _is_scalar(value) or not value:
            text = _yaml_scalar(value)[0] if _is_scalar(value) else ("{}" if value == {} else "[]")
            lines.append(f"{lead} {text}")
        elif head == "-":
            _yaml_block(value, indent + 2, lines, first_prefix=lead + " ")
        elif isinstance(value, dict):
            lines.append(lead)
            _yaml_block(value, indent + 2, lines, first_prefix="")
        else:  # a sequence in a mapping sits at the mapping's own indent
            lines.append(lead)
            _yaml_block(value, indent, lines, first_prefix="")
