"""zip reader (formats/zip.ts) on Python's zipfile: the central directory is listed first and the
declared sizes are summed before anything is extracted (at most MAX_UNPACKED_BYTES); folder
entries and OS junk are dropped silently; entries compressed with methods other than store and
deflate are skipped with a reason; a corrupt entry is skipped on its own. Names without the UTF-8
flag are decoded as latin-1, as fflate does (zipfile would use cp437).

Public API: is_zip(data) -> bool, read_zip(data, archive_path) -> (files, skipped)
Must not import: torch.
"""
from __future__ import annotations

import io
import zipfile
from typing import List, Tuple

from .errors import FileFormatError
from .gunzip import MAX_UNPACKED_BYTES
from .paths import format_bytes, is_junk_path, normalize_path
from .types import InputFile, SkippedFile

_METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES encryption"}


def is_zip(data: bytes) -> bool:
    return len(data) >= 4 and data[0] == 0x50 and data[1] == 0x4B and ((data[2] == 3 and data[3] == 4) or (data[2] == 5 and data[3] == 6))


def _name(info: zipfile.ZipInfo) -> str:
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("latin-1")
    except UnicodeError:
        return info.filename


def read_zip(data: bytes, archive_path: str) -> Tuple[List[InputFile], List[SkippedFile]]:
    """Files of a zip archive; FileFormatError when the archive itself is unreadable or too large."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        entries = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as e:
        raise FileFormatError(archive_path, f"is not a readable zip archive: it is cut off, damaged or another kind of file; create or download it again ({e})") from None
    skipped: List[SkippedFile] = []
    wanted = []
    seen = set()
    total = 0
    for info in entries:
        name = _name(info)
        path = normalize_path(name)
        if name.endswith("/") or path == "" or is_junk_path(path):
            continue
        if path in seen:
            skipped.append(SkippedFile(path, f"appears twice in {archive_path}; only the first copy is used"))
            continue
        seen.add(path)
        if info.compress_type not in (0, 8):
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            skipped.append(SkippedFile(path, f"is compressed with {method} in {archive_path}, which cannot be unpacked here; re-create the zip with ordinary (deflate) compression"))
            continue
        total += info.file_size
        wanted.append((path, info))
    if total > MAX_UNPACKED_BYTES:
        raise FileFormatError(archive_path, f"unpacks to {format_bytes(total)}, more than the {format_bytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data")
    files: List[InputFile] = []
    for path, info in wanted:
        try:
            files.append(InputFile(path, zf.read(info)))
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as e:
            skipped.append(SkippedFile(path, f"is corrupt inside {archive_path} ({e}); re-create the zip"))
    return files, skipped
