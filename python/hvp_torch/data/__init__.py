"""Dataset importers for hvp_torch: the browser's formats, split and fingerprint, in Python.

Ports src/core/data/formats/ (CIFAR-10/100 binary in .tar.gz or .bin, MNIST-style IDX raw or .gz,
image folders and zips of them), src/worker/runDataset.ts (held-out split, training subset, checks)
and src/core/data/fingerprint.ts, so the same files and run config give the same uint8 arrays,
labels, skipped-file reasons, dataset name and fingerprint as the browser and the CLI.
One idea per module: paths, gunzip, tar, zip_reader, archives, image_sniff, decode, resize,
budget, cifar, idx, image_folder, import_files, split, run_dataset, fingerprint, batch_sampler.

Public API:
    import_run_dataset(paths, config, name=None, max_images=None, on_progress=None) -> Dataset
    import_files(files: list[InputFile], size, max_images=None, on_progress=None) -> ImportResult
    read_input_files(paths) -> (list[InputFile], list[SkippedFile])
    to_dataset(result, name, seed, test_fraction, max_test=None) -> Dataset
    fingerprint_dataset(d) -> dict; fingerprint_mismatch(saved, current) -> str | None
    BatchSampler(num_images, batch_size, seed_or_state)   the run's data order (train/batchSampler.ts)
    Dataset, ImageSet (images torch.uint8 [n, H, W, 3], labels torch.int32 [n] | None), ImportResult,
    InputFile, SkippedFile, DatasetImportError, DatasetTooSmallError, FileFormatError,
    HELD_OUT_FRACTION, browser_max_images(size)
"""
from .batch_sampler import BatchSampler
from .errors import DatasetImportError, DatasetTooSmallError, FileFormatError
from .fingerprint import fingerprint_dataset, fingerprint_mismatch
from .import_files import browser_max_images, import_files, read_input_files
from .run_dataset import HELD_OUT_FRACTION, import_run_dataset
from .split import to_dataset
from .types import Dataset, ImageSet, ImportResult, InputFile, SkippedFile

__all__ = [
    "BatchSampler", "DatasetImportError", "DatasetTooSmallError", "FileFormatError", "fingerprint_dataset",
    "fingerprint_mismatch", "browser_max_images", "import_files", "read_input_files", "HELD_OUT_FRACTION",
    "import_run_dataset", "to_dataset", "Dataset", "ImageSet", "ImportResult", "InputFile", "SkippedFile",
]
