"""Image budget of an import (formats/outputSet.ts): the maxImages budget split over source files in
proportion (largest remainder), and the checked allocation of the uint8 output.

Public API: split_budget(counts, budget) -> list[int]; allocate_images(n, size) -> np.uint8 [n, size, size, 3]
Must not import: torch.
"""
from __future__ import annotations

import math
from typing import List, Optional, Sequence

import numpy as np

from .errors import DatasetImportError
from .paths import format_bytes


def split_budget(counts: Sequence[int], budget: Optional[int]) -> List[int]:
    total = sum(counts)
    if budget is None or budget >= total:
        return list(counts)
    exact = [c * budget / total for c in counts]
    out = [math.floor(e) for e in exact]
    left = budget - sum(out)
    order = sorted(range(len(counts)), key=lambda i: (-(exact[i] - out[i]), i))
    for i in order:
        if left <= 0:
            break
        if out[i] < counts[i]:
            out[i] += 1
            left -= 1
    return out


def allocate_images(num_images: int, size: int) -> np.ndarray:
    """Zeroed [n, size, size, 3] uint8; DatasetImportError with a way out when memory is refused."""
    try:
        return np.zeros((num_images, size, size, 3), dtype=np.uint8)
    except MemoryError:
        nbytes = num_images * size * size * 3
        raise DatasetImportError(f"Not enough memory for {num_images} images of {size}×{size} ({format_bytes(nbytes)}): lower the image limit (maxImages) or the image size") from None
