"""The architecture holds: core never imports textual, the endpoint is stdlib only and
imports nothing of the app, and importing the app does not load boto3."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "qualtui"


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_textual_or_the_ui() -> None:
    for path in (PACKAGE / "core").glob("*.py"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top not in ("textual", "rich"), f"{path.name} imports {name}"
            assert not name.startswith(("qualtui.widgets", "qualtui.screens", "qualtui.app")), (
                f"{path.name} imports {name}"
            )


def test_endpoint_is_standard_library_only() -> None:
    for path in (PACKAGE / "endpoint").glob("*.py"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top == "__future__", f"{path.name}: {name}"


def test_importing_the_app_does_not_import_boto3() -> None:
    code = (
        "import sys, qualtui.app, qualtui.cli\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore'))\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_views_opened_later_are_not_imported_at_start() -> None:
    code = (
        "import sys, qualtui.app, qualtui.cli\n"
        "later = ('qualtui.screens.batch', 'qualtui.screens.holders', 'qualtui.dialogs.help',\n"
        "         'qualtui.dialogs.type_picker', 'qualtui.dialogs.export', 'textual.widgets._markdown')\n"
        "print(sorted(m for m in later if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_widgets_and_dialogs_never_import_screens_or_the_app() -> None:
    """cli -> app -> screens -> widgets -> dialogs -> core (imports inside functions too)."""
    above = {
        "widgets": ("qualtui.screens", "qualtui.app"),
        "dialogs": ("qualtui.screens", "qualtui.app", "qualtui.widgets"),
    }
    for folder, forbidden in above.items():
        for path in (PACKAGE / folder).glob("*.py"):
            for name in imported_modules(path):
                assert not name.startswith(forbidden), f"{folder}/{path.name} imports {name}"
