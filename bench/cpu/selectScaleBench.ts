/**
 * Selection at lower resolution (RunConfig.selectScale, hvp/selectionViews.ts) in Node on the tfjs
 * `wasm` (or `cpu`) backend: (1) ms per training step at each scale, the contenders ALTERNATED round
 * by round (a fresh trainer per round and scale, `--warmup` untimed steps, then `--steps` timed steps,
 * each read before the next: the CPU engines run the step synchronously), and (2) the agreement of
 * the low-resolution choice with the full-size one: a selectScale-1 trainer is trained `--train`
 * steps, then for `--batches` batches of fresh views (own seeded stream) its scoreCandidates picks
 * the hardest pair on views rendered at full size and at round(imageSize · scale), and
 * selectionAgreement gives the fraction of images whose two choices match (chance: 1 / C(N, 2)).
 * Prints one JSON object; bench/README.md "Selection at lower resolution" has the command and numbers.
 *
 * Usage: node $(node bench/cpu/bundle.mjs bench/cpu/selectScaleBench.ts) [--engine wasm|cpu]
 *        [--scales 1,0.5] [--rounds 3] [--warmup 1] [--steps 3] [--train 30] [--batches 8] [--set key=value …]
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type RunConfig } from '../../src/core/config/runConfig';
import { validateConfig } from '../../src/core/config/schema';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import type { Dataset } from '../../src/core/data/types';
import { augmentFromConfig, sampleBatchViewParams } from '../../src/core/data/viewParams';
import { selectEngine, type EngineName } from '../../src/core/engine/selectEngine';
import { allPairs } from '../../src/core/hvp/candidates';
import { selectionAgreement, selectionSize } from '../../src/core/hvp/selectionViews';
import { renderViews } from '../../src/core/ops/renderViewsOp';
import { createRng } from '../../src/core/random';
import { createTrainer, type Trainer } from '../../src/core/train/trainer';

/** The bench's config: SimSiam + hard HVP, N = 4, ResNet-10 width 8, 32 px views, batch 32. */
const BASE: Partial<RunConfig> = { hvpMode: 'hard', numViews: 4, backboneWidth: 8, batchSize: 32, imageSize: 32, knnEvery: 0, numTrainImages: 1024, numTestImages: 64, warmupSteps: 5 };

interface Args { engine: EngineName; scales: number[]; rounds: number; warmup: number; steps: number; train: number; batches: number; sets: Record<string, string> }

function parseArgs(argv: string[]): Args {
  const a: Args = { engine: 'wasm', scales: [1, 0.5], rounds: 3, warmup: 1, steps: 3, train: 30, batches: 8, sets: {} };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--engine') a.engine = v() as EngineName;
    else if (k === '--scales') a.scales = v().split(',').map(Number);
    else if (k === '--rounds') a.rounds = Number(v());
    else if (k === '--warmup') a.warmup = Number(v());
    else if (k === '--steps') a.steps = Number(v());
    else if (k === '--train') a.train = Number(v());
    else if (k === '--batches') a.batches = Number(v());
    else if (k === '--set') {
      const [key, val] = v().split('=');
      a.sets[key!] = val ?? '';
    } else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function configFor(sets: Record<string, string>, selectScale: number): RunConfig {
  const { config, issues } = validateConfig({ ...sets, selectScale: String(selectScale) }, { ...DEFAULT_CONFIG, ...BASE });
  if (issues.length) throw new Error(issues.map((i) => i.message).join(' '));
  return config;
}

/** ms of each of `steps` timed steps after `warmup` untimed ones, on a fresh trainer. */
async function timeSteps(config: RunConfig, dataset: Dataset, warmup: number, steps: number): Promise<number[]> {
  const t = createTrainer(config, dataset);
  try {
    for (let i = 0; i < warmup; i++) await t.readStepMetrics(t.trainStep());
    const ms: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await t.readStepMetrics(t.trainStep());
      ms.push(performance.now() - t0);
    }
    return ms;
  } finally {
    t.dispose();
  }
}

/** The hard choice per image [M] of the trainer's model on `params` rendered at `size`. */
async function hardChoice(t: Trainer, idx: Int32Array, params: ReturnType<typeof sampleBatchViewParams>, size: number, numViews: number): Promise<Int32Array> {
  const out = tf.tidy(() => {
    const idxT = tf.tensor1d(idx, 'int32');
    const globals = renderViews(t.images.train, idxT, params, size, { normalization: t.normalization }); // [N·M, size, size, 3]
    const locals = tf.zeros([0, 1, 1, 3]) as tf.Tensor4D;
    const pairs = allPairs(numViews);
    const cand = tf.tensor2d(pairs.table, [pairs.numCombos, 2], 'int32'); // [C, 2]
    t.model.beginStep(t.step);
    const { scores, selected } = t.model.scoreCandidates(globals, locals, { numGlobals: numViews, numLocals: 0 }, cand, 'hard'); // [M, C], [M]
    scores.dispose();
    return selected;
  });
  const v = Int32Array.from(await out.data());
  out.dispose();
  return v;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  tf.env().set('PROD', true);
  const engine = await selectEngine(args.engine, { isStrict: true });
  if (engine.name !== args.engine) throw new Error(`asked for ${args.engine}, got ${engine.name}: ${engine.fallbackReason}`);
  const base = configFor(args.sets, 1);
  const dataset = generateBuiltinDataset({ seed: base.datasetSeed, numTrain: base.numTrainImages, numTest: base.numTestImages });

  // (1) ms/step, alternating: round r runs the scales in order, reversed on odd rounds.
  const ms = new Map<number, number[]>(args.scales.map((s) => [s, []]));
  for (let r = 0; r < args.rounds; r++) {
    const order = r % 2 === 0 ? args.scales : [...args.scales].reverse();
    for (const s of order) ms.get(s)!.push(...await timeSteps(configFor(args.sets, s), dataset, args.warmup, args.steps));
  }

  // (2) agreement of each scale's choice with the full-size one, on a trained selectScale-1 model.
  const t = createTrainer(base, dataset);
  for (let i = 0; i < args.train; i++) await t.readStepMetrics(t.trainStep());
  const rng = createRng(12345);
  const aug = augmentFromConfig(base);
  const M = base.batchSize, N = base.numViews;
  const agreement = new Map<number, number[]>(args.scales.map((s) => [s, []]));
  for (let b = 0; b < args.batches; b++) {
    const idx = Int32Array.from({ length: M }, () => rng.int(dataset.train.numImages));
    const params = sampleBatchViewParams(rng, aug, N, M, dataset.train.height, dataset.train.width);
    const full = await hardChoice(t, idx, params, base.imageSize, N);
    for (const s of args.scales) agreement.get(s)!.push(selectionAgreement(await hardChoice(t, idx, params, selectionSize(base.imageSize, s), N), full));
  }
  t.dispose();

  const mean = (xs: number[]) => xs.reduce((p, q) => p + q, 0) / xs.length;
  const ref = median(ms.get(args.scales[0]!)!);
  const out = {
    engine: engine.name, detail: engine.description, method: base.method, numViews: N, batchSize: M, imageSize: base.imageSize, backboneWidth: base.backboneWidth,
    rounds: args.rounds, warmup: args.warmup, stepsPerRound: args.steps, trainStepsBeforeAgreement: args.train, agreementBatches: args.batches,
    chance: 1 / allPairs(N).numCombos,
    scales: args.scales.map((s) => ({
      selectScale: s, selectionSize: selectionSize(base.imageSize, s), msPerStep: ms.get(s)!.map((x) => Math.round(x)), medianMs: Math.round(median(ms.get(s)!)),
      ratioToFirst: Number((median(ms.get(s)!) / ref).toFixed(3)), agreement: Number(mean(agreement.get(s)!).toFixed(4)), agreementPerBatch: agreement.get(s)!.map((x) => Number(x.toFixed(3))),
    })),
  };
  process.stdout.write(`${JSON.stringify(out, null, 1)}\n`);
}

main().catch((e) => {
  process.stderr.write(`selectScaleBench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
