"""Batched view renderer in torch: the op of src/core/ops/renderViews.ts (the CPU reference) plus
normalisation, on any device, with tensor ops only (index gathers, per-tap loops of at most 17
blur taps and 4×4 jitter slots; no per-pixel Python).

Pipeline of view v (view k of batch image m = v mod M; v = k·M + m):
  (a) crop + bilinear resize to S × S, half-pixel centres, samples clamped inside the crop box;
  (b) horizontal flip; (c) colour jitter in the view's order (brightness, contrast with the mean
  luma of the whole view, saturation, hue through torchvision's HSV formulas); (d) grayscale with
  luma 0.299 / 0.587 / 0.114; (e) separable Gaussian blur, radius min(ceil(3σ), 8), reflect
  padding, rows then columns; (f) solarize x ≥ 0.5 → 1 − x; then (x − mean) / std.
Sample positions and bilinear/blur weights are computed in float64, pixels in float32: the result
matches the float64 TS reference within ~1e-6 (tests/torchRandomViews.test.ts requires < 1e-4).

Public API:
    render_views(images, params, out_size, mean=CIFAR10_MEAN, std=CIFAR10_STD) -> torch.float32 [V, 3, S, S]
        images: uint8 [M, H, W, 3] on the device to render on; params: list[ViewParams] (view-major,
        len V = N·M) or their pack_view_params tensor [V, 20]; mean/std: 3 floats (None = no
        normalisation, values in [0, 1]).
    gaussian_weights(sigma: torch.Tensor [B]) -> torch.float64 [B, 17]   (zero beyond the radius)
    CIFAR10_MEAN, CIFAR10_STD, GRAY_WEIGHTS, MAX_BLUR_RADIUS
"""
from __future__ import annotations

from typing import Optional, Sequence, Union

import torch

CIFAR10_MEAN = (0.4914, 0.4822, 0.4465)
CIFAR10_STD = (0.247, 0.243, 0.261)
GRAY_WEIGHTS = (0.299, 0.587, 0.114)
MAX_BLUR_RADIUS = 8
_TAPS = 2 * MAX_BLUR_RADIUS + 1


def _gray(x: torch.Tensor) -> torch.Tensor:
    """Luma [B, 1, S, S] of x [B, 3, S, S]."""
    return GRAY_WEIGHTS[0] * x[:, 0:1] + GRAY_WEIGHTS[1] * x[:, 1:2] + GRAY_WEIGHTS[2] * x[:, 2:3]


def _axis(out_size: int, start: torch.Tensor, length: torch.Tensor, flip: Optional[torch.Tensor]):
    """Bilinear taps along one axis for every view: i0, i1 (int64 [V, S]) and the weight of i1 (float64)."""
    o = torch.arange(out_size, dtype=torch.float64, device=start.device)[None, :]  # [1, S]
    if flip is not None:
        o = torch.where(flip[:, None], out_size - 1 - o, o)
    last = start + length - 1  # [V]
    s = start[:, None] + ((o + 0.5) * length[:, None]) / out_size - 0.5  # [V, S]
    s = torch.minimum(torch.maximum(s, start[:, None]), last[:, None])
    i0 = torch.floor(s)
    i1 = torch.minimum(i0 + 1, last[:, None])
    return i0.long(), i1.long(), s - i0


def _crop_resize_flip(images: torch.Tensor, P: torch.Tensor, S: int) -> torch.Tensor:
    M, H, W, _ = images.shape
    V = P.shape[0]
    y0, y1, wy = _axis(S, P[:, 0], P[:, 2], None)
    x0, x1, wx = _axis(S, P[:, 1], P[:, 3], P[:, 4] != 0)
    flat = images.reshape(M * H * W, 3)
    base = (torch.arange(V, device=images.device) % M) * (H * W)  # [V]

    def at(yi: torch.Tensor, xi: torch.Tensor) -> torch.Tensor:
        idx = base[:, None, None] + yi[:, :, None] * W + xi[:, None, :]  # [V, S, S]
        return flat[idx].to(torch.float32) / 255.0  # [V, S, S, 3]

    wx32 = wx.to(torch.float32)[:, None, :, None]  # [V, 1, S, 1]
    wy32 = wy.to(torch.float32)[:, :, None, None]  # [V, S, 1, 1]
    top = (1 - wx32) * at(y0, x0) + wx32 * at(y0, x1)
    bottom = (1 - wx32) * at(y1, x0) + wx32 * at(y1, x1)
    x = (1 - wy32) * top + wy32 * bottom  # [V, S, S, 3]
    return x.permute(0, 3, 1, 2).contiguous()  # [V, 3, S, S]


def _brightness(x: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
    return (f * x).clamp(0, 1)


def _contrast(x: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
    mean = _gray(x).mean(dim=(1, 2, 3), keepdim=True)  # [B, 1, 1, 1]
    return (f * x + (1 - f) * mean).clamp(0, 1)


def _saturation(x: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
    return (f * x + (1 - f) * _gray(x)).clamp(0, 1)


def _hue(x: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """torchvision _rgb2hsv → (h + shift) mod 1 → _hsv2rgb, as renderViewsColor.ts."""
    r, g, b = x[:, 0], x[:, 1], x[:, 2]  # [B, S, S]
    maxc = torch.maximum(torch.maximum(r, g), b)
    minc = torch.minimum(torch.minimum(r, g), b)
    is_gray = maxc == minc
    cr = maxc - minc
    one = torch.ones_like(maxc)
    s = cr / torch.where(is_gray, one, maxc)
    crd = torch.where(is_gray, one, cr)
    rc, gc, bc = (maxc - r) / crd, (maxc - g) / crd, (maxc - b) / crd
    h = torch.where(maxc == r, bc - gc, torch.where(maxc == g, 2 + rc - bc, 4 + gc - rc))
    h = torch.fmod(h / 6 + 1, 1)
    h = h + shift[:, 0]  # shift [B, 1, 1, 1] → [B, 1, 1]
    h = h - torch.floor(h)
    v = maxc
    i6 = torch.floor(h * 6)
    f = h * 6 - i6
    p = (v * (1 - s)).clamp(0, 1)
    q = (v * (1 - s * f)).clamp(0, 1)
    t = (v * (1 - s * (1 - f))).clamp(0, 1)
    sector = torch.remainder(i6, 6).long()
    choices = torch.stack([
        torch.stack([v, t, p]), torch.stack([q, v, p]), torch.stack([p, v, t]),
        torch.stack([p, q, v]), torch.stack([t, p, v]), torch.stack([v, p, q]),
    ])  # [6, 3, B, S, S]
    out = torch.gather(choices, 0, sector[None, None].expand(1, 3, *sector.shape))[0]  # [3, B, S, S]
    return out.permute(1, 0, 2, 3)


_JITTER_OPS = (_brightness, _contrast, _saturation, _hue)


def _apply_jitter(x: torch.Tensor, P: torch.Tensor) -> torch.Tensor:
    has = P[:, 5] != 0
    for slot in range(4):
        for op in range(4):
            sel = torch.nonzero(has & (P[:, 12 + slot] == op)).flatten()
            if sel.numel() == 0:
                continue
            factor = P[sel, 8 + op].to(torch.float32)[:, None, None, None]  # [B, 1, 1, 1]
            x[sel] = _JITTER_OPS[op](x[sel], factor)
    return x


def _reflect(i: torch.Tensor, n: int) -> torch.Tensor:
    if n == 1:
        return torch.zeros_like(i)
    period = 2 * (n - 1)
    k = torch.remainder(i, period)
    return torch.where(k < n, k, period - k)


def gaussian_weights(sigma: torch.Tensor) -> torch.Tensor:
    """Normalised Gaussian taps for offsets −8 … 8, float64 [B, 17]; zero beyond min(ceil(3σ), 8)."""
    sigma = sigma.to(torch.float64)
    r = torch.clamp(torch.ceil(3 * sigma), max=MAX_BLUR_RADIUS)  # [B]
    i = torch.arange(-MAX_BLUR_RADIUS, MAX_BLUR_RADIUS + 1, dtype=torch.float64, device=sigma.device)
    w = torch.exp(-(i[None] * i[None]) / (2 * sigma[:, None] * sigma[:, None]))
    w = torch.where(i[None].abs() <= r[:, None], w, torch.zeros_like(w))
    return w / w.sum(dim=1, keepdim=True)


def _blur(x: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
    S = x.shape[-1]
    w = gaussian_weights(sigma).to(torch.float32)  # [B, 17]
    offs = torch.arange(S, device=x.device)[:, None] + torch.arange(-MAX_BLUR_RADIUS, MAX_BLUR_RADIUS + 1, device=x.device)[None]
    idx = _reflect(offs, S)  # [S, 17]
    rows = torch.zeros_like(x)
    for k in range(_TAPS):
        rows += w[:, k, None, None, None] * x[:, :, :, idx[:, k]]  # along columns (x)
    out = torch.zeros_like(x)
    for k in range(_TAPS):
        out += w[:, k, None, None, None] * rows[:, :, idx[:, k], :]  # along rows (y)
    return out


def render_views(
    images: torch.Tensor,
    params: Union[Sequence, torch.Tensor],
    out_size: int,
    mean: Optional[Sequence[float]] = CIFAR10_MEAN,
    std: Optional[Sequence[float]] = CIFAR10_STD,
) -> torch.Tensor:
    """Renders the views of a batch: float32 [V, 3, S, S], view-major (see the module docstring)."""
    if images.dtype != torch.uint8 or images.dim() != 4 or images.shape[-1] != 3:
        raise ValueError(f"render_views: images must be uint8 [M, H, W, 3], got {images.dtype} {list(images.shape)}")
    device = images.device
    if isinstance(params, torch.Tensor):
        P = params.to(device=device, dtype=torch.float64)
    else:
        from .views import pack_view_params
        P = pack_view_params(params, device=device)
    M, H, W, _ = images.shape
    V = P.shape[0]
    if M == 0 or V % M != 0:
        raise ValueError(f"render_views: {V} view params is not a multiple of {M} images")
    top, left, h, w = P[:, 0], P[:, 1], P[:, 2], P[:, 3]
    bad = (top < 0) | (left < 0) | (h < 1) | (w < 1) | (top + h > H) | (left + w > W)
    if bool(bad.any()):
        v = int(torch.nonzero(bad)[0])
        raise ValueError(f"render_views: crop box of view {v} leaves the {H}×{W} image")
    x = _crop_resize_flip(images, P, out_size)  # [V, 3, S, S]
    if bool((P[:, 5] != 0).any()):
        x = _apply_jitter(x, P)
    gray_sel = torch.nonzero(P[:, 6] != 0).flatten()
    if gray_sel.numel():
        x[gray_sel] = _gray(x[gray_sel]).expand(-1, 3, -1, -1)
    blur_sel = torch.nonzero(P[:, 16] > 0).flatten()
    if blur_sel.numel():
        x[blur_sel] = _blur(x[blur_sel], P[blur_sel, 16])
    sol = (P[:, 7] != 0)[:, None, None, None]
    x = torch.where(sol & (x >= 0.5), 1 - x, x)
    if mean is not None and std is not None:
        m = torch.tensor(mean, dtype=torch.float32, device=device)[None, :, None, None]
        s = torch.tensor(std, dtype=torch.float32, device=device)[None, :, None, None]
        x = (x - m) / s
    return x
