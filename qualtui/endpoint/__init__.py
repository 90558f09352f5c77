"""The local MTurk-compatible endpoint (standard library only; imports nothing of the app)."""

from .server import Call, Dataset, Fault, LocalMTurk, load_demo_data

__all__ = ["Call", "Dataset", "Fault", "LocalMTurk", "load_demo_data"]
