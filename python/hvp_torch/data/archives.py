"""Unpacks what the user gave into plain files (formats/archives.ts): .tar.gz / .tgz / .tar / .zip
and single .gz files are recognised by their magic bytes and expanded, nested ones too (depth ≤ 3).
Member paths sit under their archive's folder. OS junk is dropped.

Public API: expand_archives(files: list[InputFile], on_archive=None) -> (files, skipped, archives)
Must not import: torch.
"""
from __future__ import annotations

import re
from typing import Callable, List, Optional, Tuple

from .errors import FileFormatError
from .gunzip import gunzip, is_gzip
from .paths import base_name, dir_parts, is_junk_path, normalize_path
from .tar import is_tar, read_tar
from .types import InputFile, SkippedFile
from .zip_reader import is_zip, read_zip

MAX_DEPTH = 3


def _member_path(archive: str, member: str) -> str:
    return normalize_path("/".join(dir_parts(archive) + [member]))


def expand_archives(files: List[InputFile], on_archive: Optional[Callable[[str], None]] = None) -> Tuple[List[InputFile], List[SkippedFile], List[str]]:
    """Plain files after unpacking, what could not be unpacked, and the archives unpacked (input order)."""
    out_files: List[InputFile] = []
    out_skipped: List[SkippedFile] = []
    archives: List[str] = []
    tell = on_archive or (lambda _p: None)

    def visit_tar(data: bytes, path: str, depth: int) -> None:
        members, skipped = read_tar(data, base_name(path))
        out_skipped.extend(SkippedFile(_member_path(path, s.path), s.reason) for s in skipped)
        for m in members:
            visit(InputFile(_member_path(path, m.path), m.data), depth + 1)

    def visit(file: InputFile, depth: int) -> None:
        path = normalize_path(file.path)
        if is_junk_path(path):
            return
        data = file.data
        can_unpack = depth < MAX_DEPTH
        try:
            if can_unpack and is_gzip(data):
                tell(path)
                inner = gunzip(data, path)
                archives.append(path)
                if is_tar(inner):
                    visit_tar(inner, path, depth)
                else:
                    inner_path = re.sub(r"\.tgz$", ".tar", re.sub(r"\.gz$", "", path, flags=re.I), flags=re.I)
                    visit(InputFile(inner_path, inner), depth + 1)
            elif can_unpack and is_zip(data):
                tell(path)
                members, skipped = read_zip(data, path)
                archives.append(path)
                out_skipped.extend(SkippedFile(_member_path(path, s.path), s.reason) for s in skipped)
                for m in members:
                    visit(InputFile(_member_path(path, m.path), m.data), depth + 1)
            elif can_unpack and re.search(r"\.tar$", path, re.I) and is_tar(data):
                tell(path)
                archives.append(path)
                visit_tar(data, path, depth)
            else:
                out_files.append(InputFile(path, data))
        except FileFormatError as e:
            out_skipped.append(SkippedFile(path, e.reason))

    for f in files:
        try:
            visit(f, 0)
        except Exception as e:  # noqa: BLE001 — as TS: one bad input never stops the others
            out_skipped.append(SkippedFile(f.path, f"could not be unpacked: {e}"))
    return out_files, out_skipped, archives
