"""The README tells the truth: its key tables are the real bindings (the pictures are
checked by test_snapshots)."""

from __future__ import annotations

import re
from pathlib import Path

from qualtui.app import QualtuiApp
from qualtui.screens.key_map import markdown_tables

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_key_tables_are_the_real_bindings() -> None:
    text = README.read_text()
    found = re.search(r"<!-- keys:start -->\n(.*?)<!-- keys:end -->", text, flags=re.S)
    assert found, "README.md lost its keys:start / keys:end markers"
    assert found.group(1).strip() == markdown_tables(QualtuiApp.BINDINGS).strip(), (
        "README.md's keys are stale: python scripts/readme_keys.py prints the current ones"
    )
