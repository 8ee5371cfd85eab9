"""Image decoding for the importers, standing in for the browser's createImageBitmap and Node's
pngjs / jpeg-js decoders: PIL (Debian's python3-pil, which torchvision uses) → RGBA uint8.

Parity: PNG (8-bit and lower depths, palette, gray, alpha) decodes to the same bytes as pngjs;
16-bit gray is scaled as pngjs (round(v·255/65535)); 16-bit RGB(A) keeps PIL's top byte and may
differ by one level from pngjs. JPEG goes through libjpeg, which is not bit-identical to jpeg-js or
the browser's decoder (a few levels apart), so a JPEG set's fingerprint differs across them. WebP
decodes here (libwebp, as the browser), while Node refuses it.

Public API: decode_image(data: bytes, path: str) -> np.uint8 [H, W, 4] (raises FileFormatError)
Must not import: torch.
"""
from __future__ import annotations

import io

import numpy as np

from .errors import FileFormatError
from .image_sniff import sniff_image_type

_KIND = {"png": "PNG", "jpeg": "JPEG", "webp": "WebP"}


def decode_image(data: bytes, path: str) -> np.ndarray:
    t = sniff_image_type(data)
    if t not in _KIND:
        what = f"a {t.upper()} image" if t else "not an image"
        raise FileFormatError(path, f"is {what}; only PNG, JPEG and WebP decode")
    try:
        from PIL import Image

        with Image.open(io.BytesIO(bytes(data))) as im:
            im.load()
            if im.mode in ("I;16", "I;16B", "I;16L", "I"):
                v = np.asarray(im, dtype=np.float64)
                g = np.clip(np.floor(v * 255 / 65535 + 0.5), 0, 255).astype(np.uint8)
                rgba = np.stack([g, g, g, np.full_like(g, 255)], axis=-1)
            else:
                rgba = np.asarray(im.convert("RGBA"), dtype=np.uint8)
    except FileFormatError:
        raise
    except Exception as e:  # noqa: BLE001 — any decoder failure is a per-file skip
        raise FileFormatError(path, f"is a corrupt or unsupported {_KIND[t]} ({e})") from None
    return np.ascontiguousarray(rgba)
