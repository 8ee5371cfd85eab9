"""Dataset fingerprint (core/data/fingerprint.ts): name, sizes and a 32-bit FNV-style hash of a
strided sample (≤ 1 MiB per split) of the pixels plus all labels (low byte) — identical to TS for
identical data, so a checkpoint's record.dataset fingerprint can be checked here.

Public API: fingerprint_dataset(d: Dataset) -> dict(name, numTrain, numTest, height, width, hash);
            fingerprint_mismatch(saved: dict, current: dict) -> str | None
Must not import: anything outside the package.
"""
from __future__ import annotations

from typing import Optional

import numpy as np

from ..random import hash_string
from .types import Dataset, ImageSet

_SAMPLE_BYTES = 1 << 20
_PRIME = 0x01000193


def _fnv(h: int, values: np.ndarray) -> int:
    for v in values.tolist():
        h = ((h ^ v) * _PRIME) & 0xFFFFFFFF
    return h


def _hash_set(h: int, s: ImageSet) -> int:
    flat = s.images.reshape(-1).cpu().numpy()
    stride = max(1, len(flat) // _SAMPLE_BYTES)
    h = _fnv(h, flat[::stride])
    if s.labels is not None:
        h = _fnv(h, s.labels.cpu().numpy().astype(np.int64) & 0xFF)
    return h


def fingerprint_dataset(d: Dataset) -> dict:
    """The TS DatasetFingerprint of ``d`` (camelCase keys, as stored in checkpoint records)."""
    h = hash_string(f"{d.name}|{d.train.num_images}|{d.test.num_images}|{d.train.height}x{d.train.width}")
    h = _hash_set(h, d.train)
    h = _hash_set(h, d.test)
    return {"name": d.name, "numTrain": d.train.num_images, "numTest": d.test.num_images, "height": d.train.height, "width": d.train.width, "hash": f"{h:08x}"}


def _what_differs(saved: dict, current: dict) -> str:
    """Name, image counts, image size, or (when those agree) the pixels or labels — as fingerprint.ts."""
    parts = []
    if saved["name"] != current["name"]:
        parts.append(f'the name ("{saved["name"]}" vs "{current["name"]}")')
    if saved["numTrain"] != current["numTrain"] or saved["numTest"] != current["numTest"]:
        parts.append(f'the image counts ({saved["numTrain"]} + {saved["numTest"]} vs {current["numTrain"]} + {current["numTest"]})')
    if saved["height"] != current["height"] or saved["width"] != current["width"]:
        parts.append(f'the image size ({saved["height"]}×{saved["width"]} vs {current["height"]}×{current["width"]})')
    if parts:
        return f"They differ in {', '.join(parts)}."
    return "Name, image counts and image size agree, so the pixels or labels differ (other files, or files changed since)."


def fingerprint_mismatch(saved: dict, current: dict) -> Optional[str]:
    """Why ``saved`` is not the data of ``current``, in words (both described, then what differs), or
    None when they match; the same text as fingerprintMismatch in src/core/data/fingerprint.ts."""
    if saved["hash"] == current["hash"] and saved["numTrain"] == current["numTrain"] and saved["numTest"] == current["numTest"]:
        return None
    describe = lambda f: f'"{f["name"]}" ({f["numTrain"]} training + {f["numTest"]} held-out images of {f["height"]}×{f["width"]}, fingerprint {f["hash"]})'  # noqa: E731
    return f"The checkpoint was trained on {describe(saved)}, but the loaded dataset is {describe(current)}. {_what_differs(saved, current)}"
