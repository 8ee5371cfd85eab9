"""View parameters: sampling, packing and pair geometry — a port of src/core/data/viewParams.ts,
src/core/data/iou.ts and the pair properties of src/core/train/pairStats.ts.

EXACT, not only same-distribution: driven by ``hvp_torch.random.Rng`` in the documented draw
order of viewParams.ts, the same generator state gives the same parameters as TS (integers equal,
floats bit-identical; tests/torchRandomViews.test.ts checks it for several configs, multi-crop
locals included). The only non-integer library calls are ``math.log``/``math.exp``/``math.sqrt``
in the crop draw, which agree with V8 to the last bit in practice; a 1-ulp disagreement could
only change a crop side when ``sqrt(area·ratio)`` lands exactly on .5, which the test would show.

Draw order of one view (never reorder): crop (≤ 10 attempts of scale, log-ratio; accepted →
top, left), flip, jitter gate [permutation(4), brightness, contrast, saturation, hue], grayscale,
blur gate [sigma], solarize. A batch draws view-major, v = k·M + m (view k of image m).

Public API:
    ViewParams                                   one view (crop box in source pixels, flip, jitter, …)
    AugmentOptions, augment_from_config(config: dict, local: bool = False) -> AugmentOptions
    round_half_even(x: float) -> int
    sample_view_params(rng, aug, src_height, src_width) -> ViewParams
    sample_batch_view_params(rng, aug, num_views, num_images, src_height, src_width) -> list[ViewParams]
    sampled_crop_counts(config: dict) -> tuple[int, int]       (globals, locals) drawn per image per step
    sample_step_views(rng, config, num_images, src_height, src_width) -> (globals, locals)
    pack_view_params(params, device=None) -> torch.float64 [V, 20]   (VIEW_PARAM_OFFSETS layout)
    box_iou(a, b) -> float; center_distance(a, b, H, W) -> float; crop_scale(box, H, W) -> float
    jitter_distance(a, b) -> float
    pair_list(n) -> list[(k, l)]; pair_ious(params, num_views, num_images) -> torch.float32 [M, P]
    pair_center_distances(params, num_views, num_images, H, W) -> torch.float32 [M, P]
    render_views(...)                            re-exported from views_render.py
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, List, Mapping, Optional, Sequence, Tuple

import torch

from .random import Rng
from .views_render import render_views  # noqa: F401  (re-export)

CROP_ATTEMPTS = 10
VIEW_PARAM_STRIDE = 20
VIEW_PARAM_OFFSETS = {
    "top": 0, "left": 1, "height": 2, "width": 3,
    "is_flipped": 4, "has_jitter": 5, "is_grayscale": 6, "is_solarized": 7,
    "brightness": 8, "contrast": 9, "saturation": 10, "hue": 11,
    "jitter_order": 12, "blur_sigma": 16,
}


@dataclass
class ViewParams:
    """Augmentation of one view; crop box (top, left, height, width) in source pixels."""
    top: int
    left: int
    height: int
    width: int
    is_flipped: bool = False
    has_jitter: bool = False
    brightness: float = 1.0
    contrast: float = 1.0
    saturation: float = 1.0
    hue: float = 0.0
    jitter_order: Tuple[int, int, int, int] = (0, 1, 2, 3)
    is_grayscale: bool = False
    blur_sigma: float = 0.0
    is_solarized: bool = False

    def to_ts(self) -> dict:
        """The TS ViewParams object (camelCase keys), e.g. for JSON exchange with tests."""
        return {
            "top": self.top, "left": self.left, "height": self.height, "width": self.width,
            "isFlipped": self.is_flipped, "hasJitter": self.has_jitter, "brightness": self.brightness,
            "contrast": self.contrast, "saturation": self.saturation, "hue": self.hue,
            "jitterOrder": list(self.jitter_order), "isGrayscale": self.is_grayscale,
            "blurSigma": self.blur_sigma, "isSolarized": self.is_solarized,
        }

    @staticmethod
    def from_ts(d: Mapping[str, Any]) -> "ViewParams":
        """From a TS ViewParams object (camelCase keys)."""
        return ViewParams(
            int(d["top"]), int(d["left"]), int(d["height"]), int(d["width"]), bool(d["isFlipped"]),
            bool(d["hasJitter"]), float(d["brightness"]), float(d["contrast"]), float(d["saturation"]),
            float(d["hue"]), tuple(int(x) for x in d["jitterOrder"]), bool(d["isGrayscale"]),
            float(d["blurSigma"]), bool(d["isSolarized"]),
        )


@dataclass
class AugmentOptions:
    """Distribution of one view (viewParams.ts AugmentOptions)."""
    scale_min: float
    scale_max: float
    ratio_min: float = 3 / 4
    ratio_max: float = 4 / 3
    flip_prob: float = 0.5
    jitter_prob: float = 0.8
    brightness: float = 0.4
    contrast: float = 0.4
    saturation: float = 0.4
    hue: float = 0.1
    grayscale_prob: float = 0.2
    blur_prob: float = 0.0
    blur_sigma_min: float = 0.1
    blur_sigma_max: float = 2.0
    solarize_prob: float = 0.0


def _check(name: str, value: float, lo: float, hi: float) -> None:
    if not (lo <= value <= hi):
        raise ValueError(f"Augmentation: {name} must be in [{lo}, {hi}], got {value}")


def augment_from_config(c: Mapping[str, Any], local: bool = False) -> AugmentOptions:
    """Augmentation of a run config dict (the checkpoint record's config); ``local`` uses the local
    crop scale range (multiCropTrainer localAugment). Raises ValueError naming the field."""
    aug = AugmentOptions(
        scale_min=c["localScaleMin" if local else "cropScaleMin"], scale_max=c["localScaleMax" if local else "cropScaleMax"],
        flip_prob=c["flipProb"], jitter_prob=c["jitterProb"], brightness=c["jitterBrightness"],
        contrast=c["jitterContrast"], saturation=c["jitterSaturation"], hue=c["jitterHue"],
        grayscale_prob=c["grayscaleProb"], blur_prob=c["blurProb"], blur_sigma_min=c["blurSigmaMin"],
        blur_sigma_max=c["blurSigmaMax"], solarize_prob=c["solarizeProb"],
    )
    _check("cropScaleMin", aug.scale_min, 5e-324, 1)
    _check("cropScaleMax", aug.scale_max, aug.scale_min, 1)
    for key in ("flipProb", "jitterProb", "grayscaleProb", "blurProb", "solarizeProb"):
        _check(key, c[key], 0, 1)
    for key in ("jitterBrightness", "jitterContrast", "jitterSaturation"):
        _check(key, c[key], 0, math.inf)
    _check("jitterHue", aug.hue, 0, 0.5)
    _check("blurSigmaMin", aug.blur_sigma_min, 0, math.inf)
    _check("blurSigmaMax", aug.blur_sigma_max, aug.blur_sigma_min, math.inf)
    return aug


def round_half_even(x: float) -> int:
    """Python's round() as viewParams.ts roundHalfEven (torchvision's int(round(...)))."""
    f = math.floor(x)
    diff = x - f
    if diff > 0.5:
        return f + 1
    if diff < 0.5:
        return f
    return f if f % 2 == 0 else f + 1


def _sample_crop(rng: Rng, aug: AugmentOptions, H: int, W: int) -> Tuple[int, int, int, int]:
    area = H * W
    log_lo, log_hi = math.log(aug.ratio_min), math.log(aug.ratio_max)
    for _ in range(CROP_ATTEMPTS):
        target_area = area * rng.uniform(aug.scale_min, aug.scale_max)
        aspect = math.exp(rng.uniform(log_lo, log_hi))
        w = round_half_even(math.sqrt(target_area * aspect))
        h = round_half_even(math.sqrt(target_area / aspect))
        if 0 < w <= W and 0 < h <= H:
            top = rng.int_range(0, H - h)
            left = rng.int_range(0, W - w)
            return top, left, h, w
    in_ratio = W / H
    w, h = W, H
    if in_ratio < aug.ratio_min:
        h = round_half_even(w / aug.ratio_min)
    elif in_ratio > aug.ratio_max:
        w = round_half_even(h * aug.ratio_max)
    return (H - h) // 2, (W - w) // 2, h, w


def sample_view_params(rng: Rng, aug: AugmentOptions, src_height: int, src_width: int) -> ViewParams:
    """One view's parameters in the documented draw order. NOTE: advances rng."""
    top, left, h, w = _sample_crop(rng, aug, src_height, src_width)
    p = ViewParams(top, left, h, w)
    p.is_flipped = rng.bernoulli(aug.flip_prob)
    p.has_jitter = rng.bernoulli(aug.jitter_prob)
    if p.has_jitter:
        perm = rng.permutation(4)
        p.jitter_order = (perm[0], perm[1], perm[2], perm[3])
        p.brightness = rng.uniform(max(0, 1 - aug.brightness), 1 + aug.brightness)
        p.contrast = rng.uniform(max(0, 1 - aug.contrast), 1 + aug.contrast)
        p.saturation = rng.uniform(max(0, 1 - aug.saturation), 1 + aug.saturation)
        p.hue = rng.uniform(-aug.hue, aug.hue)
    p.is_grayscale = rng.bernoulli(aug.grayscale_prob)
    p.blur_sigma = rng.uniform(aug.blur_sigma_min, aug.blur_sigma_max) if rng.bernoulli(aug.blur_prob) else 0.0
    p.is_solarized = rng.bernoulli(aug.solarize_prob)
    return p


def sample_batch_view_params(rng: Rng, aug: AugmentOptions, num_views: int, num_images: int, src_height: int, src_width: int) -> List[ViewParams]:
    """num_views·num_images views, view-major (v = k·num_images + m), drawn in that order. NOTE: advances rng."""
    return [sample_view_params(rng, aug, src_height, src_width) for _ in range(num_views * num_images)]


def sampled_crop_counts(config: Mapping[str, Any]) -> Tuple[int, int]:
    """(globals, locals) drawn per image per step: trainer.ts for pair methods (locals 0),
    multiCropTrainer.ts sampledCropCounts for DINO / iBOT."""
    mode, method = config["hvpMode"], config["method"]
    if method not in ("dino", "ibot"):
        return (2 if mode == "off" else config["numViews"]), 0
    if mode == "off":
        return 2, config["numLocalViews"]
    if method == "ibot":
        return config["numViews"], config["numLocalViews"]
    return config["numViews"], (config["numViews"] // 2) * config["numLocalViews"]


def sample_step_views(rng: Rng, config: Mapping[str, Any], num_images: int, src_height: int, src_width: int) -> Tuple[List[ViewParams], List[ViewParams]]:
    """The view draws of one training step from the run's view stream, as the trainer makes them:
    the globals (config crop scale), then the locals (local crop scale), each view-major.
    NOTE: advances rng."""
    g, l = sampled_crop_counts(config)
    globals_ = sample_batch_view_params(rng, augment_from_config(config), g, num_images, src_height, src_width)
    locals_ = sample_batch_view_params(rng, augment_from_config(config, local=True), l, num_images, src_height, src_width) if l > 0 else []
    return globals_, locals_


def pack_view_params(params: Sequence[ViewParams], device: Optional[torch.device] = None) -> torch.Tensor:
    """[V, 20] float64 in the packViewParams layout (kept in float64: no float32 rounding of factors)."""
    O = VIEW_PARAM_OFFSETS
    rows = []
    for p in params:
        r = [0.0] * VIEW_PARAM_STRIDE
        r[O["top"]], r[O["left"]], r[O["height"]], r[O["width"]] = p.top, p.left, p.height, p.width
        r[O["is_flipped"]], r[O["has_jitter"]] = float(p.is_flipped), float(p.has_jitter)
        r[O["is_grayscale"]], r[O["is_solarized"]] = float(p.is_grayscale), float(p.is_solarized)
        r[O["brightness"]], r[O["contrast"]], r[O["saturation"]], r[O["hue"]] = p.brightness, p.contrast, p.saturation, p.hue
        r[O["jitter_order"]:O["jitter_order"] + 4] = list(p.jitter_order)
        r[O["blur_sigma"]] = p.blur_sigma
        rows.append(r)
    return torch.tensor(rows, dtype=torch.float64, device=device).reshape(len(rows), VIEW_PARAM_STRIDE)


# ---- pair geometry (iou.ts, pairStats.ts) ----

def pair_list(n: int) -> List[Tuple[int, int]]:
    """Unordered view pairs (k, l), k < l, in itertools.combinations order (train/pairs.ts)."""
    return [(k, l) for k in range(n) for l in range(k + 1, n)]


def box_iou(a: ViewParams, b: ViewParams) -> float:
    """IoU of two crop boxes (rows [top, top+height) × columns [left, left+width))."""
    inter_h = max(0, min(a.top + a.height, b.top + b.height) - max(a.top, b.top))
    inter_w = max(0, min(a.left + a.width, b.left + b.width) - max(a.left, b.left))
    inter = inter_h * inter_w
    return inter / (a.height * a.width + b.height * b.width - inter)


def center_distance(a: ViewParams, b: ViewParams, src_height: int, src_width: int) -> float:
    """Distance of the crop centres, rows / H and columns / W."""
    dy = (a.top + a.height / 2 - (b.top + b.height / 2)) / src_height
    dx = (a.left + a.width / 2 - (b.left + b.width / 2)) / src_width
    return math.sqrt(dy * dy + dx * dx)


def crop_scale(box: ViewParams, src_height: int, src_width: int) -> float:
    """Crop area / source area, in (0, 1]."""
    return (box.height * box.width) / (src_height * src_width)


def jitter_distance(a: ViewParams, b: ViewParams) -> float:
    """L2 distance of (brightness, contrast, saturation, hue) vectors, hue taken around the circle."""
    db, dc, ds = a.brightness - b.brightness, a.contrast - b.contrast, a.saturation - b.saturation
    turn = math.fmod(abs(a.hue - b.hue), 1)
    dh = min(turn, 1 - turn)
    return math.sqrt(db * db + dc * dc + ds * ds + dh * dh)


def _per_pair(params: Sequence[ViewParams], num_views: int, num_images: int, fn) -> torch.Tensor:
    if len(params) != num_views * num_images:
        raise ValueError(f"Expected {num_views} × {num_images} = {num_views * num_images} view params, got {len(params)}")
    pairs = pair_list(num_views)
    out = [[fn(params[k * num_images + m], params[l * num_images + m]) for (k, l) in pairs] for m in range(num_images)]
    return torch.tensor(out, dtype=torch.float32).reshape(num_images, len(pairs))  # [M, P]


def pair_ious(params: Sequence[ViewParams], num_views: int, num_images: int) -> torch.Tensor:
    """IoU of every pair of every image, float32 [M, P] (pairIous)."""
    return _per_pair(params, num_views, num_images, box_iou)


def pair_center_distances(params: Sequence[ViewParams], num_views: int, num_images: int, src_height: int, src_width: int) -> torch.Tensor:
    """Centre distance of every pair of every image, float32 [M, P] (pairCenterDistances)."""
    return _per_pair(params, num_views, num_images, lambda a, b: center_distance(a, b, src_height, src_width))
