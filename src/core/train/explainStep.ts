/**
 * "Explain the next step" (teaching mode): what one HVP step did, stage by stage, read from an
 * explained step (Trainer.trainStepExplained), which IS the run's next training step — same batch,
 * views, selection and update — so an explained run stays identical to one that is not.
 *   1. views      — the sampled crop boxes of the first K images and their rendered views;
 *   2. selection  — the selection forward's per-sample loss of every pair, [M, P] (per image a row);
 *   3. choice     — the pair each image keeps (hard = highest loss), with its IoU;
 *   4. update     — the chosen pairs' loss just before and just after the optimizer step.
 * Stage 4 measures both losses with BatchNorm in eval mode (method.probePairLosses): that changes no
 * state (no running-stat update, no generator draw), and both numbers use the same mode, so their
 * difference is the update alone. The step's own training loss (BN in training mode) is given too.
 * DINO / iBOT select combinations of global and local views instead of pairs: multiCropExplain.ts.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { pairIous } from '../data/iou';
import type { ViewParams } from '../data/types';
import { readMultiCropExplanation } from './multiCropExplain';
import { numPairs, pairList } from './pairs';
import type { ExplainedImage, StepExplanation } from './stepExplanation';
import type { ExplainedPending, Trainer } from './trainer';

function ruleOf(trainer: Trainer, isSelection: boolean): string {
  const { hvpMode, hvpEvery } = trainer.config;
  if (isSelection) return hvpMode === 'easy' ? 'easiest pair (lowest loss) per image' : 'hardest pair (highest loss) per image';
  if (hvpMode === 'random') return 'a random pair per image (hvpMode random: no selection)';
  if (hvpMode === 'off') return 'views 1 and 2 (hvpMode off: plain SimSiam-style training)';
  return `views 1 and 2 (selection runs every ${hvpEvery} steps; this step has none)`;
}

/**
 * Reads an explained step's values. sync point: awaits the reads. Disposes only the explanation's own
 * tensors; the step's tensors stay for readStepMetrics.
 */
export async function readExplanation(trainer: Trainer, ex: ExplainedPending): Promise<StepExplanation> {
  const { pending: p, shown } = ex;
  if (!shown) throw new Error('readExplanation needs a step queued by trainStepExplained, not trainStep.');
  if (p.multiCrop || shown.multiCrop) return readMultiCropExplanation(trainer, ex);
  const N = shown.numRendered;
  const M = p.numImages;
  const K = shown.imageIdx.length;
  const P = numPairs(N);
  try {
    const [lossV, selV, viewV, beforeV, afterV, selLossV] = await Promise.all([
      p.tensors.loss.data(),
      p.cpuPairs ? Promise.resolve(p.cpuPairs) : p.tensors.selected.data(),
      shown.views.data(),
      shown.evalBefore.data(),
      shown.evalAfter.data(),
      p.tensors.pairLosses ? p.tensors.pairLosses.data() : Promise.resolve(null),
    ]);
    const src = trainer.dataset.train;
    const S = trainer.config.imageSize;
    const px = S * S * 3;
    const srcPx = src.height * src.width * 3;
    const pairs = pairList(N);
    // Params of the rendered views only (view-major over the whole batch).
    const params: ViewParams[] = p.params.slice(0, N * M);
    const ious = pairIous(params, N, M);
    const chosen = (vals: ArrayLike<number>, m: number) => vals[m * P + selV[m]!]!;
    const images: ExplainedImage[] = [];
    for (let m = 0; m < K; m++) {
      const i = shown.imageIdx[m]!;
      const views = new Uint8Array(N * px);
      for (let k = 0; k < N; k++) views.set((viewV as Float32Array).subarray((k * K + m) * px, (k * K + m + 1) * px), k * px);
      const label = src.labels ? src.labels[i]! : -1;
      images.push({
        imageIdx: i,
        label,
        className: label >= 0 ? (trainer.dataset.classNames[label] ?? '') : '',
        source: src.images.slice(i * srcPx, (i + 1) * srcPx),
        sourceSize: src.height,
        params: Array.from({ length: N }, (_, k) => params[k * M + m]!),
        views,
        viewSize: S,
        // Stage 2 shows the selection forward's losses; without one, the eval-mode losses before the update.
        pairLosses: Array.from((selLossV ?? beforeV).subarray(m * P, (m + 1) * P)),
        selectedPair: pairs[selV[m]!]!,
        pairIous: Array.from(ious.subarray(m * P, (m + 1) * P)),
        lossBefore: chosen(beforeV, m),
        lossAfter: chosen(afterV, m),
      });
    }
    let sumB = 0;
    let sumA = 0;
    for (let m = 0; m < M; m++) {
      sumB += chosen(beforeV, m);
      sumA += chosen(afterV, m);
    }
    return {
      step: p.step,
      numViews: N,
      numImagesInBatch: M,
      isSelectionStep: p.isSelectionStep,
      selectionRule: ruleOf(trainer, p.isSelectionStep),
      images,
      trainingLoss: lossV[0]!,
      meanLossBefore: sumB / M,
      meanLossAfter: sumA / M,
      learningRate: p.learningRate,
    };
  } finally {
    shown.views.dispose();
    shown.evalBefore.dispose();
    shown.evalAfter.dispose();
  }
}
