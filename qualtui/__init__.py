"""qualtui: look up Amazon Mechanical Turk qualification scores from the terminal."""

__version__ = "0.1.0"
