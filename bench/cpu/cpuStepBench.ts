/**
 * Node step benchmark of our CPU engines: times the real training step (createTrainer + trainStep, the
 * same code the app and the CLI run) on the tfjs `wasm` backend (single-threaded SIMD in Node) or the
 * tfjs `cpu` backend, for one config and HVP mode, and prints one JSON line. Views are rendered inside
 * the step (our view renderer is part of our step); the PyTorch script (torchStep.py) makes its views
 * before the timed step, so the view time is also reported separately (`viewMs`) to compare like with like.
 * `--profile` adds a per-kernel breakdown of one step (tf.profile: wall ms per kernel name, summed).
 *
 * Usage (bundled and run by bench/cpu/run.mjs, which alternates it with PyTorch):
 *   node cpuStepBench.mjs --engine wasm|cpu --config default|small --mode off|hard|hard@2
 *        [--warmup W] [--steps S] [--profile] [--input-grad auto|identity|stock] [--set key=value …]
 * (--input-grad: how wasm computes Conv2DBackpropInput, core/engine/wasmKernels.ts)
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG, type HvpMode, type RunConfig } from '../../src/core/config/runConfig';
import { validateConfig } from '../../src/core/config/schema';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { selectEngine, type EngineName } from '../../src/core/engine/selectEngine';
import { setWasmInputGradPolicy, type InputGradPolicy } from '../../src/core/engine/wasmKernels';
import { createTrainer } from '../../src/core/train/trainer';

/** The two configs of the comparison (bench/README.md "CPU engines vs PyTorch"). */
export const BENCH_CONFIGS: Record<string, Partial<RunConfig>> = {
  default: {},
  small: { batchSize: 16, imageSize: 16, backboneWidth: 8 },
};

interface Args { engine: EngineName; config: string; mode: string; warmup: number; steps: number; profile: boolean; inputGrad: InputGradPolicy; sets: Record<string, string> }

function parseArgs(argv: string[]): Args {
  const a: Args = { engine: 'wasm', config: 'default', mode: 'hard', warmup: 1, steps: 3, profile: false, inputGrad: 'auto', sets: {} };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${k} needs a value`);
      return x;
    };
    if (k === '--engine') a.engine = v() as EngineName;
    else if (k === '--config') a.config = v();
    else if (k === '--mode') a.mode = v();
    else if (k === '--warmup') a.warmup = Number(v());
    else if (k === '--steps') a.steps = Number(v());
    else if (k === '--profile') a.profile = true;
    else if (k === '--input-grad') a.inputGrad = v() as InputGradPolicy;
    else if (k === '--set') {
      const [key, val] = v().split('=');
      a.sets[key!] = val ?? '';
    } else throw new Error(`unknown argument ${k}`);
  }
  if (!(a.config in BENCH_CONFIGS)) throw new Error(`--config must be one of ${Object.keys(BENCH_CONFIGS).join(', ')}`);
  return a;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  tf.env().set('PROD', true);
  setWasmInputGradPolicy(args.inputGrad);
  const engine = await selectEngine(args.engine, { isStrict: true });
  if (engine.name !== args.engine) throw new Error(`asked for ${args.engine}, got ${engine.name}: ${engine.fallbackReason}`);
  const [mode, every] = args.mode.split('@');
  const overrides = { ...BENCH_CONFIGS[args.config], hvpMode: mode as HvpMode, hvpEvery: Number(every ?? 1), knnEvery: 0 };
  const checked = validateConfig(args.sets, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64, ...overrides });
  if (checked.issues.length) throw new Error(checked.issues.map((i) => i.message).join(' '));
  const config = checked.config;
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset);
  for (let i = 0; i < args.warmup; i++) await trainer.readStepMetrics(trainer.trainStep());
  const msPerStep: number[] = [];
  let loss = NaN;
  for (let i = 0; i < args.steps; i++) {
    const t0 = performance.now();
    const m = await trainer.readStepMetrics(trainer.trainStep()); // the step's work is synchronous on CPU engines
    msPerStep.push(performance.now() - t0);
    loss = m.loss;
  }
  let profile: { kernel: string; ms: number; calls: number }[] | undefined;
  let profileByShape: { kernel: string; inputShapes: string; ms: number; calls: number }[] | undefined;
  if (args.profile) {
    // Nested kernels (a custom op's inner kernels) are listed under their own names too.
    const byName = new Map<string, { ms: number; calls: number }>();
    const byShape = new Map<string, { ms: number; calls: number }>();
    const info = await tf.profile(async () => trainer.releaseStep(trainer.trainStep()));
    for (const k of info.kernels) {
      const ms = Number(k.kernelTimeMs) || 0;
      for (const [map, key] of [[byName, k.name], [byShape, `${k.name}\t${JSON.stringify(k.inputShapes)}`]] as const) {
        const e = map.get(key) ?? { ms: 0, calls: 0 };
        e.ms += ms;
        e.calls += 1;
        map.set(key, e);
      }
    }
    profile = [...byName].map(([kernel, e]) => ({ kernel, ...e })).sort((p, q) => q.ms - p.ms);
    profileByShape = [...byShape].map(([key, e]) => {
      const [kernel, inputShapes] = key.split('\t') as [string, string];
      return { kernel, inputShapes, ...e };
    }).sort((p, q) => q.ms - p.ms).slice(0, 40);
  }
  const med = median(msPerStep);
  const out = {
    engine: engine.name, detail: engine.description, config: args.config, mode: args.mode, batchSize: config.batchSize, imageSize: config.imageSize,
    backboneWidth: config.backboneWidth, numViews: config.numViews, msPerStep, minMs: Math.min(...msPerStep), medianMs: med,
    imagesPerSec: (1000 * config.batchSize) / med, lastLoss: loss, profile, profileByShape,
  };
  trainer.dispose();
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => {
  process.stderr.write(`cpuStepBench: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
