/**
 * Chart → PNG: serialises the chart's SVG, draws it on a canvas at 2× (white background, the
 * panel title above, the legend entries below, since recharts renders its legend as HTML) and
 * encodes the canvas as PNG.
 * Must not import: React, zustand, recharts, tfjs.
 */

/** Pixel ratio of the exported image. */
export const PNG_SCALE = 2;

const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const TITLE_FONT = '600 14px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const TITLE_H = 24;
const LEGEND_H = 20;

/** One legend entry read from the chart's HTML legend. */
interface LegendEntry {
  label: string;
  color: string;
}

/** Renders the chart inside `container` (its largest `svg`; legend icons are small svgs too)
 * to a PNG Blob with `title` above it. Rejects with a message saying what was missing. */
export async function chartToPng(container: HTMLElement, title: string): Promise<Blob> {
  const svg = largestSvg(container);
  if (!svg) throw new Error(`The "${title}" panel has no chart to export yet; wait for the first data points.`);
  const rect = svg.getBoundingClientRect();
  const width = Math.round(rect.width);
  const height = Math.round(rect.height);
  if (width < 1 || height < 1) throw new Error(`The "${title}" chart is not visible (size ${width}×${height}); scroll it into view and try again.`);

  const image = await loadImage(svgDataUrl(svg, width, height));
  const legend = readLegend(container);
  const canvas = document.createElement('canvas');
  const totalH = TITLE_H + height + (legend.length > 0 ? LEGEND_H : 0);
  canvas.width = width * PNG_SCALE;
  canvas.height = totalH * PNG_SCALE;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw on a canvas, so the chart cannot be saved as PNG.');
  ctx.scale(PNG_SCALE, PNG_SCALE);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, totalH);
  ctx.fillStyle = '#1d2430';
  ctx.font = TITLE_FONT;
  ctx.textBaseline = 'middle';
  ctx.fillText(title, 8, TITLE_H / 2);
  ctx.drawImage(image, 0, TITLE_H, width, height);
  drawLegend(ctx, legend, TITLE_H + height + LEGEND_H / 2);
  return canvasToPng(canvas);
}

/** The svg in `container` with the largest on-screen area, or null when it has none. */
function largestSvg(container: HTMLElement): SVGSVGElement | null {
  let best: SVGSVGElement | null = null;
  let bestArea = -1;
  for (const svg of Array.from(container.querySelectorAll<SVGSVGElement>('svg'))) {
    const r = svg.getBoundingClientRect();
    if (r.width * r.height > bestArea) {
      best = svg;
      bestArea = r.width * r.height;
    }
  }
  return best;
}

/** A standalone copy of `svg` as a data URL: explicit size, namespace, font, white background. */
function svgDataUrl(svg: SVGSVGElement, width: number, height: number): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('style', `font: ${FONT}; background: #ffffff`);
  const text = new XMLSerializer().serializeToString(clone);
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
}

function loadImage(src: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('The browser could not render the chart’s SVG as an image.'));
    img.src = src;
  });
}

function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the chart as PNG.'))), 'image/png');
  });
}

/** Legend entries of a recharts legend (`.recharts-legend-item`), label and line colour. */
function readLegend(container: HTMLElement): LegendEntry[] {
  return Array.from(container.querySelectorAll<HTMLElement>('.recharts-legend-item')).map((item) => {
    const mark = item.querySelector('path, line');
    const color = mark?.getAttribute('stroke') ?? mark?.getAttribute('fill') ?? '#5a6472';
    return { label: item.textContent?.trim() ?? '', color };
  });
}

function drawLegend(ctx: CanvasRenderingContext2D, entries: readonly LegendEntry[], y: number): void {
  ctx.font = FONT;
  ctx.textBaseline = 'middle';
  let x = 12;
  for (const e of entries) {
    ctx.strokeStyle = e.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(x, y);
    ctx.lineTo(x + 14, y);
    ctx.stroke();
    ctx.fillStyle = '#1d2430';
    ctx.fillText(e.label, x + 18, y);
    x += 18 + ctx.measureText(e.label).width + 16;
  }
}
