"""CIFAR-10 / CIFAR-100 binary batches → uint8 HWC images + labels (formats/cifar.ts).

CIFAR-10 records are 1 label byte + 3072 pixels, CIFAR-100 coarse + fine label bytes + 3072 pixels
(the fine label is used); pixels are R, G, B planes of 32×32. Variant by file name first, record
size second; sizes and labels are checked before anything is allocated; one variant per import
(the one with more records); train batches first, then test, natural order within.

Public API: is_cifar_file(path) -> bool; import_cifar(files, size, max_images) -> FormatImport
Must not import: anything outside the package.
"""
from __future__ import annotations

import functools
import re
from typing import List, Optional

import numpy as np

from .budget import allocate_images, split_budget
from .class_names import CIFAR10_CLASS_NAMES, CIFAR100_CLASS_NAMES, parse_name_lines
from .format_import import FormatImport
from .paths import base_name, natural_compare
from .resize import resize_to_square_rgb
from .types import InputFile, SkippedFile

PIXELS = 3072
SPEC = {
    "cifar10": dict(title="CIFAR-10", record_bytes=1 + PIXELS, label_byte=0, num_classes=10, meta_name="batches.meta.txt", names=CIFAR10_CLASS_NAMES),
    "cifar100": dict(title="CIFAR-100", record_bytes=2 + PIXELS, label_byte=1, num_classes=100, meta_name="fine_label_names.txt", names=CIFAR100_CLASS_NAMES),
}


def is_cifar_file(path: str) -> bool:
    name = base_name(path).lower()
    return name.endswith(".bin") or name in (SPEC["cifar10"]["meta_name"], SPEC["cifar100"]["meta_name"])


class _Batch:
    def __init__(self, file: InputFile, variant: str, is_test: bool, num_records: int):
        self.file, self.variant, self.is_test, self.num_records = file, variant, is_test, num_records


def _classify(file: InputFile):
    name = base_name(file.path).lower()
    n = len(file.data)
    fits = lambda v: n % SPEC[v]["record_bytes"] == 0  # noqa: E731
    variant: Optional[str] = None
    if re.fullmatch(r"(data_batch_\d+|test_batch)\.bin", name):
        variant = "cifar10"
    elif re.fullmatch(r"(train|test)\.bin", name):
        variant = "cifar100"
    elif fits("cifar10") != fits("cifar100"):
        variant = "cifar10" if fits("cifar10") else "cifar100"
    if n == 0:
        return SkippedFile(file.path, "is empty (0 bytes)")
    if variant is None:
        return SkippedFile(file.path, (
            'is not a CIFAR binary batch: its size fits neither CIFAR-10 nor CIFAR-100; choose the .bin files of the "binary version" '
            f"(data_batch_1.bin … test_batch.bin, or train.bin and test.bin) ({n} bytes is a whole number of neither 3073-byte CIFAR-10 records nor 3074-byte CIFAR-100 records)"))
    spec = SPEC[variant]
    if not fits(variant):
        whole = n // spec["record_bytes"]
        extra = n - whole * spec["record_bytes"]
        s = "s" if spec["label_byte"] else ""
        return SkippedFile(file.path, (
            f"is incomplete or not a {spec['title']} batch: it does not hold a whole number of images; download it again (it is not a whole number of "
            f"{spec['record_bytes']}-byte {spec['title']} records of {spec['label_byte'] + 1} label byte{s} + 3072 pixels: {n} bytes = {whole} records + {extra} bytes)"))
    return _Batch(file, variant, "test" in name, n // spec["record_bytes"])


def _records(batch: _Batch) -> np.ndarray:
    rb = SPEC[batch.variant]["record_bytes"]
    return np.frombuffer(batch.file.data, dtype=np.uint8).reshape(batch.num_records, rb)


def _check_labels(batch: _Batch) -> Optional[str]:
    spec = SPEC[batch.variant]
    rec = _records(batch)
    coarse_bad = np.nonzero(rec[:, 0] >= 20)[0] if batch.variant == "cifar100" else np.array([], dtype=np.int64)
    labels = rec[:, spec["label_byte"]]
    label_bad = np.nonzero(labels >= spec["num_classes"])[0]
    first_coarse = int(coarse_bad[0]) if coarse_bad.size else None
    first_label = int(label_bad[0]) if label_bad.size else None
    if first_coarse is not None and (first_label is None or first_coarse <= first_label):
        return (f"is damaged or not a CIFAR-100 batch: it holds a label CIFAR-100 does not have "
                f"(record {first_coarse + 1} has coarse label {rec[first_coarse, 0]}, but CIFAR-100 coarse labels are 0–19)")
    if first_label is not None:
        renamed = "; a CIFAR-100 file renamed?" if batch.variant == "cifar10" else ""
        return (f"is damaged or not a {spec['title']} batch: it holds a label {spec['title']} does not have "
                f"(record {first_label + 1} has label {labels[first_label]}, but {spec['title']} labels are 0–{spec['num_classes'] - 1}{renamed})")
    return None


def _class_names(variant: str, files: List[InputFile], warnings: List[str]) -> List[str]:
    spec = SPEC[variant]
    meta = next((f for f in files if base_name(f.path).lower() == spec["meta_name"]), None)
    if meta is None:
        return list(spec["names"])
    names = parse_name_lines(bytes(meta.data).decode("utf-8", "replace"))
    if len(names) == spec["num_classes"]:
        return names
    warnings.append(f"{meta.path} lists {len(names)} class names, {spec['title']} has {spec['num_classes']}: using the standard {spec['title']} names")
    return list(spec["names"])


def import_cifar(files: List[InputFile], size: int, max_images: Optional[int]) -> FormatImport:
    """CIFAR batches (and names file) → FormatImport; unusable batches land in ``skipped``."""
    skipped: List[SkippedFile] = []
    warnings: List[str] = []
    batches: List[_Batch] = []
    for f in files:
        if not base_name(f.path).lower().endswith(".bin"):
            continue
        c = _classify(f)
        (skipped if isinstance(c, SkippedFile) else batches).append(c)
    records_of = lambda v: sum(b.num_records for b in batches if b.variant == v)  # noqa: E731
    variant = "cifar100" if records_of("cifar100") > records_of("cifar10") else "cifar10"
    spec = SPEC[variant]
    usable: List[_Batch] = []
    for b in batches:
        if b.variant != variant:
            skipped.append(SkippedFile(b.file.path, f"is a {SPEC[b.variant]['title']} batch, but this import is {spec['title']}; import the two datasets separately"))
            continue
        problem = _check_labels(b)
        if problem:
            skipped.append(SkippedFile(b.file.path, problem))
        else:
            usable.append(b)
    usable.sort(key=functools.cmp_to_key(lambda a, b: (int(a.is_test) - int(b.is_test)) or natural_compare(a.file.path, b.file.path)))
    class_names = _class_names(variant, files, warnings)
    quotas = split_budget([b.num_records for b in usable], max_images)
    num_images = sum(quotas)
    images = allocate_images(num_images, size)
    labels = np.zeros(num_images, dtype=np.int32)
    is_test = np.zeros(num_images, dtype=np.uint8)
    idx = 0
    for batch, quota in zip(usable, quotas):
        rec = _records(batch)[:quota]
        labels[idx:idx + quota] = rec[:, spec["label_byte"]]
        is_test[idx:idx + quota] = 1 if batch.is_test else 0
        hwc = rec[:, spec["label_byte"] + 1:].reshape(quota, 3, 32, 32).transpose(0, 2, 3, 1)  # CHW → HWC
        for s in range(0, quota, 2048):
            images[idx + s:idx + min(quota, s + 2048)] = resize_to_square_rgb(hwc[s:s + 2048], size)
        if quota < batch.num_records:
            skipped.append(SkippedFile(batch.file.path, f"records {quota + 1}–{batch.num_records} not imported: the import keeps at most {max_images} images (maxImages)"))
        idx += quota
    return FormatImport(variant, images, labels, class_names, is_test if is_test.any() else None, skipped, warnings)
