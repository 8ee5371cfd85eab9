/**
 * The Quick demo: the smallest run on the built-in shapes in which HVP's signature shows within
 * about a minute — the chosen pair's IoU below the mean IoU of all pairs, and the chosen pair being
 * the lowest-IoU one clearly more often than chance (1/6 with N = 4).
 *
 * Measured on the wasm engine (CLI, one thread; bench/quickDemo/README.md): the hit rate averages
 * about 0.30 from step 25 on (chance 0.17) and the chosen IoU 0.33 against 0.41. Two simplifications
 * make it show that early, and the description says so: colour jitter, grayscale and flips are off,
 * so a pair's loss depends on its geometry alone (with the paper's full augmentations the same trend
 * needs many more steps); and the model is small (16 px views, width 8, batch 32).
 * Must not import: tfjs, DOM, React.
 */
import { DEFAULT_CONFIG, type RunConfig } from '../runConfig';
import type { Preset } from './paperPresets';

/** Steps of the quick demo (about 20 s on wasm, a few minutes on a software GPU). */
export const QUICK_DEMO_STEPS = 200;

export const QUICK_DEMO: Preset = {
  id: 'quick-demo',
  name: 'Quick demo (about a minute)',
  description:
    'A small SimSiam run with hard views (N = 4) on the built-in shapes, sized to show what HVP does within about a minute: ' +
    'in the IoU panel the chosen pair’s IoU drops below the mean of all pairs, and the chosen pair is the lowest-IoU one ' +
    'about twice as often as chance (1/6). Colour jitter, grayscale and flips are off so that a pair’s loss depends on how ' +
    'its two crops overlap alone; with the paper’s full augmentations the same trend takes many more steps.',
  compareWith: null,
  overrides: {
    method: 'simsiam',
    backbone: 'resnet10',
    backboneWidth: 8,
    imageSize: 16,
    batchSize: 32,
    numViews: 4,
    hvpMode: 'hard',
    hvpEvery: 1,
    optimizer: 'auto',
    learningRate: 0.05,
    warmupSteps: 0,
    totalSteps: QUICK_DEMO_STEPS,
    numTrainImages: 512,
    numTestImages: 200,
    numKnnBankImages: 512,
    knnEvery: 50,
    logEvery: 1,
    probeEvery: 10,
    numProbeImages: 4,
    cropScaleMin: 0.08,
    jitterProb: 0,
    grayscaleProb: 0,
    flipProb: 0,
    seed: 0,
  },
};

/**
 * The quick demo's config: on the built-in dataset; `backend` is kept unless given (the software-GPU
 * banner passes 'wasm', which is several times faster than WebGPU emulated on the CPU).
 */
export function quickDemoConfig(current: RunConfig, backend: RunConfig['backend'] = current.backend): RunConfig {
  return { ...DEFAULT_CONFIG, ...QUICK_DEMO.overrides, dataset: DEFAULT_CONFIG.dataset, backend };
}
