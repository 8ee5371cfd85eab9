"""Entry point of the importers (formats/importFiles.ts + the browser's file reading): takes paths
or named byte files, unpacks archives, picks the importer (CIFAR, then IDX, then images) and
names the dataset as the browser does (pickName). Unusable files are listed in ``skipped`` with
the same reasons as TS; when nothing usable remains a DatasetImportError names them.

Public API:
    MAX_IMPORT_SIZE, MAX_FILE_BYTES, MAX_TOTAL_INPUT_BYTES, MAX_DATASET_BYTES
    browser_max_images(size) -> int          the browser's image budget for an image size
    read_input_files(paths) -> (files: list[InputFile], skipped)   files and folders from disk, as the
        browser sees them: a file by its name, a folder's files as "folder/sub/name", depth first with
        entries sorted by name (the order only matters for the order of skipped files); sizes checked
        before reading (1 GiB a file, 1.5 GiB in all, as the dataset worker)
    import_files(files, size, max_images=None, on_progress=None) -> ImportResult
Must not import: anything outside the package.
"""
from __future__ import annotations

import os
import re
from typing import Callable, List, Optional, Sequence, Tuple

import torch

from .archives import expand_archives
from .cifar import import_cifar, is_cifar_file
from .errors import DatasetImportError
from .format_import import FormatImport
from .idx import import_idx, is_idx_bytes, is_idx_name
from .image_folder import import_image_folder
from .image_sniff import sniff_image_type
from .paths import format_bytes, is_junk_path, normalize_path, strip_archive_extension
from .types import ImageSet, ImportResult, InputFile, SkippedFile

MAX_IMPORT_SIZE = 1024
MAX_DATASET_BYTES = 256 * 1024 * 1024
MAX_FILE_BYTES = 1024 * 1024 * 1024
MAX_TOTAL_INPUT_BYTES = 1536 * 1024 * 1024
_MESSAGE_LISTED = 6
_ARCHIVE_NAME = re.compile(r"\.(tar\.gz|tgz|tar|zip|gz)$", re.I)

Progress = Callable[[str, float], None]


def browser_max_images(size: int) -> int:
    """The dataset worker's budget: floor(256 MiB / (size² · 3))."""
    return MAX_DATASET_BYTES // (size * size * 3)


def read_input_files(paths: Sequence[str]) -> Tuple[List[InputFile], List[SkippedFile]]:
    """Reads files and folders (walked in sorted order) with their sizes checked before reading."""
    entries: List[Tuple[str, str]] = []  # (path as the browser names it, path on disk)
    for p in paths:
        p = os.path.abspath(p)
        if os.path.isdir(p):
            top = os.path.basename(p.rstrip(os.sep))

            def walk(d: str, top: str = top, p: str = p) -> None:
                for e in sorted(os.scandir(d), key=lambda e: e.name):  # depth first, entries by name
                    if e.is_dir():
                        walk(e.path)
                    elif e.is_file():
                        entries.append((normalize_path(f"{top}/{os.path.relpath(e.path, p)}"), e.path))

            walk(p)
        elif os.path.isfile(p):
            entries.append((os.path.basename(p), p))
        else:
            raise DatasetImportError(f"{p} does not exist: give dataset files (.tar.gz, .zip, .bin, IDX) or a folder of images.")
    sizes = [os.path.getsize(full) for _, full in entries]
    total = sum(sizes)
    if total > MAX_TOTAL_INPUT_BYTES:
        raise DatasetImportError(f"The {len(entries)} files add up to {format_bytes(total)}; at most {format_bytes(MAX_TOTAL_INPUT_BYTES)} can be read at once. Import a part of them (e.g. the training batches only).")
    files: List[InputFile] = []
    skipped: List[SkippedFile] = []
    for (name, full), size in zip(entries, sizes):
        if size > MAX_FILE_BYTES:
            skipped.append(SkippedFile(name, f"is {format_bytes(size)}; files over {format_bytes(MAX_FILE_BYTES)} are not read."))
            continue
        try:
            with open(full, "rb") as fh:
                files.append(InputFile(name, fh.read()))
        except OSError as e:
            skipped.append(SkippedFile(name, f"could not be read ({e}); was it moved or deleted after it was chosen?"))
    return files, skipped


def _kinds_present(files: List[InputFile]) -> List[str]:
    kinds = []
    if any(f.path.lower().endswith(".bin") for f in files):
        kinds.append("cifar")
    if any(is_idx_bytes(f.data) or is_idx_name(f.path) for f in files):
        kinds.append("idx")
    if not kinds or any(sniff_image_type(f.data) is not None for f in files):
        kinds.append("images")
    return kinds


def _pick_name(inputs: List[InputFile], imported: FormatImport) -> str:
    if len(inputs) == 1 and _ARCHIVE_NAME.search(inputs[0].path):
        return strip_archive_extension(inputs[0].path)
    if imported.name:
        return imported.name
    paths = [normalize_path(f.path) for f in inputs]
    tops = {p.split("/")[0] for p in paths}
    if len(tops) == 1 and all("/" in p for p in paths):
        return next(iter(tops))
    if imported.format == "idx" and imported.class_names[:1] == ["T-shirt/top"]:
        return "Fashion-MNIST"
    return {"cifar10": "CIFAR-10", "cifar100": "CIFAR-100", "idx": "MNIST", "image-folder": "images"}[imported.format]


def _nothing_usable(inputs: List[InputFile], all_skipped: List[SkippedFile]) -> DatasetImportError:
    if not inputs:
        return DatasetImportError("No files were given: choose a dataset archive (.tar.gz, .zip), CIFAR .bin batches, MNIST IDX files or a folder of images.")
    seen = set()
    skipped = [s for s in all_skipped if not (s.path in seen or seen.add(s.path))]
    given = inputs[0].path if len(inputs) == 1 else f"{len(inputs)} files"
    listed = [f"{s.path}: {s.reason}" for s in skipped[:_MESSAGE_LISTED]]
    more = f"\n(and {len(skipped) - _MESSAGE_LISTED} more)" if len(skipped) > _MESSAGE_LISTED else ""
    why = ("\n" + "\n".join(listed) + more) if listed else "\nIt holds no files."
    return DatasetImportError(
        f"No usable images in {given}. Expected CIFAR-10/100 binary batches, MNIST-style IDX files or PNG/JPEG/WebP images (in class folders for labels).{why}",
        skipped,
    )


def import_files(files: List[InputFile], size: int, max_images: Optional[int] = None, on_progress: Optional[Progress] = None) -> ImportResult:
    """Imports a dataset from named byte files (see the module docstring); images torch.uint8 [n, size, size, 3]."""
    if not (isinstance(size, int) and 1 <= size <= MAX_IMPORT_SIZE):
        raise ValueError(f"Image size must be a whole number from 1 to {MAX_IMPORT_SIZE}, got {size}")
    if max_images is not None and not (isinstance(max_images, int) and max_images >= 1):
        raise ValueError(f"maxImages must be a whole number ≥ 1, got {max_images}")
    if not files:
        raise _nothing_usable(files, [])
    tell = on_progress or (lambda _s, _f: None)
    unpacked: List[InputFile] = []
    skipped: List[SkippedFile] = []
    for i, f in enumerate(files):
        ex_files, ex_skipped, _ = expand_archives([f], lambda p: tell(f"Unpacking {p}", 0.15 * i / len(files)))
        unpacked.extend(ex_files)
        skipped.extend(ex_skipped)
    usable = [f for f in unpacked if not is_junk_path(f.path)]
    input_name = strip_archive_extension(files[0].path) if len(files) == 1 else ""
    tell("Reading images", 0.15)

    imported: Optional[FormatImport] = None
    tried: List[SkippedFile] = []
    what_of = {"image-folder": "images", "idx": "IDX", "cifar10": "CIFAR-10", "cifar100": "CIFAR-100"}
    for kind in _kinds_present(usable):
        if kind == "cifar":
            ignored = [f for f in usable if not is_cifar_file(f.path)]
            imported = import_cifar([f for f in usable if is_cifar_file(f.path)], size, max_images)
        elif kind == "idx":
            is_idx = lambda f: is_idx_bytes(f.data) or is_idx_name(f.path)  # noqa: E731
            ignored = [f for f in usable if not is_idx(f)]
            imported = import_idx([f for f in usable if is_idx(f)], size, max_images, input_name)
        else:
            ignored = []
            imported = import_image_folder(usable, size, max_images)
        tried.extend(imported.skipped)
        if imported.num_images > 0:
            what = what_of[imported.format]
            tried = list(imported.skipped) + [SkippedFile(f.path, f"ignored: not part of the {what} data this import found") for f in ignored]
            break
    all_skipped = skipped + tried
    if imported is None or imported.num_images == 0:
        raise _nothing_usable(files, all_skipped)
    tell("Done", 1.0)
    labels = torch.from_numpy(imported.labels.astype("int32")) if imported.labels is not None else None
    return ImportResult(
        name=_pick_name(files, imported),
        format=imported.format,
        set=ImageSet(torch.from_numpy(imported.images), labels),
        class_names=list(imported.class_names),
        is_source_test=torch.from_numpy(imported.is_source_test) if imported.is_source_test is not None else None,
        skipped=all_skipped,
        warnings=list(imported.warnings),
    )
