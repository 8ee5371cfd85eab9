"""The run's data order (core/train/batchSampler.ts): epochs of seeded permutations consumed M
indices at a time, drop_last; the state {epochRngState, epoch, position} is the checkpoint's
progress.sampler, so a run continues the exact order (same draws as TS through hvp_torch.random).

Public API: BatchSampler(num_images, batch_size, seed_or_state: int | dict); .next_batch() -> list[int];
            .get_state() -> dict (TS keys); .epoch
Must not import: torch.
"""
from __future__ import annotations

from typing import Any, List, Mapping, Union

from ..random import create_rng, rng_from_state


class BatchSampler:
    """NOTE: next_batch mutates the sampler."""

    def __init__(self, num_images: int, batch_size: int, seed_or_state: Union[int, Mapping[str, Any]]):
        if batch_size > num_images:
            raise ValueError(f"Batch size {batch_size} exceeds the {num_images} training images")
        is_seed = isinstance(seed_or_state, int)
        self._rng = create_rng(seed_or_state) if is_seed else rng_from_state(seed_or_state["epochRngState"])
        self._n, self._m = num_images, batch_size
        self._epoch_state = self._rng.get_state()
        self._perm = self._rng.permutation(num_images)
        self.epoch = 0 if is_seed else int(seed_or_state["epoch"])
        self._position = 0 if is_seed else int(seed_or_state["position"])

    def next_batch(self) -> List[int]:
        if self._position + self._m > self._n:
            self._epoch_state = self._rng.get_state()
            self._perm = self._rng.permutation(self._n)
            self.epoch += 1
            self._position = 0
        out = self._perm[self._position:self._position + self._m]
        self._position += self._m
        return out

    def get_state(self) -> dict:
        return {"epochRngState": list(self._epoch_state), "epoch": self.epoch, "position": self._position}
