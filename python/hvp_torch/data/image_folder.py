"""A folder (or zip) of PNG / JPEG / WebP files → uint8 RGB images labelled by class folder
(formats/imageFolder.ts): root/<class>/…/<image>, classes sorted; the root is the longest shared
folder prefix; images directly in the root with no class folders form an unlabelled set; a single
folder two or more levels deep is the one class. Files are recognised by magic bytes and their
header size is checked before decoding; images are decoded one at a time and resized straight
into the output.

Public API: MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS;
            import_image_folder(files, size, max_images, decode=decode_image) -> FormatImport
Must not import: anything outside the package.
"""
from __future__ import annotations

import functools
from typing import Callable, List, Optional

import numpy as np

from .budget import allocate_images
from .decode import decode_image
from .errors import FileFormatError
from .format_import import FormatImport
from .image_sniff import is_decodable, read_image_dims, sniff_image_type
from .paths import dir_parts, extension_of, is_junk_path, natural_compare, normalize_path
from .resize import resize_to_square_rgb
from .types import InputFile, SkippedFile

MAX_IMAGE_SIDE = 8192
MAX_IMAGE_PIXELS = 40_000_000
_IMAGE_EXT = {"png", "jpg", "jpeg", "jpe", "jfif", "webp"}
_ARCHIVE_EXT = {"zip", "gz", "tgz", "tar"}
_LIMIT = f"over the limit of {MAX_IMAGE_SIDE} px a side and {MAX_IMAGE_PIXELS // 1_000_000} megapixels"


def _screen(file: InputFile) -> str:
    """The decodable type, or why the file cannot be an input image."""
    if len(file.data) == 0:
        return "is empty (0 bytes)"
    t = sniff_image_type(file.data)
    ext = extension_of(file.path)
    if t is not None and not is_decodable(t):
        return f"is a {t.upper()} image; only PNG, JPEG and WebP are imported: convert it"
    if t is None:
        if ext in _ARCHIVE_EXT:
            return f"is named .{ext} but is not a {ext} archive (its first bytes are wrong): it is corrupt or renamed; download it again"
        if ext in _IMAGE_EXT:
            return f"is named .{ext} but its bytes are not a PNG, JPEG or WebP image: the file is corrupt or renamed"
        return "is not an image (only PNG, JPEG and WebP files are imported)"
    dims = read_image_dims(file.data, t)
    if dims is None:
        return "is a truncated PNG: its header ends before the image size" if t == "png" else t
    w, h = dims
    if w == 0 or h == 0:
        return f"is corrupt: its header says {w}×{h} pixels"
    if w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w * h > MAX_IMAGE_PIXELS:
        return f"is {w}×{h} pixels, {_LIMIT} (kept to bound memory): shrink it first"
    return t


def _assign_classes(found, skipped: List[SkippedFile], warnings: List[str]):
    if not found:
        return [], None
    dirs = [dir_parts(f.path) for f, _ in found]
    common = dirs[0]
    for d in dirs:
        i = 0
        while i < len(common) and i < len(d) and common[i] == d[i]:
            i += 1
        common = common[:i]
    root_name = common[0] if common else None
    if all(len(d) == len(common) for d in dirs):
        single = common[-1] if len(common) >= 2 else None
        if single is None:
            warnings.append("The images are not in class folders, so they are imported unlabelled (no kNN accuracy). Put each class in its own sub-folder to get labels.")
        return [(f, t, single) for f, t in found], root_name
    out = []
    for (f, t), d in zip(found, dirs):
        if len(d) == len(common):
            where = f'the top folder "{"/".join(common)}"' if common else "the top level"
            skipped.append(SkippedFile(f.path, f"lies directly in {where}, outside the class folders, so it has no label; move it into a class folder"))
        else:
            out.append((f, t, d[len(common)]))
    return out, root_name


def _within_budget(by_class, budget: Optional[int], skipped: List[SkippedFile]):
    total = sum(len(c) for c in by_class)
    if budget is None or budget >= total:
        return by_class
    taken = [0] * len(by_class)
    left = budget
    while left > 0:
        for c in range(len(by_class)):
            if left > 0 and taken[c] < len(by_class[c]):
                taken[c] += 1
                left -= 1
    out = []
    for c, lst in enumerate(by_class):
        dropped = len(lst) - taken[c]
        if dropped > 0:
            folder = lst[0][2]
            where = f' in class folder "{folder}"' if folder else ""
            skipped.append(SkippedFile(folder if folder else lst[taken[c]][0].path, f"{dropped} of {len(lst)} images{where} not imported: the import keeps at most {budget} images (maxImages)"))
        out.append(lst[:taken[c]])
    return out


def import_image_folder(files: List[InputFile], size: int, max_images: Optional[int], decode: Callable[[bytes, str], np.ndarray] = decode_image) -> FormatImport:
    """Image files labelled by class folder → FormatImport; unusable files land in ``skipped``."""
    skipped: List[SkippedFile] = []
    warnings: List[str] = []
    seen = set()
    found = []
    for raw in files:
        f = InputFile(normalize_path(raw.path), raw.data)
        if is_junk_path(f.path):
            continue
        if f.path in seen:
            skipped.append(SkippedFile(f.path, "is a duplicate path: a file with the same path was given earlier; only the first is used"))
            continue
        seen.add(f.path)
        verdict = _screen(f)
        if verdict in ("png", "jpeg", "webp"):
            found.append((f, verdict))
        else:
            skipped.append(SkippedFile(f.path, verdict))
    candidates, root_name = _assign_classes(found, skipped, warnings)
    is_labelled = any(c[2] is not None for c in candidates)
    class_names = sorted({c[2] for c in candidates}, key=lambda s: s.encode("utf-16-be", "surrogatepass")) if is_labelled else []
    by_class = [[c for c in candidates if c[2] == name] for name in class_names] if is_labelled else [candidates]
    by_class = [sorted(lst, key=functools.cmp_to_key(lambda a, b: natural_compare(a[0].path, b[0].path))) for lst in by_class]
    selected = [c for lst in _within_budget(by_class, max_images, skipped) for c in lst]

    images = allocate_images(len(selected), size)
    labels = np.zeros(len(selected), dtype=np.int32) if is_labelled else None
    class_idx = {name: i for i, name in enumerate(class_names)}
    n = 0
    for f, _t, folder in selected:
        try:
            rgba = decode(f.data, f.path)
        except FileFormatError as e:
            skipped.append(SkippedFile(f.path, f"could not be decoded: {e.reason}"))
            continue
        h, w = rgba.shape[:2]
        if w > MAX_IMAGE_SIDE or h > MAX_IMAGE_SIDE or w * h > MAX_IMAGE_PIXELS:
            skipped.append(SkippedFile(f.path, f"is {w}×{h} pixels, {_LIMIT}: shrink it first"))
            continue
        images[n] = resize_to_square_rgb(rgba[None], size)[0]
        if labels is not None:
            labels[n] = class_idx[folder]
        n += 1
    images = images[:n]
    if labels is not None:
        labels = labels[:n]
        counts = np.bincount(labels, minlength=len(class_names))
        empty = [c for i, c in enumerate(class_names) if counts[i] == 0]
        if empty and n > 0:
            s = "s" if len(empty) > 1 else ""
            warnings.append(f"Class folder{s} {', '.join(chr(34) + e + chr(34) for e in empty)} ended up with no usable images")
        if int((counts > 0).sum()) == 1:
            only = class_names[int(np.argmax(counts > 0))]
            warnings.append(f'Only one class ("{only}"): kNN accuracy is meaningless. Add a sub-folder per class.')
    return FormatImport("image-folder", images, labels, class_names, None, skipped, warnings, name=root_name)
