"""gunzip of one gzip member with the checks of formats/gzip.ts: header parsed here, the trailer's
size checked before anything is allocated (at most MAX_UNPACKED_BYTES), output length and CRC-32
compared with the trailer, so truncated or corrupt downloads are named instead of read wrong.

Public API: MAX_UNPACKED_BYTES, is_gzip(data) -> bool, gunzip(data, path) -> bytes (FileFormatError)
Must not import: torch.
"""
from __future__ import annotations

import zlib

from .errors import CUT_OFF, FileFormatError
from .paths import format_bytes

MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
_MAX_DEFLATE_RATIO = 1032


def is_gzip(data: bytes) -> bool:
    return len(data) >= 2 and data[0] == 0x1F and data[1] == 0x8B


def _hex(data: bytes, n: int) -> str:
    return " ".join(f"{b:02x}" for b in data[:n])


def _deflate_start(data: bytes, path: str) -> int:
    if not is_gzip(data):
        raise FileFormatError(path, "is not a gzip (.gz) file: it is another kind of file with a .gz name, or a web page saved in place of the download; "
                              f"download it again (it starts with {_hex(data, 4) or 'nothing'}, gzip starts with 1f 8b)")
    if len(data) < 18:
        raise FileFormatError(path, f"{CUT_OFF} ({len(data)} bytes is shorter than an empty gzip file)")
    if data[2] != 8:
        raise FileFormatError(path, "is damaged or not a real gzip file: it names a compression that does not exist; "
                              f"download it again (compression method {data[2]}, only deflate (8) exists)")
    flags = data[3]
    pos = 10
    if flags & 4:
        pos += 2 + (data[10] | (data[11] << 8))
    for bit in (8, 16):
        if flags & bit:
            while pos < len(data) and data[pos] != 0:
                pos += 1
            pos += 1
    if flags & 2:
        pos += 2
    if pos + 8 > len(data):
        raise FileFormatError(path, f"{CUT_OFF} (it ends inside its gzip header)")
    return pos


def gunzip(data: bytes, path: str) -> bytes:
    """Unpacks one gzip file; raises FileFormatError naming ``path`` (messages as gzip.ts)."""
    start = _deflate_start(data, path)
    end = len(data) - 8
    deflated = memoryview(data)[start:end]
    stored_crc = int.from_bytes(data[end:end + 4], "little")
    stored_size = int.from_bytes(data[end + 4:end + 8], "little")
    plausible = stored_size >= len(deflated) * 0.99 - 64 and stored_size <= len(deflated) * _MAX_DEFLATE_RATIO + 1024
    if plausible and stored_size > MAX_UNPACKED_BYTES:
        raise FileFormatError(path, f"unpacks to {format_bytes(stored_size)}, more than the {format_bytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data")
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(deflated, MAX_UNPACKED_BYTES + 1)
    except zlib.error as e:
        raise FileFormatError(path, f"is damaged: its compressed data cannot be unpacked; download it again ({e})") from None
    if len(out) > MAX_UNPACKED_BYTES:
        raise FileFormatError(path, f"unpacks to more than the {format_bytes(MAX_UNPACKED_BYTES)} the importer handles; import a smaller part of the data")
    if not d.eof:
        raise FileFormatError(path, f"{CUT_OFF} (the gzip data ends early)")
    if len(out) != stored_size:
        raise FileFormatError(path, "is damaged or cut off: it does not unpack to the size it records; "
                              f"download it again (it unpacked to {len(out)} bytes but its trailer says {stored_size})")
    if zlib.crc32(out) != stored_crc:
        raise FileFormatError(path, "is damaged: its unpacked data fails the file's own check; download it again (CRC-32 mismatch)")
    return out
