/**
 * "Explain the next step" (teaching mode): what one HVP step did, stage by stage, read from an
 * explained step (Trainer.trainStepExplained), which IS the run's next training step — same batch,
 * views, selection and update — so an explained run stays identical to one that is not. The same
 * reader for every method:
 *   1. views      — the first K images' crop boxes and rendered views (DINO / iBOT: globals and locals);
 *   2. scores     — per image the score of every candidate the step considered: the selection
 *                   forward's on selection steps, otherwise the eval-mode score before the update
 *                   (a fixed DINO / iBOT combination: only the image's own); DINO / iBOT also the
 *                   eval-mode terms matrix G × (G + L) (teacher global vs student view);
 *   3. choice     — the candidate each image trains on, with its IoU;
 *   4. update     — that candidate's eval-mode score just before and just after the optimizer step.
 * Stage 4 uses eval mode (method.probeCandidates): no state changes (no running-stat update, no
 * generator draw), and both numbers use the same mode, so their difference is the update alone.
 * The step's own training loss (BN in training mode) is given too. Each shown image is the
 * gallery's record (eval/candidateRecord.ts), so the UI draws it with the gallery's cards.
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import { candidateImage, type ScoredBatch } from '../eval/candidateRecord';
import type { StepExplanation } from './stepExplanation';
import type { ExplainedPending, Trainer } from '../train/trainer';

/** How each image's candidate was chosen this step, in words. */
function ruleOf(trainer: Trainer, isSelection: boolean, numLocals: number): string {
  const { hvpMode, hvpEvery, method } = trainer.config;
  const isPair = trainer.model.kind === 'pair';
  const what = isPair ? 'pair' : 'combination';
  const score = isPair ? 'loss' : 'score';
  if (isSelection) return hvpMode === 'easy' ? `easiest ${what} (lowest ${score}) per image` : `hardest ${what} (highest ${score}) per image`;
  if (hvpMode === 'random') return `a random ${what} per image (hvpMode random: no selection)`;
  const identity = isPair ? 'views 1 and 2' : `globals g1, g2${numLocals > 0 ? ` and locals l1…l${numLocals}` : ''}`;
  if (hvpMode === 'off') return `${identity} (hvpMode off: plain ${isPair ? 'SimSiam-style' : method} training)`;
  if (hvpMode === 'iouPolicy') return `${identity} (hvpMode iouPolicy: drawn until their crop IoU is below the step's bound, no selection)`;
  return `${identity} (selection runs every ${hvpEvery} steps; this step has none)`;
}

/**
 * Reads an explained step's values. sync point: awaits the reads. Disposes only the explanation's own
 * tensors; the step's tensors stay for readStepMetrics.
 */
export async function readExplanation(trainer: Trainer, ex: ExplainedPending): Promise<StepExplanation> {
  const { pending: p, shown } = ex;
  if (!shown) throw new Error('readExplanation needs a step queued by trainStepExplained, not trainStep.');
  try {
    const [lossV, selV, gV, lV, termV, beforeV, afterV, selScoreV] = await Promise.all([
      p.tensors.loss.data(),
      p.cpuChosen ? Promise.resolve(p.cpuChosen) : p.tensors.selected!.data(),
      shown.globals.data(),
      shown.locals.data(),
      shown.terms ? shown.terms.data() : Promise.resolve(null),
      shown.evalBefore.data(),
      shown.evalAfter.data(),
      p.tensors.scores ? p.tensors.scores.data() : Promise.resolve(null),
    ]);
    const { config, dataset } = trainer;
    const M = p.numImages;
    const C = p.candidates.numCombos;
    const chosenScore = (vals: ArrayLike<number>, m: number) => vals[m * C + selV[m]!]!;
    const batch: ScoredBatch = {
      kind: trainer.model.kind, split: dataset.train, classNames: dataset.classNames, imageIdx: shown.imageIdx, numImages: M, counts: p.rendered,
      globalParams: p.params, localParams: p.localParams, globalViews: gV as Float32Array, localViews: lV as Float32Array, viewSize: config.imageSize, localSize: config.localSize,
      candidates: p.candidates, isPerImage: p.isPerImage,
      // Stage 2 shows the selection forward's scores; without one, the eval-mode scores before the update.
      scores: (selScoreV ?? beforeV) as Float32Array, terms: termV as Float32Array | null, selected: selV, mode: config.hvpMode === 'easy' ? 'easy' : 'hard',
    };
    const images = Array.from(shown.imageIdx, (_, m) => ({ ...candidateImage(batch, m), lossBefore: chosenScore(beforeV, m), lossAfter: chosenScore(afterV, m) }));
    let sumB = 0;
    let sumA = 0;
    for (let m = 0; m < M; m++) {
      sumB += chosenScore(beforeV, m);
      sumA += chosenScore(afterV, m);
    }
    return {
      step: p.step,
      numViews: p.rendered.numGlobals,
      numImagesInBatch: M,
      isSelectionStep: p.isSelectionStep,
      selectionRule: ruleOf(trainer, p.isSelectionStep, p.candidates.numLocalsPerCombo),
      images,
      trainingLoss: lossV[0]!,
      meanLossBefore: sumB / M,
      meanLossAfter: sumA / M,
      learningRate: p.learningRate,
    };
  } finally {
    shown.globals.dispose();
    shown.locals.dispose();
    shown.evalBefore.dispose();
    shown.evalAfter.dispose();
    shown.terms?.dispose();
  }
}
