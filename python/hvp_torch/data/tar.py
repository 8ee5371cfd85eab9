"""tar reader (formats/tar.ts): POSIX ustar, GNU long names ('L'), pax headers ('x': path, size).
Every header checksum is verified and every member's declared size is checked against the
archive length before it is sliced; only regular files are returned. Links, devices and other
special members are skipped with a reason; directories and pax globals are passed over.

Public API: is_tar(data) -> bool, read_tar(data, archive_path) -> (files: list[InputFile], skipped: list[SkippedFile])
Must not import: torch.
"""
from __future__ import annotations

import re
from typing import Dict, List, Optional, Tuple

from .errors import CUT_OFF, FileFormatError
from .paths import normalize_path
from .types import InputFile, SkippedFile

BLOCK = 512
_ZERO = bytes(BLOCK)


def _field(block: bytes, offset: int, length: int) -> str:
    raw = block[offset:offset + length]
    end = raw.find(b"\0")
    return (raw if end < 0 else raw[:end]).decode("utf-8", "replace")


def _number_field(block: bytes, offset: int, length: int) -> float:
    if block[offset] & 0x80:
        v = block[offset] & 0x7F
        for i in range(1, length):
            v = v * 256 + block[offset + i]
        return v
    text = _field(block, offset, length).strip()
    if text == "":
        return 0
    if not re.fullmatch(r"[0-7]+", text):
        return float("nan")
    return int(text, 8)


def _has_valid_checksum(block: bytes) -> bool:
    stored = _number_field(block, 148, 8)
    if stored != stored:  # NaN
        return False
    masked = block[:148] + b" " * 8 + block[156:]
    unsigned = sum(masked)
    signed = unsigned - 256 * sum(1 for b in masked if b > 127)
    return stored == unsigned or stored == signed


def is_tar(data: bytes) -> bool:
    if len(data) < BLOCK:
        return False
    block = bytes(data[:BLOCK])
    return block != _ZERO and _has_valid_checksum(block)


def _parse_pax(data: bytes) -> Dict[str, str]:
    out: Dict[str, str] = {}
    text = data.decode("utf-8", "replace")
    pos = 0
    while pos < len(text):
        space = text.find(" ", pos)
        eq = text.find("=", space)
        nl = text.find("\n", eq)
        if space < 0 or eq < 0 or nl < 0:
            break
        out[text[space + 1:eq]] = text[eq + 1:nl]
        pos = nl + 1
    return out


_TYPE_NAMES = {"1": "a hard link", "2": "a symbolic link", "3": "a character device", "4": "a block device", "6": "a FIFO", "S": "a sparse file", "V": "a volume label", "M": "a multi-volume continuation"}


def read_tar(data: bytes, archive_path: str) -> Tuple[List[InputFile], List[SkippedFile]]:
    """Regular files of a tar archive (memoryview slices, no copies); FileFormatError on a bad checksum or truncation."""
    mv = memoryview(data)
    files: List[InputFile] = []
    skipped: List[SkippedFile] = []
    pos = 0
    long_name: Optional[str] = None
    pax: Optional[Dict[str, str]] = None
    member_idx = 0
    n = len(data)
    while pos + BLOCK <= n:
        block = bytes(mv[pos:pos + BLOCK])
        if block == _ZERO:
            return files, skipped
        member_idx += 1
        if not _has_valid_checksum(block):
            what = "is not a tar archive, or is damaged: its first entry cannot be read" if member_idx == 1 else f"is damaged: its entry {member_idx} cannot be read"
            raise FileFormatError(archive_path, f"{what}; download it again (the tar header of member {member_idx} at byte {pos} fails its checksum)")
        is_ustar = _field(block, 257, 6) == "ustar"
        is_posix = is_ustar and block[262] == 0
        prefix = _field(block, 345, 155) if is_posix else ""
        header_name = f"{prefix}/{_field(block, 0, 100)}" if prefix else _field(block, 0, 100)
        name = next(x for x in ((pax or {}).get("path"), long_name, header_name) if x is not None)
        pax_size = (pax or {}).get("size")
        try:
            size = float(pax_size) if pax_size is not None else _number_field(block, 124, 12)
        except ValueError:
            size = float("nan")
        if not (size == size and size >= 0 and size != float("inf")):
            raise FileFormatError(archive_path, f'is damaged: the size of "{name}" in it cannot be read; download it again (unreadable size field)')
        size = int(size)
        data_start = pos + BLOCK
        data_end = data_start + size
        if data_end > n:
            raise FileFormatError(archive_path, f'{CUT_OFF} (it ends inside member "{name}": {n - data_start} of {size} bytes present)')
        member = mv[data_start:data_end]
        pos = data_start + -(-size // BLOCK) * BLOCK
        typ = chr(block[156])
        if typ == "L":
            long_name = _field(bytes(member), 0, len(member))
            continue
        if typ == "x":
            pax = _parse_pax(bytes(member))
            continue
        long_name = None
        pax = None
        if typ in ("g", "K", "5"):
            continue
        path = normalize_path(name)
        if typ in ("0", "\0", "7"):
            files.append(InputFile(path, member))
        else:
            what = _TYPE_NAMES.get(typ, f"a special tar member (type '{typ}')")
            skipped.append(SkippedFile(path, f"is {what} in {archive_path}, not a regular file"))
    if pos < n and bytes(mv[pos:]).strip(b"\0") != b"":
        raise FileFormatError(archive_path, f"{CUT_OFF} (it ends inside the tar header of member {member_idx + 1})")
    return files, skipped
