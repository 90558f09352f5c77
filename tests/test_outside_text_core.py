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
