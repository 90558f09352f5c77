"""Worker lists from files and streams are outside input: bounded, regular files only, any
line ending, and a clear reason for what cannot be read."""

from __future__ import annotations

import io
import os
import threading
from pathlib import Path

import pytest

from qualtui.core.worker_ids import (
    WorkerFileError,
    parse_content,
    read_capped,
    read_file,
    read_stream,
)


class Endless(io.RawIOBase):
    """A stream that never ends, like /dev/zero or `yes A1 |`; counts what was read."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        buffer[:] = b"A" * len(buffer)
        self.given += len(buffer)
        return len(buffer)


def test_an_endless_stream_is_cut_at_the_cap() -> None:
    stream = Endless()
    with pytest.raises(WorkerFileError, match="larger than 1 MB"):
        read_capped(io.BufferedReader(stream), "standard input", limit=1_000_000)  # type: ignore[type-var]
    assert stream.given <= 1_000_000 + io.DEFAULT_BUFFER_SIZE * 2


def test_devices_and_fifos_are_refused_without_blocking(tmp_path: Path) -> None:
    with pytest.raises(WorkerFileError, match="not a regular file"):
        read_file(Path("/dev/zero"))
    fifo = tmp_path / "workers.fifo"
    os.mkfifo(fifo)
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_file(fifo)
        except WorkerFileError as error:
            outcome.append(error)

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    thread.join(10)
    assert outcome and "not a regular file" in str(outcome[0])  # no writer ever came


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_any_line_ending(tmp_path: Path, ending: str) -> None:
    path = tmp_path / "workers.csv"
    path.write_bytes(ending.join(["Worker ID,Note", "A1AAA,x", "A2BBB,y"]).encode())
    assert read_file(path).valid == ("A1AAA", "A2BBB")
    path.write_bytes(ending.join(["A1AAA", "A2BBB"]).encode())
    assert read_file(path).valid == ("A1AAA", "A2BBB")


def test_a_huge_csv_field_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "workers.csv"
    path.write_text("WorkerId,Note\nA1AAA," + "x" * 200_000 + "\n")
    with pytest.raises(WorkerFileError, match="line 2 is not valid CSV"):
        read_file(path)
    with pytest.raises(WorkerFileError):
        parse_content(path.read_text())


def test_binary_content_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "workers.xlsx"
    path.write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)))
    with pytest.raises(WorkerFileError, match="binary file"):
        read_file(path)
    with pytest.raises(WorkerFileError, match="binary"):
        read_stream(io.BytesIO(b"A1AAA\n\x00\x00"))


def test_a_stream_within_the_cap_is_read() -> None:
    assert read_stream(io.BytesIO(b"\xef\xbb\xbfWorkerId\r\nA1AAA\r\n")).valid == ("A1AAA",)
