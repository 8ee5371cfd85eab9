// Old checkpoints still load and resume, the second half of the refactor safety net (issue 15): tiny
// .safetensors checkpoints written before the refactor (tests/fixtures/checkpoints/, 3 steps done)
// must decode (decodeCheckpoint), match the built-in dataset they were trained on (fingerprint),
// build a trainer from their snapshot, and take 2 more steps with bit-identical losses, selection
// scores, chosen candidates and final weight / optimizer-state hashes as the `.expected.json` beside
// each, which records what the run that wrote the file did in those 2 steps (tfjs CPU backend).
//
// Fixtures: SimSiam and BYOL on resnet10 (SGD; LARS and the EMA target), DINO on resnet10 (AdamW,
// teacher, center, locals), iBOT on the ViT (masks, patch head, drop_path).
// Regenerate ONLY if the checkpoint format is changed on purpose; new files prove nothing about old
// ones. UPDATE_CHECKPOINT_FIXTURES=1 npx vitest run tests/checkpointFixtures.test.ts (refused under
// CI=true; it checks that each new file resumes exactly before writing it).
// Time (vitest Duration): 8–9 s on this 2-core machine while another CI run held the load at ~9
// (10–12 s wall); the 4 resumes themselves take 4–5 s.
// Must not import: DOM, gpu/, worker/, ui/.
import * as tf from '@tensorflow/tfjs';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../src/core/checkpoint/checkpointFile';
import type { RunConfig } from '../src/core/config/runConfig';
import { validateConfig } from '../src/core/config/schema';
import { generateBuiltinDataset } from '../src/core/data/builtinDataset';
import { fingerprintDataset, fingerprintMismatch } from '../src/core/data/fingerprint';
import { createRng, deriveSeed } from '../src/core/random';
import type { StepMetrics } from '../src/core/train/metrics';
import { createTrainer } from '../src/core/train/trainer';
import { APP_VERSION } from '../src/core/version';
import { hashTrainer, isUpdating, readJsonFixture, recordSteps, writeJsonFixture, type GoldenStep } from './helpers/goldenSteps';
import { tinyConfig } from './helpers/tinyConfig';

const DIR = fileURLToPath(new URL('./fixtures/checkpoints/', import.meta.url));
/** Steps in the file, and steps taken after resuming. */
const STEPS_BEFORE = 3;
const STEPS_AFTER = 2;
const isUpdate = isUpdating('UPDATE_CHECKPOINT_FIXTURES');

/** What resuming a fixture must give. */
interface ResumeExpectation {
  about: string;
  checkpoint: string;
  resumeFromStep: number;
  steps: GoldenStep[];
  final: { modelHash: string; optimizerHash: string };
}

/** Configs the fixtures were written with (used only when regenerating; the file holds its config). */
const common = (o: Partial<RunConfig>): RunConfig => tinyConfig({
  numTrainImages: 16, numTestImages: 10, numKnnBankImages: 16, numProbeImages: 2, imageSize: 8, batchSize: 4,
  backboneWidth: 2, projDim: 8, predHiddenDim: 4, numViews: 4, totalSteps: 20, warmupSteps: 2, seed: 11, datasetSeed: 5, ...o,
});
const multiCrop: Partial<RunConfig> = {
  numLocalViews: 2, localSize: 4, comboCap: 8, dinoOutDim: 16, dinoHiddenDim: 8, dinoBottleneckDim: 4, learningRate: 0.005,
  teacherTempWarmup: 0.02, teacherTemp: 0.04, teacherTempWarmupSteps: 4, freezeLastLayerEpochs: 1, emaMomentum: 0.9,
};
const FIXTURES: Array<[string, RunConfig]> = [
  ['simsiam-resnet10-hard-step3', common({ method: 'simsiam', hvpMode: 'hard' })],
  ['byol-resnet10-random-step3', common({ method: 'byol', hvpMode: 'random', emaMomentum: 0.9 })],
  ['dino-resnet10-hard-step3', common({ method: 'dino', hvpMode: 'hard', ...multiCrop })],
  ['ibot-vit-hard-step3', common({
    method: 'ibot', hvpMode: 'hard', backbone: 'vit', ...multiCrop, vitPatchSize: 4, vitDim: 8, vitDepth: 2, vitHeads: 2,
    vitDropPath: 0.1, maskRatio: 0.3, patchOutDim: 8,
  })],
];

const datasetFor = (c: RunConfig) => generateBuiltinDataset({ seed: c.datasetSeed, numTrain: c.numTrainImages, numTest: c.numTestImages });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Trains STEPS_BEFORE steps, writes the checkpoint, continues STEPS_AFTER steps and writes what they gave. */
async function writeFixture(name: string, config: RunConfig): Promise<void> {
  expect(validateConfig(config).issues).toEqual([]);
  const data = datasetFor(config);
  const trainer = createTrainer(config, data);
  const metrics: StepMetrics[] = [];
  await recordSteps(trainer, STEPS_BEFORE, (m) => metrics.push(m));
  const bytes = encodeCheckpoint({
    appVersion: APP_VERSION, createdAt: new Date().toISOString(), config, probeRng: createRng(deriveSeed(config.seed, 'probe')).getState(),
    dataset: fingerprintDataset(data), history: { metrics, knn: [], evaluations: [] }, backend: tf.getBackend(),
  }, await trainer.snapshot());
  const steps = await recordSteps(trainer, STEPS_AFTER);
  const final = await hashTrainer(trainer);
  trainer.dispose();
  // The file must resume to exactly what the writing run did, or it is no fixture.
  const { snapshot } = decodeCheckpoint(bytes, name);
  const resumed = createTrainer(config, data, { resumeFrom: snapshot });
  expect(await recordSteps(resumed, STEPS_AFTER)).toEqual(steps);
  expect(await hashTrainer(resumed)).toEqual(final);
  resumed.dispose();
  mkdirSync(DIR, { recursive: true });
  writeFileSync(`${DIR}${name}.safetensors`, bytes);
  const expectation: ResumeExpectation = {
    about: `What the run that wrote ${name}.safetensors did in its next ${STEPS_AFTER} steps (tests/checkpointFixtures.test.ts).`,
    checkpoint: `${name}.safetensors`, resumeFromStep: STEPS_BEFORE, steps, final,
  };
  writeJsonFixture(`${DIR}${name}.expected.json`, expectation, 2);
}

describe('checkpoints written before the refactor load and resume exactly (tfjs cpu)', () => {
  it.each(FIXTURES)('%s', async (name, config) => {
    if (isUpdate) {
      await writeFixture(name, config);
      return;
    }
    const how = 'The checkpoint fixtures are committed; regenerate them only for an intended format change (UPDATE_CHECKPOINT_FIXTURES=1).';
    const expected = readJsonFixture<ResumeExpectation>(`${DIR}${name}.expected.json`, how);
    const bytes = new Uint8Array(readFileSync(`${DIR}${expected.checkpoint}`));
    const { record, snapshot } = decodeCheckpoint(bytes, expected.checkpoint);
    expect(record.progress.step).toBe(expected.resumeFromStep);
    expect(record.history.metrics.map((m) => m.step)).toEqual(Array.from({ length: expected.resumeFromStep }, (_, i) => i + 1));
    const data = datasetFor(record.config);
    expect(fingerprintMismatch(record.dataset, fingerprintDataset(data))).toBeNull();
    const trainer = createTrainer(record.config, data, { resumeFrom: snapshot });
    expect(trainer.step).toBe(expected.resumeFromStep);
    const steps = await recordSteps(trainer, expected.steps.length);
    const final = await hashTrainer(trainer);
    trainer.dispose();
    steps.forEach((s, i) => expect(s, `${name}, step ${expected.resumeFromStep + i + 1}`).toEqual(expected.steps[i]));
    expect(final, `${name}: state after step ${expected.resumeFromStep + expected.steps.length}`).toEqual(expected.final);
  });
});
