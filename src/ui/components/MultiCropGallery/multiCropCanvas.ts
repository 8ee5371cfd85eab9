/**
 * Canvas drawing of the multi-crop gallery: one RGB view onto a canvas, and the upscaled source
 * image with every global and local crop box — globals solid, locals dashed and thinner, the
 * chosen combination's boxes thick, each with a halo (dark, or light around dark colours) — each
 * labelled with its view name.
 * Must not import: zustand, recharts, tfjs.
 */
import { placeLabels, rgbToRgba } from '../Gallery/galleryMath';
import { isDarkColor } from './cropColors';
import type { CropView } from './multiCropView';

/** Source canvas size in CSS px; the source is scaled by an integer factor to about this. */
const SOURCE_PX = 176;
const LABEL_W = 18;
const LABEL_H = 12;

/** Draws `size`×`size` RGB pixels starting at `pixelOffset` onto `canvas` (resized to fit). */
export function drawRgb(canvas: HTMLCanvasElement, rgb: Uint8Array, pixelOffset: number, size: number): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgbToRgba(rgb, pixelOffset, size * size), size, size), 0, 0);
}

/** Draws the source (uint8 RGB, `size`×`size`) scaled up, with the crop boxes of `views`. */
export function drawMultiCropSource(canvas: HTMLCanvasElement, source: Uint8Array, size: number, views: readonly CropView[]): void {
  const scale = Math.max(1, Math.floor(SOURCE_PX / size));
  const small = document.createElement('canvas');
  drawRgb(small, source, 0, size);
  canvas.width = size * scale;
  canvas.height = size * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, size * scale, size * scale);
  // Unchosen first, so the chosen boxes are drawn on top.
  const order = [...views].sort((a, b) => Number(a.isChosen) - Number(b.isChosen));
  for (const v of order) {
    const b = v.params;
    const w = v.isChosen ? 3 : v.kind === 'global' ? 1.5 : 1;
    const x = b.left * scale + w / 2;
    const y = b.top * scale + w / 2;
    ctx.setLineDash(v.kind === 'local' && !v.isChosen ? [3, 3] : v.kind === 'global' && !v.isChosen ? [6, 3] : []);
    ctx.lineWidth = w + 2; // a contrasting halo keeps the box visible on pixels of its own lightness
    ctx.strokeStyle = isDarkColor(v.color) ? 'rgba(255,255,255,0.7)' : 'rgba(0,0,0,0.55)';
    ctx.strokeRect(x, y, b.width * scale - w, b.height * scale - w);
    ctx.lineWidth = w;
    ctx.strokeStyle = v.color;
    ctx.strokeRect(x, y, b.width * scale - w, b.height * scale - w);
  }
  ctx.setLineDash([]);
  ctx.font = 'bold 9px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  placeLabels(views.map((v) => v.params), scale, LABEL_W, LABEL_H).forEach((spot, i) => {
    const v = views[i]!;
    ctx.fillStyle = v.color;
    ctx.fillRect(spot.x, spot.y, LABEL_W, LABEL_H);
    ctx.fillStyle = isDarkColor(v.color) ? '#fff' : '#000';
    ctx.fillText(v.name, spot.x + 2, spot.y + 2);
  });
}
