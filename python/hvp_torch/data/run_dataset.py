"""The run's dataset from the user's files, as the browser builds it for a stored set
(src/worker/runDataset.ts buildStoredRunDataset): import at the run's imageSize with the browser's
image budget, split with datasetSeed (HELD_OUT_FRACTION when the source marks no test set,
numTestImages at most), a seeded training subset of numTrainImages when there are more, and the
same "too small" checks. Same files + same config → the same uint8 arrays, labels and fingerprint.

Public API:
    HELD_OUT_FRACTION
    import_run_dataset(paths, config: dict, name: str | None = None, max_images: int | None = None,
                       on_progress=None) -> Dataset
        paths: files and/or folders; config: the checkpoint record's config (imageSize, datasetSeed,
        numTrainImages, numTestImages, batchSize, numKnnBankImages, knnEvery, knnK); name: the
        dataset name to use — when resuming, the checkpoint's record.dataset.name (the browser may
        have renamed a set "x (2)"); default the importer's name. max_images: default the browser's
        budget floor(256 MiB / imageSize² / 3).
    train_subset(s: ImageSet, count, seed) -> ImageSet
    check_run_dataset(d: Dataset, config) -> None      raises DatasetTooSmallError
Must not import: anything outside the package.
"""
from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence

from ..random import create_rng, derive_seed
from .errors import DatasetImportError, DatasetTooSmallError
from .import_files import Progress, browser_max_images, import_files, read_input_files
from .split import gather, to_dataset
from .types import Dataset, ImageSet, ImportResult

HELD_OUT_FRACTION = 0.1


def train_subset(s: ImageSet, count: int, seed: int) -> ImageSet:
    """A seeded subset of ``count`` images in their original order (runDataset.ts subset())."""
    rng = create_rng(derive_seed(seed, "dataset/trainSubset"))
    keep = sorted(rng.permutation(s.num_images)[:count])
    return gather(s, keep)


def check_run_dataset(d: Dataset, config: Mapping[str, Any]) -> None:
    """The browser's checks: enough training images for a batch, a held-out part, a kNN bank ≥ k."""
    train, test = d.train, d.test
    what = f"The dataset “{d.name}” gives {train.num_images} training and {test.num_images} held-out images"
    batch = config["batchSize"]
    if train.num_images < batch:
        raise DatasetTooSmallError(f"{what}; a batch of {batch} needs at least {batch} training images.",
                                   f"Lower “Batch size” to {max(2, train.num_images)} or less, or import more images.")
    if test.num_images == 0:
        raise DatasetTooSmallError(f"{what}; the gallery and evaluation need at least one held-out image.", "Import more images.")
    num_bank = min(config["numKnnBankImages"], train.num_images)
    if train.labels is not None and config["knnEvery"] > 0 and config["knnK"] > num_bank:
        raise DatasetTooSmallError(f"{what}; kNN with k = {config['knnK']} needs a bank of at least {config['knnK']} training images.",
                                   f"Lower “kNN k” to {num_bank} or less, or set “kNN every k steps” to 0.")


def run_dataset_from_import(result: ImportResult, config: Mapping[str, Any], name: str) -> Dataset:
    """buildStoredRunDataset on an import (unlabelled sets keep no class names)."""
    if result.set.labels is None:
        result = ImportResult(result.name, result.format, result.set, [], result.is_source_test, result.skipped, result.warnings)
    split = to_dataset(result, name=name, seed=config["datasetSeed"], test_fraction=HELD_OUT_FRACTION, max_test=config["numTestImages"])
    if split.train.num_images > config["numTrainImages"]:
        split.train = train_subset(split.train, config["numTrainImages"], config["datasetSeed"])
    split.skipped, split.warnings, split.source_name = list(result.skipped), list(result.warnings), result.name
    check_run_dataset(split, config)
    return split


def import_run_dataset(paths: Sequence[str], config: Mapping[str, Any], name: Optional[str] = None,
                       max_images: Optional[int] = None, on_progress: Optional[Progress] = None,
                       image_size: Optional[int] = None) -> Dataset:
    """Imports ``paths`` and builds the run's dataset (see the module docstring). ``image_size``: the
    side the images are decoded to, default the run's imageSize; a resume passes the checkpoint's
    record.dataset.height (the view size when the set was imported), as src/cli/runSetup.ts does."""
    size = image_size if image_size is not None else config["imageSize"]
    files, read_skipped = read_input_files(paths)
    if not files:
        names = ", ".join(s.path for s in read_skipped[:3]) + (", …" if len(read_skipped) > 3 else "")
        raise DatasetImportError(f"None of the files could be read ({names}); see the skipped list for why.", read_skipped)
    result = import_files(files, size, max_images if max_images is not None else browser_max_images(size), on_progress)
    result.skipped = read_skipped + result.skipped
    return run_dataset_from_import(result, config, name if name is not None else result.name)
