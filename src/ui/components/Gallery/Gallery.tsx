/**
 * Gallery: what the hard-view selection chose for a few fixed held-out probe images at the
 * latest probe step — crops, rendered views, the selected pair and the per-pair loss matrix; for
 * DINO / iBOT (images with `multiCrop`) the global and local views and the scored combinations.
 * Must not import: zustand, recharts, tfjs.
 */
import type { HvpMode } from '../../../core/config/runConfig';
import { selectShownConfig } from '../../store/selectors';
import { selectViewedProbe } from '../../store/stepScrub';
import { useAppStore, useAppStoreShallow } from '../../store/useAppStore';
import { Panel } from '../Panel/Panel';
import { MultiCropCard } from '../MultiCropGallery/MultiCropCard';
import { ProbeCard } from '../ProbeCard/ProbeCard';
import styles from './Gallery.module.css';

const MODE_TEXT: Record<HvpMode, string> = {
  hard: 'HVP "hard" keeps, per image, the pair of views with the highest loss (the paper).',
  easy: 'HVP "easy" keeps, per image, the pair with the lowest loss (a cooperative control).',
  random: 'HVP "random" keeps a uniformly random pair of the N views (a control).',
  off: 'HVP is off: the model trains on two plain views; the matrix shows their single pair.',
  iouPolicy: 'IoU policy: no selection; each image\'s two views are redrawn until their crop IoU is below a scheduled bound (here: two plain probe views, their single pair).',
};

/** The same for DINO / iBOT, which choose whole combinations of 2 global and l local views. */
const MULTI_CROP_MODE_TEXT: Record<HvpMode, string> = {
  hard: 'HVP "hard" keeps, per image, the combination of 2 global (even × odd) and l local views with the highest summed loss.',
  easy: 'HVP "easy" keeps, per image, the combination of 2 global and l local views with the lowest summed loss (a control).',
  random: 'HVP "random" keeps a uniformly random combination of 2 global and l local views (a control).',
  off: 'HVP is off: the model trains on two plain global views and l plain local views.',
  iouPolicy: 'IoU policy: no selection; the two global views are redrawn until their crop IoU is below a scheduled bound, plus l plain local views.',
};

/** The view gallery of the latest probe snapshot. */
export function Gallery() {
  const probe = useAppStore((s) => selectViewedProbe(s.probeHistory, s.probe, s.viewingStep));
  const isScrubbing = useAppStore((s) => s.viewingStep !== null);
  const cfg = useAppStoreShallow((s) => {
    const c = selectShownConfig(s);
    return { hvpMode: c.hvpMode, probeEvery: c.probeEvery, numProbeImages: c.numProbeImages, method: c.method };
  });
  const isMultiCrop = cfg.method === 'dino' || cfg.method === 'ibot';

  const caption = isMultiCrop ? (
    <>
      {MULTI_CROP_MODE_TEXT[cfg.hvpMode]} Boxes on the source are the crops (globals long-dashed, locals short-dashed,
      the chosen ones solid and thick); locals are drawn at their size relative to the globals. The matrix gives each
      loss term, teacher global (row) against student view (column){cfg.method === 'ibot' ? ', the diagonal the masked-patch term (coloured on its own scale)' : ''};
      the chosen combination’s terms are outlined. Right: the scored combinations, best first.
    </>
  ) : (
    <>
      {MODE_TEXT[cfg.hvpMode]} Boxes on the source are the views’ crops (selected pair solid and thick); the
      matrix gives each pair’s loss (darker = harder) with IoU on hover.
    </>
  );

  return (
    <Panel
      title="Hard views"
      testId="gallery"
      numPoints={probe ? probe.images.length : 0}
      isWide
      caption={caption}
      aside={probe ? <span className={styles.step} data-testid="gallery-step" data-step={probe.step}>views at step {probe.step}{isScrubbing ? ' (scrubbed back)' : ''}</span> : null}
    >
      {probe ? (
        <div className={styles.list}>
          {probe.images.map((image) => (image.multiCrop
            ? <MultiCropCard key={image.imageIdx} image={image} multiCrop={image.multiCrop} method={cfg.method} mode={cfg.hvpMode} />
            : <ProbeCard key={image.imageIdx} image={image} numViews={probe.numViews} />))}
        </div>
      ) : (
        <p className={styles.empty}>
          The views of {cfg.numProbeImages} probe image{cfg.numProbeImages > 1 ? 's' : ''} appear once training
          starts and refresh every {cfg.probeEvery} step{cfg.probeEvery > 1 ? 's' : ''}.
        </p>
      )}
    </Panel>
  );
}
