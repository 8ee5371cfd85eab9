/**
 * CropTile: one rendered global or local view of a multi-crop probe image, drawn at `displayPx`
 * CSS pixels (locals smaller than globals in proportion to their rendered size), with its name,
 * augmentation tags, and a thick border plus a "chosen" badge when the chosen combination uses it.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef } from 'react';
import { describeView } from '../Gallery/galleryMath';
import { drawRgb } from './multiCropCanvas';
import type { CropView } from './multiCropView';
import styles from './MultiCropCard.module.css';

/** Props of CropTile. */
export interface CropTileProps {
  view: CropView;
  /** The views of this kind, uint8 RGB, concatenated [size, size, 3] each. */
  rgb: Uint8Array;
  displayPx: number;
}

/** One view tile. */
export function CropTile({ view, rgb, displayPx }: CropTileProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  const s = view.size;
  useEffect(() => {
    if (ref.current) drawRgb(ref.current, rgb, view.idx * s * s, s);
  }, [rgb, view.idx, s]);
  const { tags, title } = describeView(view.params);
  const fullTitle = `${view.kind === 'global' ? 'Global' : 'Local'} view ${view.name}, ${s}×${s} px: ${title}`;
  return (
    <figure
      className={`${styles.view} ${view.isChosen ? styles.chosenView : ''}`}
      data-testid={view.kind === 'global' ? 'multicrop-global' : 'multicrop-local'}
      data-chosen={view.isChosen ? 'true' : undefined}
      style={{ borderColor: view.isChosen ? undefined : view.color }}
      title={fullTitle}
    >
      <canvas ref={ref} className={styles.pixels} style={{ width: displayPx, height: displayPx }} width={s} height={s} aria-label={fullTitle} />
      <figcaption className={styles.viewCaption} style={{ maxWidth: Math.max(displayPx, 30) }}>
        <span className={styles.swatch} style={{ background: view.color }} />
        {view.name}
        {tags.length > 0 && view.kind === 'global' ? <span className={styles.tags}> {tags.join(' ')}</span> : null}
      </figcaption>
      {view.isChosen ? <span className={styles.badge}>chosen</span> : null}
    </figure>
  );
}
