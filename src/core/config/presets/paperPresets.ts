/**
 * Presets that reproduce the HVP paper's findings at playground scale, as plain data.
 *
 * A preset is one config (twin runs do not exist yet), so each comparison of the paper is split
 * into its halves: run one preset, then the preset named in `compareWith`, with the same seed,
 * and compare the kNN curves. Every preset sets the fields the comparison depends on on top of
 * DEFAULT_CONFIG; `applyPreset` keeps the user's dataset and backend choice.
 * Must not import: tfjs, DOM, React.
 */
import { DEFAULT_CONFIG, type RunConfig } from '../runConfig';

/** One preset: a config change plus what to look for after running it. */
export interface Preset {
  /** Stable id (select value, tests). */
  id: string;
  /** Short name shown in the select. */
  name: string;
  /** What the preset shows and what to look for in the panels. */
  description: string;
  /** Id of the preset to run next for the comparison, or null. */
  compareWith: string | null;
  /** Fields set on top of DEFAULT_CONFIG. */
  overrides: Partial<RunConfig>;
}

/** Shared by every preset so the halves of a comparison differ only in what they compare:
 * SimSiam on the built-in shapes, ResNet-10 width 16, 2000 steps, kNN every 100, seed 0. */
const COMMON: Partial<RunConfig> = {
  method: 'simsiam',
  backbone: 'resnet10',
  backboneWidth: 16,
  optimizer: 'auto',
  batchSize: 64,
  learningRate: 0.06,
  totalSteps: 2000,
  warmupSteps: 50,
  hvpEvery: 1,
  knnEvery: 100,
  seed: 0,
};

/** The presets, in select order. */
export const PAPER_PRESETS: readonly Preset[] = [
  {
    id: 'simsiam-off',
    name: 'SimSiam baseline (HVP off)',
    description:
      'Plain SimSiam on two random views per image — the baseline half of "SimSiam vs SimSiam+HVP". ' +
      'Note its kNN accuracy at the end, then run "SimSiam + HVP (hard, N=4)" with the same seed: the paper finds ' +
      'HVP ahead by about 1 point of kNN/linear accuracy. At playground scale the gap is small and seed-dependent; ' +
      'repeat with another seed before drawing a conclusion. The IoU panel shows the two views’ overlap (no hit rate).',
    compareWith: 'simsiam-hvp-hard',
    overrides: { ...COMMON, hvpMode: 'off', numViews: 4 },
  },
  {
    id: 'simsiam-hvp-hard',
    name: 'SimSiam + HVP (hard, N=4)',
    description:
      'The paper’s method: 4 views per image, train on the pair with the highest loss. Look for the red selected-pair ' +
      'loss sitting above the blue mean-over-pairs loss (the chosen pairs are harder), a selected-pair IoU below the ' +
      'mean IoU with a lowest-IoU hit rate well above the 1/6 chance line (hard pairs overlap little), and compare ' +
      'the final kNN accuracy with "SimSiam baseline (HVP off)" at the same seed.',
    compareWith: 'simsiam-off',
    overrides: { ...COMMON, hvpMode: 'hard', numViews: 4 },
  },
  {
    id: 'simsiam-hvp-easy',
    name: 'Cooperative selection (easy, N=4)',
    description:
      '"Cooperative selection learns worse": the same run as "SimSiam + HVP (hard, N=4)" but keeping the pair with ' +
      'the LOWEST loss. Look for the selected-pair loss below the mean, a selected-pair IoU above the mean (near-duplicate ' +
      'crops) and a hit rate below chance; the paper finds kNN accuracy below both hard HVP and the baseline, because ' +
      'the easiest pairs teach the model little. Compare with the hard preset at the same seed.',
    compareWith: 'simsiam-hvp-hard',
    overrides: { ...COMMON, hvpMode: 'easy', numViews: 4 },
  },
  {
    id: 'simsiam-hvp-hard-n8',
    name: 'More views (hard, N=8)',
    description:
      '"More views is not always better": hard HVP choosing among 8 views (28 pairs) instead of 4 (6 pairs). ' +
      'Look for a larger gap between selected-pair and mean loss and a lower selected IoU (harder, less related pairs), ' +
      'at roughly twice the step time. The paper finds N=8 no better than N=4 (the hardest of many pairs is too hard); ' +
      'compare the kNN curve with "SimSiam + HVP (hard, N=4)" at the same seed.',
    compareWith: 'simsiam-hvp-hard',
    overrides: { ...COMMON, hvpMode: 'hard', numViews: 8 },
  },
  {
    id: 'simsiam-what-drives-hardness',
    name: 'What drives hardness (hard, N=4, view log)',
    description:
      'The paper’s analysis of WHY the chosen pairs are hard (Sec. 6.1.1, Fig. 8; App. F.1.2), on this run’s own ' +
      'view log: hard HVP with 4 views, metrics read every step, so the Analysis panel’s window holds every ' +
      'candidate pair of the last ~50 selection steps (crop, flip, jitter, grayscale, blur, solarize of both views, ' +
      'IoU, distances, per-sample loss, selected). After a few hundred steps, pause and click "What drives the loss": ' +
      'the paper finds IoU the strongest single driver (15.2 % of the variance) ahead of brightness (5.1 %), relative ' +
      'distance (3.3 %) and colour distance (2.3 %), most of it in interactions. Then "Can the choice be predicted?": ' +
      'the paper’s classifier stays under 40 % from the view parameters alone (chance 1/6). Export the log as CSV for ' +
      'your own analysis; the CLI logs a whole run with --log-views.',
    compareWith: null,
    overrides: { ...COMMON, hvpMode: 'hard', numViews: 4, logEvery: 1, totalSteps: 1000 },
  },
  {
    id: 'simsiam-iou-policy',
    name: 'IoU policy vs HVP (manual curriculum)',
    description:
      'The paper’s hand-made baseline (App. F.1.1, Table 4): no selection forward; each image’s two views are redrawn ' +
      'until their crop IoU is below a bound that falls linearly from 0.5 to 0.2 over the run, so the views overlap ' +
      'ever less — a fixed curriculum instead of the model’s own loss. Look for the selected IoU following the falling ' +
      'bound in the IoU panel, the step time of a plain two-view run, and iouPolicyMisses (images whose pair could not ' +
      'get under the bound in 100 draws) staying near 0. The paper finds such policies below HVP; compare the kNN ' +
      'curve with "SimSiam + HVP (hard, N=4)" at the same seed.',
    compareWith: 'simsiam-hvp-hard',
    overrides: { ...COMMON, hvpMode: 'iouPolicy', numViews: 4, iouPolicyStart: 0.5, iouPolicyEnd: 0.2 },
  },
  {
    id: 'simsiam-hvp-color-static',
    name: 'Colour-static selection (hard, N=4)',
    description:
      'Hard HVP whose selection cannot see colour (paper Sec. 6.1.3, Fig. 3 right): on every selection step the 4 ' +
      'candidate views are scored with ONE colour augmentation shared by the whole step (jitter, grayscale, solarize), ' +
      'only crop, flip and blur differ, so the hardest pair is chosen by geometry alone; the chosen views are then ' +
      'trained on with their own colours. The paper finds this a little worse than HVP (colour is part of what makes a ' +
      'pair hard). Look for a selected IoU even further below the mean than with plain hard HVP, and compare the kNN ' +
      'curve with "SimSiam + HVP (hard, N=4)" at the same seed.',
    compareWith: 'simsiam-hvp-hard',
    overrides: { ...COMMON, hvpMode: 'hard', numViews: 4, colorStatic: 'step' },
  },
];

/** The preset with `id`; throws naming the known ids when there is none. */
export function presetById(id: string): Preset {
  const p = PAPER_PRESETS.find((q) => q.id === id);
  if (!p) throw new Error(`Unknown preset "${id}"; known presets: ${PAPER_PRESETS.map((q) => q.id).join(', ')}.`);
  return p;
}

/** The config a preset gives: DEFAULT_CONFIG plus its overrides, keeping `current`'s dataset
 * and preferred backend (choices about this browser, not about the experiment). */
export function applyPreset(preset: Preset, current: RunConfig): RunConfig {
  return { ...DEFAULT_CONFIG, ...preset.overrides, dataset: current.dataset, backend: current.backend };
}
