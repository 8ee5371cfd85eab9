/**
 * The candidates of an HVP step and how each image's is chosen, for every method: a pair method's
 * candidates are all C(G, 2) pairs of its views (hvp/pairs.ts order, no locals); DINO's and iBOT's
 * are combinations of an even and an odd global and l locals, at most comboCap of them
 * (hvp/combinations.ts). The plan of the step with 0-based index s:
 *   hard / easy with s % hvpEvery = 0 — select: score every candidate, keep the best per image;
 *   random — fixed: one uniformly random candidate per image from the select stream;
 *   off, iouPolicy (its two globals already drawn by the policy, hvp/iouPolicy.ts), or a step
 *     between selections — fixed: globals 0 and 1 (and locals 0…l−1); only those views are rendered.
 * Tables are int32 [C·(2 + l)] row-major (ComboTable). A fixed choice indexes its table per image:
 * one table for every image (pairs), or one row per image (`isPerImage`: DINO / iBOT's random and
 * identity choices, drawn as whole combinations).
 * Must not import: DOM, gpu/, worker/, ui/.
 */
import type { RunConfig } from '../config/runConfig';
import { isTwoViewMode } from './hvpModes';
import type { CropCounts, HvpMethod } from './hvpMethod';
import type { Rng } from '../random';
import { candidateCombinations, identityCombinations, randomCombinations, type ComboTable } from './combinations';
import { pairList } from './pairs';
import { randomPairs } from './selection';
import { localsPerCandidate } from './stepViews';

/** How each image's candidate is chosen in a step. */
export type CandidatePlan =
  | { kind: 'select'; mode: 'hard' | 'easy'; candidates: ComboTable }
  | {
    kind: 'fixed';
    candidates: ComboTable;
    /** Per image the index of its candidate in `candidates`, int32 [M]. */
    chosenIdx: Int32Array;
    /** Whether `candidates` holds one row per image (row m is image m's) rather than one table for all. */
    isPerImage: boolean;
  };

/** Every pair of `numViews` views as a candidate table (width 2, pairList order). */
export function allPairs(numViews: number): ComboTable {
  const pairs = pairList(numViews);
  return { table: Int32Array.from(pairs.flat()), numCombos: pairs.length, numLocalsPerCombo: 0 };
}

/** The step's plan and the views it renders (its candidates index these). NOTE: advances selectRng on selection (DINO / iBOT past the cap) and random steps. */
export function planCandidates(config: RunConfig, kind: HvpMethod['kind'], stepIdx: number, numImages: number, sampled: CropCounts, selectRng: Rng): { plan: CandidatePlan; rendered: CropCounts } {
  const mode = config.hvpMode;
  const { numGlobals: G, numLocals: L } = sampled;
  const l = localsPerCandidate(config, kind);
  const perImage = Int32Array.from({ length: numImages }, (_, m) => m);
  if ((mode === 'hard' || mode === 'easy') && stepIdx % config.hvpEvery === 0) {
    const candidates = kind === 'pair' ? allPairs(G) : candidateCombinations(selectRng, G, L, l, config.comboCap);
    return { plan: { kind: 'select', mode, candidates }, rendered: sampled };
  }
  if (mode === 'random') {
    const plan: CandidatePlan = kind === 'pair'
      ? { kind: 'fixed', candidates: allPairs(G), chosenIdx: randomPairs(selectRng, numImages, G), isPerImage: false }
      : { kind: 'fixed', candidates: { table: randomCombinations(selectRng, numImages, G, L, l), numCombos: numImages, numLocalsPerCombo: l }, chosenIdx: perImage, isPerImage: true };
    return { plan, rendered: sampled };
  }
  // Off, iouPolicy, or a step between selections: views 0 and 1 (and the first l locals) are already random.
  const plan: CandidatePlan = kind === 'pair'
    ? { kind: 'fixed', candidates: allPairs(2), chosenIdx: new Int32Array(numImages), isPerImage: false }
    : { kind: 'fixed', candidates: { table: identityCombinations(numImages, l), numCombos: numImages, numLocalsPerCombo: l }, chosenIdx: perImage, isPerImage: true };
  return { plan, rendered: { numGlobals: 2, numLocals: kind === 'pair' ? 0 : l } };
}

/**
 * The candidates the gallery scores for `counts` views: a selection step's (every pair; DINO /
 * iBOT's capped draw), or with HVP off the identity combination alone.
 * NOTE: advances rng only where a selection step would (DINO / iBOT past the cap).
 */
export function probeCandidateTable(config: RunConfig, kind: HvpMethod['kind'], counts: CropCounts, rng: Rng): ComboTable {
  if (kind === 'pair') return allPairs(counts.numGlobals);
  const l = config.numLocalViews;
  if (isTwoViewMode(config.hvpMode)) return { table: identityCombinations(1, l), numCombos: 1, numLocalsPerCombo: l };
  return candidateCombinations(rng, counts.numGlobals, counts.numLocals, l, config.comboCap);
}
