"""The main screen: connection bar, ID inputs, result panel and history.

One class, `MainScreen` (screen.py), put together from one part per concern:
parts.py (its widgets and services), lookups.py, connection_check.py, changes.py,
other_views.py, history_actions.py and clipboard.py.
"""

from qualtui.screens.main.screen import MainScreen

__all__ = ["MainScreen"]
