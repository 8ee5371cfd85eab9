"""Errors of the dataset importers (formats/formatError.ts, formats/types.ts, worker/runDataset.ts).

Public API:
    FileFormatError(path, reason)           one unusable file; str() is "path: reason"
    DatasetImportError(message, skipped=[]) nothing usable was found; lists the skipped files
    DatasetTooSmallError(message, hint)     the set cannot serve the run config; hint names the setting
    error_message(e) -> str
Must not import: torch.
"""
from __future__ import annotations

from typing import List


# The reason of a file that ends early, in plain words with what to do (formatError.ts CUT_OFF);
# readers append the technical detail in parentheses.
CUT_OFF = "is incomplete: it was cut off while it was downloaded or copied; download it again"


class FileFormatError(Exception):
    """One file (or archive member) cannot be read; ``reason`` says what is wrong and what to do."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class DatasetImportError(Exception):
    """An import that produced nothing usable; the message names the files and their problems."""

    def __init__(self, message: str, skipped: "List | None" = None):
        super().__init__(message)
        self.skipped = list(skipped or [])


class DatasetTooSmallError(Exception):
    """A dataset that cannot serve the run as configured; ``hint`` names the setting to change."""

    def __init__(self, message: str, hint: str):
        super().__init__(f"{message} {hint}")
        self.hint = hint


def error_message(e: BaseException) -> str:
    return str(e)
