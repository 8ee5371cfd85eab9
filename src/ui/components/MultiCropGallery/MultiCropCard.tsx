/**
 * MultiCropCard: one probe image of a multi-crop method (DINO, iBOT) in the gallery — the source with
 * every global and local crop box, the G global and L local views (locals drawn smaller, at their
 * true size relative to the globals), the chosen combination's views outlined, the loss-term heatmap
 * G × (G + L) and the scored combinations. The view model is multiCropView.ts.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useMemo, useRef } from 'react';
import type { HvpMode, MethodName } from '../../../core/config/runConfig';
import type { MultiCropProbe, ProbeImage } from '../../../core/train/metrics';
import { ComboList } from './ComboList';
import { CropTile } from './CropTile';
import { drawMultiCropSource } from './multiCropCanvas';
import { multiCropView, type MultiCropView } from './multiCropView';
import { TermsMatrix } from './TermsMatrix';
import styles from './MultiCropCard.module.css';

/** Display side of a global view tile in CSS px (locals: this × localSize / viewSize). */
const GLOBAL_TILE_PX = 60;

/** Props of MultiCropCard. */
export interface MultiCropCardProps {
  image: ProbeImage;
  multiCrop: MultiCropProbe;
  method: MethodName;
  mode: HvpMode;
}

/** The view model, or the message of a record that does not fit its own counts. */
function buildModel(image: ProbeImage, mc: MultiCropProbe, method: MethodName, mode: HvpMode): MultiCropView | string {
  try {
    return multiCropView(image, mc, method, mode);
  } catch (e) {
    if (e instanceof RangeError) return e.message;
    throw e;
  }
}

function Source({ image, model }: { image: ProbeImage; model: MultiCropView }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawMultiCropSource(ref.current, image.source, image.sourceSize, [...model.globals, ...model.locals]);
  }, [image, model]);
  return <canvas ref={ref} className={styles.source} aria-label={`Held-out image ${image.imageIdx} with the crop boxes of its ${model.globals.length} global and ${model.locals.length} local views`} />;
}

/** One multi-crop probe image. */
export function MultiCropCard({ image, multiCrop, method, mode }: MultiCropCardProps) {
  const model = useMemo(() => buildModel(image, multiCrop, method, mode), [image, multiCrop, method, mode]);
  if (typeof model === 'string') {
    return (
      <article className={styles.card} data-testid="gallery-probe" data-image-idx={image.imageIdx}>
        <p className={styles.error} role="alert">{model}</p>
      </article>
    );
  }
  const localPx = Math.max(8, Math.round(GLOBAL_TILE_PX * model.localScale));
  const chosen = model.chosen;
  return (
    <article className={styles.card} data-testid="gallery-probe" data-image-idx={image.imageIdx} data-kind="multi-crop">
      <div className={styles.sourceCol}>
        <Source image={image} model={model} />
        <p className={styles.meta}>image #{image.imageIdx} · {image.className ? `${image.className} (class ${image.label})` : image.label >= 0 ? `class ${image.label}` : 'unlabelled'}</p>
      </div>
      <div className={styles.mid}>
        <p className={styles.rowTitle}>{model.globals.length} global views · {image.viewSize} px</p>
        <div className={styles.views}>
          {model.globals.map((v) => <CropTile key={v.idx} view={v} rgb={image.views} displayPx={GLOBAL_TILE_PX} />)}
        </div>
        {model.locals.length > 0 ? (
          <>
            <p className={styles.rowTitle}>{model.locals.length} local views · {multiCrop.localSize} px</p>
            <div className={styles.views}>
              {model.locals.map((v) => <CropTile key={v.idx} view={v} rgb={multiCrop.localViews} displayPx={localPx} />)}
            </div>
          </>
        ) : <p className={styles.rowTitle}>no local views</p>}
        {chosen ? (
          <p className={styles.summary} data-testid="multicrop-chosen">
            Chosen <b>{chosen.label}</b>: loss <b>{Number.isFinite(chosen.loss) ? chosen.loss.toFixed(3) : '—'}</b> (rank {chosen.rank} of {model.numScored} scored)
          </p>
        ) : null}
      </div>
      <div className={styles.right}>
        <TermsMatrix model={model} hasDiagonal={method === 'ibot'} />
        <ComboList model={model} mode={mode} />
      </div>
    </article>
  );
}
