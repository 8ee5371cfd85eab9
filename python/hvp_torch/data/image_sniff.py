"""Image type by magic bytes and width × height from the header alone (formats/imageSniff.ts), so
oversized images are refused before a decoder allocates them.

Public API: sniff_image_type(data) -> 'png'|'jpeg'|'webp'|'gif'|'bmp'|'tiff'|'heic'|'avif'|None;
            is_decodable(t) -> bool; read_image_dims(data, t) -> (width, height) | None
Must not import: torch.
"""
from __future__ import annotations

import re
from typing import Optional, Tuple

_PNG_SIG = bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])


def sniff_image_type(data: bytes) -> Optional[str]:
    b = bytes(data[:16])
    if b.startswith(_PNG_SIG):
        return "png"
    if b.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if b.startswith(b"RIFF") and b[8:12] == b"WEBP":
        return "webp"
    if b.startswith(b"GIF8"):
        return "gif"
    if b.startswith(b"BM") and len(data) > 26:
        return "bmp"
    if b.startswith(b"II*\x00") or b.startswith(b"MM\x00*"):
        return "tiff"
    if b[4:8] == b"ftyp":
        brand = b[8:12].decode("latin-1")
        if brand in ("avif", "avis"):
            return "avif"
        if re.fullmatch(r"heic|heix|hevc|mif1|msf1", brand):
            return "heic"
    return None


def is_decodable(t: Optional[str]) -> bool:
    return t in ("png", "jpeg", "webp")


def _be16(b: bytes, i: int) -> int:
    return (b[i] << 8) | b[i + 1]


def _jpeg_dims(b: bytes) -> Optional[Tuple[int, int]]:
    pos = 2
    while pos + 9 < len(b):
        if b[pos] != 0xFF:
            return None
        while pos < len(b) and b[pos] == 0xFF:
            pos += 1
        marker = b[pos]
        pos += 1
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            continue
        if marker in (0xD9, 0xDA):
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return _be16(b, pos + 5), _be16(b, pos + 3)
        pos += _be16(b, pos)
    return None


def read_image_dims(data: bytes, t: str) -> Optional[Tuple[int, int]]:
    """(width, height) from the header, or None when it cannot be read."""
    b = bytes(data) if t == "jpeg" else bytes(data[:32])
    if t == "png":
        if len(b) < 24 or b[12:16] != b"IHDR":
            return None
        return int.from_bytes(b[16:20], "big"), int.from_bytes(b[20:24], "big")
    if t == "jpeg":
        return _jpeg_dims(b)
    if len(b) < 30:
        return None
    chunk = b[12:16]
    le24 = lambda i: b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)  # noqa: E731
    if chunk == b"VP8X":
        return le24(24) + 1, le24(27) + 1
    if chunk == b"VP8L" and b[20] == 0x2F:
        bits = int.from_bytes(b[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8 " and b[23:26] == b"\x9d\x01\x2a":
        return (b[26] | (b[27] << 8)) & 0x3FFF, (b[28] | (b[29] << 8)) & 0x3FFF
    return None
