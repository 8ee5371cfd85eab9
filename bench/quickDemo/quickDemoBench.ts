/**
 * Quick demo benchmark: how long the Quick demo preset (core/config/presets/quickDemo.ts) takes on
 * an engine in Node until HVP's signature shows, as the IoU panel shows it — the running lowest-IoU
 * hit rate (all images so far) at least 1.5× chance, and the running mean IoU of the chosen pairs
 * below the running mean IoU of all pairs — measured from the trainer's creation (the first step's
 * compile included). Runs the real trainer the app and the CLI run, on the built-in shapes, and
 * prints one JSON line per run plus a summary line.
 *
 * Usage: node $(node bench/cpu/bundle.mjs bench/quickDemo/quickDemoBench.ts) [--engine wasm|cpu] [--steps 200] [--seeds 0,1,2]
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_CONFIG } from '../../src/core/config/runConfig';
import { quickDemoConfig } from '../../src/core/config/presets/quickDemo';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { selectEngine, type EngineName } from '../../src/core/engine/selectEngine';
import { createTrainer } from '../../src/core/train/trainer';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const engine = arg('--engine', 'wasm') as EngineName;
const maxSteps = Number(arg('--steps', '200'));
const seeds = arg('--seeds', '0').split(',').map(Number);

await selectEngine(engine, { isStrict: true });
const results = [];
for (const seed of seeds) {
  const config = { ...quickDemoConfig(DEFAULT_CONFIG), seed };
  const chance = 1 / ((config.numViews * (config.numViews - 1)) / 2);
  const t0 = performance.now();
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset);
  let hits = 0;
  let sel = 0;
  let all = 0;
  let signatureStep: number | null = null;
  let signatureMs: number | null = null;
  for (let s = 0; s < maxSteps; s++) {
    const m = await trainer.readStepMetrics(trainer.trainStep());
    hits += m.lowestIouHitRate;
    sel += m.selectedIou;
    all += m.meanIou;
    const n = s + 1;
    if (signatureStep === null && n >= 10 && hits / n >= 1.5 * chance && sel < all) {
      signatureStep = n;
      signatureMs = performance.now() - t0;
    }
  }
  const totalMs = performance.now() - t0;
  trainer.dispose();
  const r = {
    engine, seed, steps: maxSteps, chance, runningHitRate: hits / maxSteps, selectedIou: sel / maxSteps, meanIou: all / maxSteps,
    signatureStep, signatureSeconds: signatureMs === null ? null : signatureMs / 1000, totalSeconds: totalMs / 1000, msPerStep: totalMs / maxSteps,
  };
  results.push(r);
  console.log(JSON.stringify(r));
}
console.log(`quick demo on ${engine} (${tf.getBackend()}): signature at steps ${results.map((r) => r.signatureStep).join(', ')}, after ${results.map((r) => r.signatureSeconds?.toFixed(1) ?? 'never').join(', ')} s; ${maxSteps} steps take ${results.map((r) => r.totalSeconds.toFixed(1)).join(', ')} s`);
