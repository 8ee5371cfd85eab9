/**
 * ExplainPanel (teaching mode): the last "Explain the next step" result as four stacked stages, each
 * with a caption saying what happens there — (1) the sampled views of the first images of the batch
 * (crop boxes on the source and the rendered views), (2) the selection forward's per-pair loss matrix
 * of each image, (3) the pair each image keeps with its loss and IoU, (4) the chosen pairs' loss just
 * before and just after the optimizer update. Hidden until the user asks for an explanation. DINO / iBOT
 * steps (combinations of global and local views) are drawn by MultiCropStages.
 * Must not import: zustand, recharts, tfjs.
 */
import { useEffect, useRef } from 'react';
import type { ExplainedImage, StepExplanation } from '../../../core/explain/stepExplanation';
import { useAppStore } from '../../store/useAppStore';
import { viewPairIdx } from '../../store/viewPairs';
import { viewName } from '../Gallery/galleryMath';
import { PairMatrix } from '../PairMatrix/PairMatrix';
import { Panel } from '../Panel/Panel';
import { drawSource, ViewTile } from '../ProbeCard/ProbeCard';
import styles from './ExplainPanel.module.css';
import { MultiCropStages } from './MultiCropStages';
import { signed, Stage } from './Stage';

function SourceWithBoxes({ image }: { image: ExplainedImage }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (ref.current) drawSource(ref.current, image);
  }, [image]);
  return <canvas ref={ref} className={styles.source} aria-label={`Training image ${image.imageIdx} with the crop boxes of its views`} />;
}

/**
 * What this step's choice did to overlap, measured on the shown images: the chosen pairs' mean IoU
 * against the mean over all their pairs. Said as it is, since at the start of a run (or with easy /
 * random pairs) the chosen pairs need not overlap less.
 */
function overlapText(e: StepExplanation, numViews: number): string {
  let chosen = 0;
  let all = 0;
  let count = 0;
  for (const img of e.images) {
    chosen += img.pairIous[viewPairIdx(img.selectedPair[0], img.selectedPair[1], numViews)]!;
    for (const v of img.pairIous) all += v;
    count += img.pairIous.length;
  }
  if (e.images.length === 0 || count === 0) return '';
  const c = chosen / e.images.length;
  const a = all / count;
  const verdict = c < a - 0.02 ? 'overlap less than an average pair: the two crops show more different parts of the image'
    : c > a + 0.02 ? 'overlap more than an average pair this time' : 'overlap about as much as an average pair this time';
  return `On these images the chosen pairs' mean IoU is ${c.toFixed(2)} against ${a.toFixed(2)} over all pairs: they ${verdict}. In the paper hard pairs overlap less on average, once the model has learned something; a single step of a young model can go either way.`;
}

function Stages({ e }: { e: StepExplanation }) {
  if (e.images.some((img) => img.multiCrop)) return <MultiCropStages e={e} />; // DINO / iBOT: combinations of global and local views
  const N = e.numViews;
  const K = e.images.length;
  const delta = e.meanLossAfter - e.meanLossBefore;
  return (
    <div className={styles.stages} data-testid="explain-stages" data-step={e.step}>
      <p className={styles.lead}>
        Step {e.step + 1} of the run, explained: {e.numImagesInBatch} images in the batch, {N} views each; the first {K} are shown.
        This was the run’s real next step — a run that is explained trains exactly as one that is not.
      </p>
      <Stage n={1} title="Sample the views" testId="explain-stage-views"
        caption={`Each image gets ${N} random crops (boxes on the source, same colour as the view) with flips and colour changes; each crop is rendered at ${e.images[0]?.viewSize ?? 0}×${e.images[0]?.viewSize ?? 0} px.`}>
        {e.images.map((img) => (
          <div key={img.imageIdx} className={styles.row}>
            <SourceWithBoxes image={img} />
            <div className={styles.views}>
              {Array.from({ length: N }, (_, k) => <ViewTile key={k} image={img} k={k} isSelected={false} />)}
            </div>
          </div>
        ))}
      </Stage>
      <Stage n={2} title="Score every pair" testId="explain-stage-losses"
        caption={e.isSelectionStep
          ? 'The selection pass runs all views through the model in training mode (BatchNorm normalises with the statistics of all these views, no gradients) and computes the loss of every pair of views of each image: one matrix per image, darker = higher loss.'
          : `No selection forward this step (${e.selectionRule}); the matrices show each pair's loss under the current model (BatchNorm in eval mode) for comparison.`}>
        <div className={styles.matrices}>
          {e.images.map((img) => (
            <figure key={img.imageIdx} className={styles.matrixFig}>
              <PairMatrix image={img} numViews={N} />
              <figcaption className={styles.small}>image #{img.imageIdx}</figcaption>
            </figure>
          ))}
        </div>
      </Stage>
      <Stage n={3} title="Pick the pair to train on" testId="explain-stage-choice"
        caption={`Rule: ${e.selectionRule}. The losses are those of stage 2 (selection pass). ${overlapText(e, N)}`}>
        <ul className={styles.list}>
          {e.images.map((img) => {
            const [k, l] = img.selectedPair;
            const p = viewPairIdx(k, l, N);
            return (
              <li key={img.imageIdx} data-testid="explain-choice">
                image #{img.imageIdx}: <b>{viewName(k)}–{viewName(l)}</b>, loss {img.pairLosses[p]!.toFixed(4)} (selection pass), IoU {img.pairIous[p]!.toFixed(2)}
                <span className={styles.pairViews}>
                  <ViewTile image={img} k={k} isSelected />
                  <ViewTile image={img} k={l} isSelected />
                </span>
              </li>
            );
          })}
        </ul>
      </Stage>
      <Stage n={4} title="Update the model" testId="explain-stage-update"
        caption={`One optimizer step (learning rate ${e.learningRate.toPrecision(3)}) on the chosen pairs; training loss ${e.trainingLoss.toFixed(4)}. Below: each chosen pair's loss just before and just after the update, both measured the same way (BatchNorm in eval mode with its running statistics, no state changed), so the difference is the update alone. Eval mode normalises differently from the selection pass, so “before” is not stage 3's number.`}>
        <table className={styles.table}>
          <thead>
            <tr><th scope="col">image</th><th scope="col">pair</th><th scope="col">loss before (eval mode)</th><th scope="col">loss after (eval mode)</th><th scope="col">change</th></tr>
          </thead>
          <tbody>
            {e.images.map((img) => (
              <tr key={img.imageIdx}>
                <td>#{img.imageIdx}</td>
                <td>{viewName(img.selectedPair[0])}–{viewName(img.selectedPair[1])}</td>
                <td>{img.lossBefore.toFixed(4)}</td>
                <td>{img.lossAfter.toFixed(4)}</td>
                <td>{signed(img.lossAfter - img.lossBefore)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className={styles.summary} data-testid="explain-update-summary">
          Mean over all {e.numImagesInBatch} chosen pairs: {e.meanLossBefore.toFixed(4)} → {e.meanLossAfter.toFixed(4)} ({signed(delta)}
          {delta < 0 ? ', the step reduced it' : ', the step did not reduce it this time — one step with momentum and BatchNorm is noisy'}).
        </p>
      </Stage>
    </div>
  );
}

/** The explained step, when there is one (or one is being computed). */
export function ExplainPanel() {
  const explain = useAppStore((s) => s.explain);
  if (!explain.explanation && explain.requestId === null && !explain.failure) return null;
  return (
    <Panel title="Explain one step" testId="panel-explain" isWide
      caption="One HVP training step, broken into its stages. Press “Explain the next step” again for the following step, or Resume to train on.">
      {explain.requestId !== null ? <p className={styles.note} role="status">Taking the next step…</p> : null}
      {explain.failure ? <p className={styles.error} role="alert">{explain.failure}</p> : null}
      {explain.explanation ? <Stages e={explain.explanation} /> : null}
    </Panel>
  );
}
