/**
 * ProbeCard: one probe image of the gallery — the source scaled up (nearest neighbour) with every
 * view's crop box drawn in its colour and labelled, the N rendered views (the selected pair
 * highlighted with a thick border and a "selected" badge), and the pair-loss matrix.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef } from 'react';
import type { ViewParams } from '../../../core/data/types';
import type { ProbeImage } from '../../../core/train/metrics';
import { describeView, placeLabels, rgbToRgba, viewColor, viewName } from '../Gallery/galleryMath';
import { cropColor } from '../MultiCropGallery/cropColors';
import { viewPairIdx } from '../../store/viewPairs';
import { PairMatrix } from '../PairMatrix/PairMatrix';
import styles from './ProbeCard.module.css';

/** Source canvas size in CSS px; the source is scaled by an integer factor to about this. */
const SOURCE_PX = 176;
const LABEL_W = 20;
const LABEL_H = 13;

/** Props of ProbeCard. */
export interface ProbeCardProps {
  image: ProbeImage;
  numViews: number;
}

/** Draws `size`×`size` RGB pixels starting at `pixelOffset` onto a canvas of the same size. */
function putRgb(canvas: HTMLCanvasElement, rgb: Uint8Array, pixelOffset: number, size: number): void {
  canvas.width = size;
  canvas.height = size;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgbToRgba(rgb, pixelOffset, size * size), size, size), 0, 0);
}

/** Draws the upscaled source and the crop boxes (selected pair thicker). Also used by ExplainPanel. */
export function drawSource(canvas: HTMLCanvasElement, image: ProbeImage): void {
  const size = image.sourceSize;
  const scale = Math.max(1, Math.floor(SOURCE_PX / size));
  const small = document.createElement('canvas');
  putRgb(small, image.source, 0, size);
  canvas.width = size * scale;
  canvas.height = size * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(small, 0, 0, size * scale, size * scale);
  const [sk, sl] = image.selectedPair;
  const boxes: ViewParams[] = image.params;
  boxes.forEach((b, k) => {
    const isSel = k === sk || k === sl;
    const w = isSel ? 3 : 1.5;
    const x = b.left * scale + w / 2;
    const y = b.top * scale + w / 2;
    ctx.lineWidth = w + 2; // dark halo keeps light colours visible on light pixels
    ctx.strokeStyle = 'rgba(0,0,0,0.55)';
    ctx.setLineDash(isSel ? [] : [5, 3]);
    ctx.strokeRect(x, y, b.width * scale - w, b.height * scale - w);
    ctx.lineWidth = w;
    ctx.strokeStyle = viewColor(k);
    ctx.strokeRect(x, y, b.width * scale - w, b.height * scale - w);
  });
  ctx.setLineDash([]);
  ctx.font = `bold 10px system-ui, sans-serif`;
  ctx.textBaseline = 'top';
  placeLabels(boxes, scale, LABEL_W, LABEL_H).forEach((spot, k) => {
    ctx.fillStyle = viewColor(k);
    ctx.fillRect(spot.x, spot.y, LABEL_W, LABEL_H);
    ctx.fillStyle = '#000';
    ctx.fillText(viewName(k), spot.x + 3, spot.y + 2);
  });
}

/** One rendered view with its caption (selected: thick border + badge). Also used by ExplainPanel. */
export function ViewTile({ image, k, isSelected }: { image: ProbeImage; k: number; isSelected: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const s = image.viewSize;
  useEffect(() => {
    if (ref.current) putRgb(ref.current, image.views, k * s * s, s);
  }, [image, k, s]);
  const { tags, title } = describeView(image.params[k]!);
  return (
    <figure
      className={`${styles.view} ${isSelected ? styles.selectedView : ''}`}
      data-testid="gallery-view"
      data-selected={isSelected ? 'true' : undefined}
      style={{ borderColor: isSelected ? undefined : cropColor(k) }}
      title={title}
    >
      <canvas ref={ref} className={styles.pixels} width={s} height={s} aria-label={`${viewName(k)}: ${title}`} />
      <figcaption className={styles.viewCaption}>
        <span className={styles.swatch} style={{ background: cropColor(k) }} />
        {viewName(k)}
        {tags.length > 0 ? <span className={styles.tags}> {tags.join(' ')}</span> : null}
      </figcaption>
      {isSelected ? <span className={styles.badge}>selected</span> : null}
    </figure>
  );
}

/** One probe image with its views and pair matrix. */
export function ProbeCard({ image, numViews }: ProbeCardProps) {
  const sourceRef = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (sourceRef.current) drawSource(sourceRef.current, image);
  }, [image]);
  const [sk, sl] = image.selectedPair;
  const p = viewPairIdx(sk, sl, numViews);
  const minIou = Math.min(...image.pairIous);

  return (
    <article className={styles.card} data-testid="gallery-probe" data-image-idx={image.imageIdx}>
      <div className={styles.sourceCol}>
        <canvas ref={sourceRef} className={styles.source} aria-label={`Held-out image ${image.imageIdx} with the crop boxes of its ${numViews} views`} />
        <p className={styles.meta}>image #{image.imageIdx} · {image.className ? `${image.className} (class ${image.label})` : image.label >= 0 ? `class ${image.label}` : 'unlabelled'}</p>
      </div>
      <div className={styles.mid}>
        <div className={styles.views}>
          {Array.from({ length: numViews }, (_, k) => (
            <ViewTile key={k} image={image} k={k} isSelected={k === sk || k === sl} />
          ))}
        </div>
        <p className={styles.summary}>
          Selected {viewName(sk)}–{viewName(sl)}: loss <b>{image.pairLosses[p]!.toFixed(3)}</b>, IoU <b>{image.pairIous[p]!.toFixed(2)}</b>
          {image.pairIous[p] === minIou ? ' — the lowest-overlap pair ◆' : ` (lowest IoU of this image: ${minIou.toFixed(2)} ◆)`}
        </p>
      </div>
      <PairMatrix image={image} numViews={numViews} />
    </article>
  );
}
