"""Train / held-out split of an import (formats/split.ts), drawn with the same seeded stream
createRng(deriveSeed(seed, 'dataset/split')) so the same seed picks the same images as TS.

The source's own split wins when it marks both train and test images (CIFAR test_batch, IDX t10k);
max_test then keeps a stratified seeded subset of its test images. Otherwise round(test_fraction·n)
images (at most max_test, at least 1 when n ≥ 2) are held out, stratified by label with at least
one training image per class.

Public API: js_round(x) -> int; to_dataset(result: ImportResult, name, seed, test_fraction, max_test=None) -> Dataset
Must not import: anything outside the package.
"""
from __future__ import annotations

import math
from typing import Callable, Dict, List, Optional

import torch

from ..random import Rng, create_rng, derive_seed
from .types import Dataset, ImageSet, ImportResult


def js_round(x: float) -> int:
    """Math.round: nearest integer, ties towards +∞ (Python's round() ties to even)."""
    f = math.floor(x)
    return f + 1 if x - f >= 0.5 else f


def _stratified_quotas(sizes: List[int], total: int, cap: Callable[[int], int]) -> List[int]:
    n = sum(sizes)
    if n == 0:
        return [0] * len(sizes)
    exact = [s * total / n for s in sizes]
    out = [min(math.floor(exact[g]), cap(s)) for g, s in enumerate(sizes)]
    left = total - sum(out)
    order = sorted(range(len(sizes)), key=lambda g: (-(exact[g] - math.floor(exact[g])), g))
    while left > 0:
        given = False
        for g in order:
            if left > 0 and out[g] < cap(sizes[g]):
                out[g] += 1
                left -= 1
                given = True
        if not given:
            break
    return out


def _stratified_pick(indices: List[int], labels: Optional[List[int]], count: int, rng: Rng, keep_one: bool) -> List[int]:
    groups: Dict[int, List[int]] = {}
    for i in indices:
        groups.setdefault(labels[i] if labels is not None else 0, []).append(i)
    lists = [groups[k] for k in sorted(groups)]
    quotas = _stratified_quotas([len(l) for l in lists], count, (lambda s: max(0, s - 1)) if keep_one else (lambda s: s))
    picked: List[int] = []
    for lst, q in zip(lists, quotas):
        perm = rng.permutation(len(lst))
        picked.extend(lst[perm[k]] for k in range(q))
    return sorted(picked)


def gather(s: ImageSet, indices: List[int]) -> ImageSet:
    """The images (and labels) at ``indices``, as a new tight ImageSet."""
    idx = torch.tensor(indices, dtype=torch.int64)
    return ImageSet(s.images.index_select(0, idx).contiguous(), s.labels.index_select(0, idx).contiguous() if s.labels is not None else None)


def to_dataset(result: ImportResult, name: str, seed: int, test_fraction: float, max_test: Optional[int] = None) -> Dataset:
    """Splits an import into train and test (see the module docstring). Copies the pixels."""
    if not (math.isfinite(test_fraction) and 0 <= test_fraction < 1):
        raise ValueError(f"testFraction must be in [0, 1), got {test_fraction}")
    if max_test is not None and not (isinstance(max_test, int) and max_test >= 0):
        raise ValueError(f"maxTest must be a whole number ≥ 0, got {max_test}")
    s = result.set
    n = s.num_images
    rng = create_rng(derive_seed(seed, "dataset/split"))
    labels = s.labels.tolist() if s.labels is not None else None
    marked_flags = result.is_source_test.tolist() if result.is_source_test is not None else None
    marked = [i for i in range(n) if marked_flags[i] == 1] if marked_flags is not None else []
    if marked_flags is not None and 0 < len(marked) < n:
        train_idx = [i for i in range(n) if marked_flags[i] != 1]
        test_idx = _stratified_pick(marked, labels, max_test, rng, False) if max_test is not None and len(marked) > max_test else marked
    else:
        num_test = js_round(test_fraction * n)
        if test_fraction > 0 and n >= 2:
            num_test = max(1, num_test)
        num_test = min(num_test, max(0, n - 1), max_test if max_test is not None else math.inf)
        test_idx = _stratified_pick(list(range(n)), labels, int(num_test), rng, True)
        is_test = set(test_idx)
        train_idx = [i for i in range(n) if i not in is_test]
    return Dataset(name=name, class_names=list(result.class_names), train=gather(s, train_idx), test=gather(s, test_idx))
