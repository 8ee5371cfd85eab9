/**
 * Cost of the per-view augmentation log (`--log-views`, the Analysis panel's window) in Node:
 * the real trainer (createTrainer, the code the app and the CLI run) on one engine, steps read
 * without and with the view log ALTERNATING (plain, logged, plain, …) so load drift on a shared
 * machine hits both alike. A logged step adds the read of its [M, C] candidate scores, building the
 * rows (hvp/viewLog.ts) and formatting them as CSV (what the CLI appends); `rowsMs` times that CPU
 * part alone. Prints one JSON line.
 *
 * Usage: node $(node bench/cpu/bundle.mjs bench/viewLog/viewLogBench.ts) [--engine wasm|cpu] [--rounds R] [--set key=value …]
 * Must not import: gpu/, worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import { viewLogCsvRows } from '../../src/core/analysis/viewLogRow';
import { DEFAULT_CONFIG } from '../../src/core/config/runConfig';
import { validateConfig } from '../../src/core/config/schema';
import { generateBuiltinDataset } from '../../src/core/data/builtinDataset';
import { selectEngine, type EngineName } from '../../src/core/engine/selectEngine';
import { viewLogRows } from '../../src/core/hvp/viewLog';
import { createTrainer } from '../../src/core/train/trainer';

const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1]! : fallback;
};
const sets: Record<string, string> = {};
argv.forEach((a, i) => {
  if (a === '--set') {
    const [k, v] = argv[i + 1]!.split('=');
    sets[k!] = v ?? '';
  }
});
const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  tf.env().set('PROD', true);
  const engineName = opt('engine', 'wasm') as EngineName;
  const rounds = Number(opt('rounds', '4'));
  const engine = await selectEngine(engineName, { isStrict: true });
  const checked = validateConfig({ hvpMode: 'hard', knnEvery: 0, ...sets }, { ...DEFAULT_CONFIG, numTrainImages: 1024, numTestImages: 64 });
  if (checked.issues.length) throw new Error(checked.issues.map((i) => i.message).join(' '));
  const config = checked.config;
  const dataset = generateBuiltinDataset({ seed: config.datasetSeed, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset);
  await trainer.readStepMetrics(trainer.trainStep()); // warm-up
  const plain: number[] = [], logged: number[] = [], rowsMs: number[] = [];
  let numRows = 0, csvBytes = 0;
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    await trainer.readStepMetrics(trainer.trainStep());
    plain.push(performance.now() - t0);
    t0 = performance.now();
    const { viewLog } = await trainer.readStepMetrics(trainer.trainStep(), { withViewLog: true });
    const t1 = performance.now();
    const rows = viewLogRows(viewLog!);
    const csv = viewLogCsvRows(rows);
    const t2 = performance.now();
    logged.push(t2 - t0);
    rowsMs.push(t2 - t1);
    numRows = rows.length;
    csvBytes = csv.length;
  }
  trainer.dispose();
  const p = median(plain), l = median(logged);
  console.log(JSON.stringify({
    engine: engine.name, batchSize: config.batchSize, numViews: config.numViews, rounds,
    plainMsMedian: +p.toFixed(1), loggedMsMedian: +l.toFixed(1), overheadPct: +((100 * (l - p)) / p).toFixed(1),
    rowsAndCsvMsMedian: +median(rowsMs).toFixed(2), rowsPerStep: numRows, csvBytesPerStep: csvBytes,
  }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
