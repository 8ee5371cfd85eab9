/**
 * "Explain the next step" for the multi-crop methods (DINO, iBOT): reads an explained multi-crop step
 * (Trainer.trainStepExplained → multiCropTrainer.ts queueMultiCropStep with numShown > 0), which IS
 * the run's next training step, into the same four stages as the pair methods (explainStep.ts):
 *   1. views     — the first K images' rendered global and local views with their crop boxes;
 *   2. scores    — per image the score of every combination the step considered: the selection
 *                  forward's comboLosses on selection steps, otherwise the eval-mode probeCombos score
 *                  of the step's fixed combination before the update; and the eval-mode terms matrix
 *                  G × (G + L) (teacher global vs student view) before the update;
 *   3. choice    — the combination each image trains on;
 *   4. update    — that combination's eval-mode score (probeCombos, no state change) just before and
 *                  just after the optimizer step.
 * Each shown image is an ExplainedImage with `multiCrop` filled like a gallery record
 * (multiCropProbe.ts), so the UI draws it with the gallery's MultiCropCard.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { pairIous } from '../data/iou';
import { bestPairScores, imageViews, scoredCombos } from './multiCropProbe';
import { numPairs, pairIndex, pairList } from './pairs';
import type { ExplainedImage, StepExplanation } from './stepExplanation';
import type { ExplainedPending, Trainer } from './trainer';

/** How each image's combination was chosen this step, in words. */
function comboRule(trainer: Trainer, isSelection: boolean, numLocals: number): string {
  const { hvpMode, hvpEvery } = trainer.config;
  const identity = `globals g1, g2${numLocals > 0 ? ` and locals l1…l${numLocals}` : ''}`;
  if (isSelection) return hvpMode === 'easy' ? 'easiest combination (lowest score) per image' : 'hardest combination (highest score) per image';
  if (hvpMode === 'random') return 'a random combination per image (hvpMode random: no selection)';
  if (hvpMode === 'off') return `${identity} (hvpMode off: plain ${trainer.config.method} training)`;
  return `${identity} (selection runs every ${hvpEvery} steps; this step has none)`;
}

/**
 * readExplanation for a multi-crop step. sync point: awaits the reads. Disposes only the
 * explanation's own tensors; the step's tensors stay for readStepMetrics.
 */
export async function readMultiCropExplanation(trainer: Trainer, ex: ExplainedPending): Promise<StepExplanation> {
  const { pending: p, shown } = ex;
  const mc = p.multiCrop;
  const extra = shown?.multiCrop;
  if (!shown || !mc || !extra) throw new Error('readMultiCropExplanation needs a multi-crop step queued by trainStepExplained (DINO or iBOT).');
  try {
    const [lossV, selV, gV, lV, termV, beforeV, afterV, selLossV] = await Promise.all([
      p.tensors.loss.data(),
      p.cpuPairs ? Promise.resolve(p.cpuPairs) : p.tensors.selected.data(),
      shown.views.data(),
      extra.locals.data(),
      extra.terms.data(),
      shown.evalBefore.data(),
      shown.evalAfter.data(),
      p.tensors.pairLosses ? p.tensors.pairLosses.data() : Promise.resolve(null),
    ]);
    const { config, dataset } = trainer;
    const src = dataset.train;
    const M = p.numImages;
    const K = shown.imageIdx.length;
    const { numGlobals: G, numLocals: L } = mc.rendered;
    const l = mc.numLocalsPerCombo;
    const width = 2 + l;
    const C = mc.combos.length / width; // selection: the candidates; otherwise one row per image
    const S = config.imageSize;
    const Sl = config.localSize;
    const srcPx = src.height * src.width * 3;
    const mode = config.hvpMode === 'easy' ? 'easy' : 'hard';
    const gParams = p.params.slice(0, G * M); // rendered globals, view-major over the batch
    const ious = pairIous(gParams, G, M);
    const P = numPairs(G);
    const pairs = pairList(G);
    const chosenScore = (vals: ArrayLike<number>, m: number) => vals[m * C + selV[m]!]!;
    const images: ExplainedImage[] = [];
    for (let m = 0; m < K; m++) {
      const i = shown.imageIdx[m]!;
      // Selection steps list every candidate; other steps the image's own fixed combination (row m).
      const rows = p.isSelectionStep ? Array.from({ length: C }, (_, c) => c) : [selV[m]!];
      const scores = (selLossV ?? beforeV).subarray(m * C, (m + 1) * C);
      const combos = scoredCombos(mc.combos, width, rows, scores);
      const selectedCombo = rows.indexOf(selV[m]!);
      const chosen = combos[selectedCombo]!;
      const label = src.labels ? src.labels[i]! : -1;
      images.push({
        imageIdx: i,
        label,
        className: label >= 0 ? (dataset.classNames[label] ?? '') : '',
        source: src.images.slice(i * srcPx, (i + 1) * srcPx),
        sourceSize: src.height,
        params: Array.from({ length: G }, (_, k) => gParams[k * M + m]!),
        views: imageViews(gV as Float32Array, G, K, m, S * S * 3),
        viewSize: S,
        pairLosses: bestPairScores(combos, G, mode),
        selectedPair: pairs[pairIndex(chosen.globals[0], chosen.globals[1], G)]!,
        pairIous: Array.from(ious.subarray(m * P, (m + 1) * P)),
        multiCrop: {
          numGlobals: G,
          numLocals: L,
          localSize: Sl,
          localParams: Array.from({ length: L }, (_, k) => mc.localParams[k * M + m]!),
          localViews: imageViews(lV as Float32Array, L, K, m, Sl * Sl * 3),
          terms: Array.from((termV as Float32Array).subarray(m * G * (G + L), (m + 1) * G * (G + L))),
          combos,
          selectedCombo,
        },
        lossBefore: chosenScore(beforeV, m),
        lossAfter: chosenScore(afterV, m),
      });
    }
    let sumB = 0;
    let sumA = 0;
    for (let m = 0; m < M; m++) {
      sumB += chosenScore(beforeV, m);
      sumA += chosenScore(afterV, m);
    }
    return {
      step: p.step,
      numViews: G,
      numImagesInBatch: M,
      isSelectionStep: p.isSelectionStep,
      selectionRule: comboRule(trainer, p.isSelectionStep, l),
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
    extra.locals.dispose();
    extra.terms.dispose();
  }
}
