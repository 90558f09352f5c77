"""Print the README's key tables, made from the real bindings (as the help screen, F1, is):

    python scripts/readme_keys.py

README.md holds this between the `keys:start` and `keys:end` markers; tests/test_readme.py
checks it, so the README cannot drift from what the keys do.
"""

from __future__ import annotations

from qualtui.app import QualtuiApp
from qualtui.screens.key_map import markdown_tables

if __name__ == "__main__":
    print(markdown_tables(QualtuiApp.BINDINGS), end="")
