"""Outside text made safe: no escapes, no bidi tricks, one line where one is meant, bounded."""

from __future__ import annotations

from qualtui.core.text import REPLACEMENT, bounded, one_line, printable


def test_escape_sequences_never_pass() -> None:
    assert "\x1b" not in printable("\x1b]0;pwned\x07title\x1b[2J")
    assert "\x9b" not in printable("csi\x9b2J")


def test_bidi_controls_are_neutralised() -> None:
    shown = printable("Evil\u202eDETNARG")
    assert "\u202e" not in shown and shown == f"Evil{REPLACEMENT}DETNARG"
    assert all(c not in printable("a\u2066b\u2069c\u200fd") for c in "\u2066\u2069\u200f")


def test_one_line_fields_stay_one_line() -> None:
    spoof = "x\n\n● GRANTED\nScore 100"
    shown = one_line(spoof)
    assert "\n" not in shown and "● GRANTED" in shown and "⏎" in shown
    assert "\n" not in one_line("a\r\nb\u2028c\u2029d\x85e")


def test_long_text_is_cut_with_a_note() -> None:
    shown = one_line("A" * 5000)
    assert len(shown) < 260 and shown.endswith("(4,800 more characters)")
    assert bounded("line\n" * 10) == "line\n" * 10
    assert bounded("B" * 3000).endswith("(1,000 more characters)")


def test_ascii_text_takes_a_shortcut_that_changes_nothing() -> None:
    """ASCII text skips the patterns of characters beyond ASCII (compiled on first use): the
    result is what the whole patterns give, for every ASCII character and the others too."""
    import re

    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    bidi = re.compile("[\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
    breaks = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")

    def whole_printable(value: str) -> str:
        return bidi.sub(REPLACEMENT, control.sub(REPLACEMENT, value))

    def whole_one_line(value: str) -> str:
        return whole_printable(breaks.sub(" ⏎ ", value.strip()))

    ascii_text = "".join(map(chr, range(128)))
    others = "\x85\u2028\u2029\u200e\u202e\u2066\u061c\u00e9\ufffd"
    samples = [
        ascii_text,
        f" a\tb\r\n\x1cc\x1e {ascii_text} ",
        *(f"x{c}y" for c in ascii_text + others),
        f"ok{others}\n{ascii_text}",
    ]
    for value in samples:
        assert printable(value) == whole_printable(value), repr(value)
        assert one_line(value, 10_000) == whole_one_line(value), repr(value)
