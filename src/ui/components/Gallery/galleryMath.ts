/**
 * Pure helpers of the view gallery: the view colour palette, RGB → RGBA conversion for canvas
 * ImageData, the N×N pair matrix of a probe image, the heatmap colour scale, crop-label placement
 * and a short description of a view's augmentation. No DOM, so all of it is unit-tested in Node.
 * Must not import: React, zustand, recharts, tfjs.
 */
import type { ViewParams } from '../../../core/data/types';
import type { ProbeImage } from '../../../core/train/metrics';
import { viewPairIdx } from '../../store/viewPairs';

/** One distinct colour per view (Okabe–Ito, colour-blind safe), up to the schema's N ≤ 8. */
export const VIEW_COLORS: readonly string[] = [
  '#e69f00', '#56b4e9', '#009e73', '#f0e442', '#0072b2', '#d55e00', '#cc79a7', '#ffffff',
];

/** Colour of view `k` (wraps around past the palette). */
export function viewColor(k: number): string {
  return VIEW_COLORS[k % VIEW_COLORS.length]!;
}

/** Display name of view `k` (1-based, as people count). */
export function viewName(k: number): string {
  return `v${k + 1}`;
}

/** Copies `numPixels` RGB pixels starting at pixel `pixelOffset` into a new opaque RGBA buffer. */
export function rgbToRgba(rgb: Uint8Array, pixelOffset: number, numPixels: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(numPixels * 4);
  const base = pixelOffset * 3;
  if (base + numPixels * 3 > rgb.length) {
    throw new RangeError(`Image data too short: need ${base + numPixels * 3} bytes, have ${rgb.length}`);
  }
  for (let p = 0; p < numPixels; p++) {
    out[p * 4] = rgb[base + p * 3]!;
    out[p * 4 + 1] = rgb[base + p * 3 + 1]!;
    out[p * 4 + 2] = rgb[base + p * 3 + 2]!;
    out[p * 4 + 3] = 255;
  }
  return out;
}

/** One cell of the pair matrix (off-diagonal; the matrix is symmetric). */
export interface PairCell {
  k: number;
  l: number;
  loss: number;
  iou: number;
  isSelected: boolean;
  isLowestIou: boolean;
  /** Loss scaled to [0, 1] within this image's pairs (1 = hardest). */
  heat: number;
}

/** The N×N matrix of a probe image: `cells[k][l]` for k ≠ l, null on the diagonal and for pairs
 * without a loss (NaN: a multi-crop method's global pair that no candidate combination uses). */
export function pairMatrix(image: ProbeImage, numViews: number): Array<Array<PairCell | null>> {
  const losses = image.pairLosses;
  const finite = losses.filter(Number.isFinite);
  const lo = finite.length > 0 ? Math.min(...finite) : 0;
  const hi = finite.length > 0 ? Math.max(...finite) : 0;
  const minIou = Math.min(...image.pairIous);
  const [sk, sl] = image.selectedPair;
  const rows: Array<Array<PairCell | null>> = [];
  for (let k = 0; k < numViews; k++) {
    const row: Array<PairCell | null> = [];
    for (let l = 0; l < numViews; l++) {
      if (k === l) {
        row.push(null);
        continue;
      }
      const p = viewPairIdx(k, l, numViews);
      const loss = losses[p]!;
      if (!Number.isFinite(loss)) {
        row.push(null);
        continue;
      }
      const iou = image.pairIous[p]!;
      row.push({
        k, l, loss, iou,
        isSelected: (k === sk && l === sl) || (k === sl && l === sk),
        isLowestIou: iou === minIou,
        heat: hi > lo ? (loss - lo) / (hi - lo) : 0.5,
      });
    }
    rows.push(row);
  }
  return rows;
}

/** Heatmap fill for `t` in [0, 1]: pale for easy pairs, deep red for the hardest. */
export function heatColor(t: number): string {
  const u = Math.min(1, Math.max(0, t));
  const from = [247, 244, 238];
  const to = [192, 40, 20];
  const c = from.map((f, i) => Math.round(f + (to[i]! - f) * u));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

/** Whether text on `heatColor(t)` should be white. */
export function isDarkHeat(t: number): boolean {
  return t > 0.55;
}

/** A label's top-left corner on the scaled source canvas. */
export interface LabelSpot {
  x: number;
  y: number;
}

/** Places one label per crop box at the box's top-left corner (scaled by `scale`), moving a
 * label down until it no longer overlaps an earlier one, so labels of boxes sharing a corner
 * stay readable. */
export function placeLabels(boxes: readonly ViewParams[], scale: number, labelW: number, labelH: number): LabelSpot[] {
  const placed: LabelSpot[] = [];
  for (const b of boxes) {
    const x = b.left * scale;
    let y = b.top * scale;
    while (placed.some((q) => x < q.x + labelW && q.x < x + labelW && y < q.y + labelH && q.y < y + labelH)) y += labelH;
    placed.push({ x, y });
  }
  return placed;
}

/** Short tags for a view's augmentation (crop is shown by its box) and a full description. */
export function describeView(v: ViewParams): { tags: string[]; title: string } {
  const tags: string[] = [];
  const parts = [`crop top ${v.top}, left ${v.left}, ${v.width}×${v.height} px`];
  if (v.isFlipped) { tags.push('flip'); parts.push('flipped'); }
  if (v.hasJitter) {
    tags.push('jitter');
    parts.push(`jitter b ${v.brightness.toFixed(2)} c ${v.contrast.toFixed(2)} s ${v.saturation.toFixed(2)} h ${v.hue.toFixed(3)}`);
  }
  if (v.isGrayscale) { tags.push('gray'); parts.push('grayscale'); }
  if (v.blurSigma > 0) { tags.push('blur'); parts.push(`blur σ ${v.blurSigma.toFixed(2)}`); }
  if (v.isSolarized) { tags.push('solar'); parts.push('solarized'); }
  return { tags, title: parts.join(' · ') };
}
