"""Path helpers of the importers (formats/paths.ts): normalised relative paths, names, OS junk,
natural sort and byte counts in messages, with the same results as TS.

Public API:
    normalize_path(p), base_name(p), dir_parts(p), extension_of(p), strip_archive_extension(name)
    is_junk_path(p) -> bool; natural_compare(a, b) -> int; natural_key (for sorted); format_bytes(n) -> str
Must not import: torch.
"""
from __future__ import annotations

import functools
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import List


def normalize_path(path: str) -> str:
    """"./a\\\\b//c.png" → "a/b/c.png"."""
    return "/".join(p for p in path.replace("\\", "/").split("/") if p not in ("", "."))


def base_name(path: str) -> str:
    return path[path.rfind("/") + 1:]


def dir_parts(path: str) -> List[str]:
    return path.split("/")[:-1]


def extension_of(path: str) -> str:
    name = base_name(path)
    i = name.rfind(".")
    return "" if i <= 0 else name[i + 1:].lower()


_ARCHIVE_EXT = re.compile(r"\.(tar\.gz|tgz|tar|zip|gz)$", re.IGNORECASE)


def strip_archive_extension(name: str) -> str:
    """"cifar-10-binary.tar.gz" → "cifar-10-binary"."""
    return _ARCHIVE_EXT.sub("", base_name(name), count=1)


_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini", ".localized"}


def is_junk_path(path: str) -> bool:
    parts = path.split("/")
    if "__MACOSX" in parts:
        return True
    name = parts[-1]
    return name.startswith("._") or name.lower() in _JUNK_NAMES


_CHUNKS = re.compile(r"(\d+)|(\D+)")


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")  # JS compares strings by UTF-16 code units


def natural_compare(a: str, b: str) -> int:
    """"data_batch_2" < "data_batch_10" (naturalCompare)."""
    pa = [m.group(0) for m in _CHUNKS.finditer(a)]
    pb = [m.group(0) for m in _CHUNKS.finditer(b)]
    for x, y in zip(pa, pb):
        if x == y:
            continue
        if x[0].isdigit() and y[0].isdigit() and x.isascii() and y.isascii():
            d = int(x) - int(y)
            if d != 0:
                return -1 if d < 0 else 1
        return -1 if _utf16(x) < _utf16(y) else 1
    return len(pa) - len(pb)


natural_key = functools.cmp_to_key(natural_compare)


def _to_fixed(x: float, digits: int) -> str:
    """JS Number.prototype.toFixed: the exact binary value rounded half up."""
    return str(Decimal(x).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def format_bytes(n: int) -> str:
    """1536 → "1.5 KB" (formatBytes)."""
    if n < 1024:
        return f"{n} bytes"
    units = ["KB", "MB", "GB"]
    v = n / 1024
    u = 0
    while v >= 1024 and u < len(units) - 1:
        v /= 1024
        u += 1
    return f"{_to_fixed(v, 1 if v < 10 else 0)} {units[u]}"
