"""MNIST-style IDX files → uint8 RGB images + labels (formats/idx.ts): MNIST, Fashion-MNIST, KMNIST.

Header: two zero bytes, type byte (0x08 unsigned byte is the only one read), dimension count, one
big-endian uint32 per dimension. The declared dimensions are checked against the file length
before anything is allocated. Image files pair with label files of the same name stem; t10k/test
files are the source's test set; gray becomes R = G = B; Fashion-MNIST names when "fashion" is in a
path or the input name.

Public API: is_idx_bytes(data) -> bool; is_idx_name(path) -> bool;
            import_idx(files, size, max_images, source_name) -> FormatImport
Must not import: anything outside the package.
"""
from __future__ import annotations

import functools
import re
from typing import Dict, List, Optional

import numpy as np

from .budget import allocate_images, split_budget
from .class_names import DIGIT_CLASS_NAMES, FASHION_MNIST_CLASS_NAMES
from .errors import CUT_OFF
from .format_import import FormatImport
from .paths import base_name, dir_parts, natural_compare
from .resize import resize_to_square_rgb
from .types import InputFile, SkippedFile

TYPE_NAMES = {0x08: "unsigned byte", 0x09: "signed byte", 0x0B: "int16", 0x0C: "int32", 0x0D: "float32", 0x0E: "float64"}


def is_idx_bytes(data: bytes) -> bool:
    return len(data) >= 8 and data[0] == 0 and data[1] == 0 and data[2] in TYPE_NAMES and 1 <= data[3] <= 4


def is_idx_name(path: str) -> bool:
    return re.search(r"idx\d", base_name(path), re.I) is not None


class _Idx:
    def __init__(self, file, kind, dims, header_bytes, key, is_test):
        self.file, self.kind, self.dims, self.header_bytes, self.key, self.is_test = file, kind, dims, header_bytes, key, is_test


def _hex32(b: bytes) -> str:
    return "0x" + "".join(f"{x:02x}" for x in bytes(b[:4]))


def _parse(file: InputFile):
    b = file.data
    fail = lambda reason: SkippedFile(file.path, reason)  # noqa: E731
    if len(b) == 0:
        return fail("is empty (0 bytes)")
    if len(b) < 8 or b[0] != 0 or b[1] != 0 or b[2] not in TYPE_NAMES:
        return fail("is not an MNIST-style IDX file: it holds another kind of data; choose the MNIST files themselves, e.g. train-images-idx3-ubyte.gz "
                    f"(it starts with {_hex32(b)}; MNIST images start with 0x00000803 and labels with 0x00000801)")
    if b[2] != 0x08:
        return fail("stores numbers this importer cannot read: only byte-valued IDX files like MNIST's can be imported "
                    f"(it stores {TYPE_NAMES[b[2]]} values, IDX type 0x{b[2]:02x}; only type 0x08 is supported)")
    num_dims = b[3]
    if num_dims not in (1, 3):
        return fail("is an IDX file of neither images nor labels, so it cannot be imported "
                    f"(it has {num_dims} dimensions; IDX image files have 3: count, rows, columns; label files 1: count)")
    header = 4 + 4 * num_dims
    if len(b) < header:
        return fail(f"{CUT_OFF} (it ends inside its {header}-byte IDX header)")
    dims = [int.from_bytes(bytes(b[4 + 4 * i:8 + 4 * i]), "big") for i in range(num_dims)]
    expected = 1
    for d in dims:
        expected *= d
    actual = len(b) - header
    if actual != expected:
        shape = "×".join(str(d) for d in dims)
        detail = f"header says {shape} = {expected} bytes of data, but the file holds {actual} after its {header}-byte header"
        if actual < expected:
            return fail(f"is incomplete: it holds less than its header announces, so it was cut off while it was downloaded or copied; download it again ({detail})")
        return fail(f"is damaged: it holds more than its header announces; download it again ({detail}; it has {actual - expected} extra bytes)")
    if num_dims == 3 and (dims[1] == 0 or dims[2] == 0):
        return fail(f"holds images without pixels, so there is nothing to import (its header says {dims[1]}×{dims[2]} pixels)")
    stem = re.sub(r"\.gz$", "", base_name(file.path).lower())
    part = re.sub(r"^-|-$", "", re.sub(r"[-_.]+", "-", re.sub(r"images|labels|idx\d|ubyte", "", stem)))
    key = "/".join(dir_parts(file.path) + [part])
    return _Idx(file, "images" if num_dims == 3 else "labels", dims, header, key, re.search(r"t10k|test", stem) is not None)


def _pair(parsed: List[_Idx], skipped: List[SkippedFile], warnings: List[str]):
    images: Dict[str, _Idx] = {}
    labels: Dict[str, _Idx] = {}
    for f in parsed:
        m = images if f.kind == "images" else labels
        other = m.get(f.key)
        if other is not None:
            skipped.append(SkippedFile(f.file.path, f"is a second IDX {f.kind} file for the same part as {other.file.path}; only the first is used"))
        else:
            m[f.key] = f
    has_any_labels = any(k in labels for k in images)
    pairs = []
    for key, img in images.items():
        lab = labels.pop(key, None)
        if lab is None and has_any_labels:
            skipped.append(SkippedFile(img.file.path, "has no matching IDX labels file (e.g. train-images-idx3-ubyte needs train-labels-idx1-ubyte next to it)"))
            continue
        if lab is not None and lab.dims[0] != img.dims[0]:
            skipped.append(SkippedFile(img.file.path, f"has {img.dims[0]} images but its labels file {lab.file.path} has {lab.dims[0]} labels: one of them is truncated or they do not belong together"))
            skipped.append(SkippedFile(lab.file.path, f"has {lab.dims[0]} labels but its images file {img.file.path} has {img.dims[0]} images"))
            continue
        pairs.append((img, lab))
    for lab in labels.values():
        skipped.append(SkippedFile(lab.file.path, "is an IDX labels file with no matching images file (e.g. train-labels-idx1-ubyte needs train-images-idx3-ubyte)"))
    if pairs and not has_any_labels:
        warnings.append("No IDX label files (…-labels-idx1-ubyte) were given: the images are imported unlabelled")
    pairs.sort(key=functools.cmp_to_key(lambda a, b: (int(a[0].is_test) - int(b[0].is_test)) or natural_compare(a[0].file.path, b[0].file.path)))
    return pairs


def import_idx(files: List[InputFile], size: int, max_images: Optional[int], source_name: str) -> FormatImport:
    """IDX image/label files → FormatImport; unusable files land in ``skipped``."""
    skipped: List[SkippedFile] = []
    warnings: List[str] = []
    parsed = []
    for f in files:
        p = _parse(f)
        (skipped if isinstance(p, SkippedFile) else parsed).append(p)
    pairs = _pair(parsed, skipped, warnings)
    is_labelled = any(lab is not None for _, lab in pairs)
    quotas = split_budget([img.dims[0] for img, _ in pairs], max_images)
    num_images = sum(quotas)
    images = allocate_images(num_images, size)
    labels = np.zeros(num_images, dtype=np.int32) if is_labelled else None
    is_test = np.zeros(num_images, dtype=np.uint8)
    idx = 0
    max_label = -1
    for (img, lab), quota in zip(pairs, quotas):
        n, rows, cols = img.dims
        px = np.frombuffer(img.file.data, dtype=np.uint8, count=quota * rows * cols, offset=img.header_bytes).reshape(quota, rows, cols, 1)
        for s in range(0, quota, 1024):
            images[idx + s:idx + min(quota, s + 1024)] = resize_to_square_rgb(px[s:s + 1024], size)
        if labels is not None and lab is not None:
            lv = np.frombuffer(lab.file.data, dtype=np.uint8, count=quota, offset=lab.header_bytes)
            labels[idx:idx + quota] = lv
            if quota:
                max_label = max(max_label, int(lv.max()))
        is_test[idx:idx + quota] = 1 if img.is_test else 0
        idx += quota
        if quota < n:
            skipped.append(SkippedFile(img.file.path, f"images {quota + 1}–{n} not imported: the import keeps at most {max_images} images (maxImages)"))
    is_fashion = re.search("fashion", source_name, re.I) is not None or any(re.search("fashion", f.path, re.I) for f in files)
    if not is_labelled:
        class_names: List[str] = []
    elif max_label <= 9:
        class_names = list(FASHION_MNIST_CLASS_NAMES if is_fashion else DIGIT_CLASS_NAMES)
    else:
        class_names = [str(i) for i in range(max_label + 1)]
    return FormatImport("idx", images, labels, class_names, is_test if is_test.any() else None, skipped, warnings)
