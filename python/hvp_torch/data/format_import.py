"""What one format's importer returns (formats/outputSet.ts FormatImport), before naming and split.

Public API: FormatImport(format, images np.uint8 [n,S,S,3], labels np.int32 [n] | None, class_names,
is_source_test np.uint8 [n] | None, skipped, warnings, name=None)
Must not import: torch.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from .types import SkippedFile


@dataclass
class FormatImport:
    format: str
    images: np.ndarray
    labels: Optional[np.ndarray]
    class_names: List[str]
    is_source_test: Optional[np.ndarray]
    skipped: List[SkippedFile] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    name: Optional[str] = None

    @property
    def num_images(self) -> int:
        return int(self.images.shape[0])
