"""Errors a user can act on. The CLI prints them as one line and exits 1."""

from __future__ import annotations


class NormrefError(Exception):
    """Base class of the errors normref reports to users."""


class InputError(NormrefError):
    """Bad input data: names the file and, where known, the line or byte offset."""

    def __init__(self, file: str | None, message: str, *, line: int | None = None) -> None:
        self.file = file or "<stdin>"
        self.line = line
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        super().__init__(f"{where}: {message}")
