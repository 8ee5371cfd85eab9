"""Data records of the importers and the run dataset (formats/types.ts, core/data/types.ts).

Public API:
    InputFile(path, data: bytes)       one file as given; path relative, "/"-separated
    SkippedFile(path, reason)          unusable file and why (same words as TS)
    ImageSet(images, labels)           images torch.uint8 [n, H, W, 3]; labels torch.int32 [n] or None
    Dataset(name, class_names, train, test, skipped, warnings, source_name)   num_classes = len(class_names)
    ImportResult(name, format, set, class_names, is_source_test, skipped, warnings)
Must not import: anything outside the package.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import torch


@dataclass
class InputFile:
    path: str
    data: bytes


@dataclass
class SkippedFile:
    path: str
    reason: str


@dataclass
class ImageSet:
    """uint8 RGB images [n, H, W, 3] and int32 labels [n] (None for an unlabelled set)."""
    images: torch.Tensor
    labels: Optional[torch.Tensor]

    @property
    def num_images(self) -> int:
        return int(self.images.shape[0])

    @property
    def height(self) -> int:
        return int(self.images.shape[1])

    @property
    def width(self) -> int:
        return int(self.images.shape[2])


@dataclass
class Dataset:
    """A run's data: train and held-out parts. ``skipped`` / ``warnings`` / ``source_name`` (the
    importer's suggested name) are filled by import_run_dataset."""
    name: str
    class_names: List[str]
    train: ImageSet
    test: ImageSet
    skipped: List[SkippedFile] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    source_name: str = ""

    @property
    def num_classes(self) -> int:
        return len(self.class_names)


@dataclass
class ImportResult:
    name: str
    format: str  # 'cifar10' | 'cifar100' | 'idx' | 'image-folder'
    set: ImageSet
    class_names: List[str]
    is_source_test: Optional[torch.Tensor]  # uint8 [n] (1 = the source marks it test) or None
    skipped: List[SkippedFile] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
