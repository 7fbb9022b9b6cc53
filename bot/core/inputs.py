"""Reading the build's input files: regular files only, never too many bytes.

The seeds and knowledge folders come from pull requests and from operators. A symbolic link in
them (`seeds/notes.txt -> ../.env`, `/proc/self/environ`, `/dev/zero`) would be indexed and
quoted back to anyone; a FIFO would block the build forever; a huge file would exhaust memory.
So every input is opened without following links and without blocking, checked to be a
regular file of bounded size, and read with a bound on the bytes, whatever its size claims.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from pathlib import Path

# Tuning: the largest seed article or knowledge file, and all inputs of one build together.
# Real articles are a few kB and knowledge files tens of kB; the synthetic 100k benchmark
# corpus stays well inside both.
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_BUILD_BYTES = 512 * 1024 * 1024

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)  # a symbolic link fails to open instead of being followed
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO opens at once instead of waiting for a writer
    | getattr(os, "O_CLOEXEC", 0)
)


class InputRefused(Exception):
    """An input that is not read: not a regular file, or too big. The message says why."""


def kind_of(mode: int) -> str | None:
    """What a non-regular directory entry is, in words (None for a regular file)."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "not a regular file"


def _refuse_kind(path: Path, what: str) -> InputRefused:
    extra = ""
    if what == "a symbolic link":
        with contextlib.suppress(OSError):
            extra = f" (to {os.readlink(path)})"
    return InputRefused(f"is {what}{extra}; only regular files are read")


def read_regular(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of `path` if it is a regular file (not a link to one) of at most `limit` bytes.

    Raises InputRefused for anything else, OSError when a regular file cannot be read.
    """
    st = os.lstat(path)
    what = kind_of(st.st_mode)
    if what is not None:
        raise _refuse_kind(path, what)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # replaced by a link between lstat and open
            raise _refuse_kind(path, "a symbolic link") from None
        raise
    try:
        st = os.fstat(fd)
        what = kind_of(st.st_mode)
        if what is not None:  # replaced between lstat and open
            raise _refuse_kind(path, what)
        if st.st_size > limit:
            raise InputRefused(f"is {st.st_size:,} bytes, over the limit of {limit:,}")
        chunks: list[bytes] = []
        size = 0
        while True:  # the file may grow while it is read: never take more than the limit
            chunk = os.read(fd, min(1024 * 1024, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputRefused(f"grew past the limit of {limit:,} bytes while being read")
        return b"".join(chunks)
    finally:
        os.close(fd)


def decode_utf8(data: bytes) -> str:
    """The text of an input file; ValueError naming the line of the first bad byte or NUL.

    A NUL byte means a binary file (or an attempt to hide text): it must never reach a reply.
    """
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise LineError(line, f"not valid UTF-8 (byte 0x{bad} at line {line})") from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise LineError(line, f"contains a NUL character at line {line} (a binary file?)")
    return text


class LineError(ValueError):
    """A problem at a known line of a file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
