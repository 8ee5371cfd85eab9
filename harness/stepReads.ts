/**
 * Counts GPU→CPU reads of one training step on tfjs's WebGPU backend with our kernels registered
 * (driven by e2e/stepReads.spec.ts). Every readback on WebGPU ends in GPUBuffer.mapAsync, so that
 * is spied on, together with the backend's read/readSync entry points. A queued step (trainStep)
 * must read nothing; the throttled metric read (readStepMetrics) may read its few scalars.
 * Publishes `window.__stepReads`.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { DEFAULT_CONFIG, type RunConfig } from '../src/core/config/runConfig';
import { generateBuiltinDataset } from '../src/core/data/builtinDataset';
import { createTrainer } from '../src/core/train/trainer';
import { createGpuTrainerOptions, registerGpuKernels } from '../src/gpu/register';

/** mapAsync: buffer maps (every async readback); read: backend.read calls; readSync: readSync of
 * GPU-resident data (tfjs reads it through a canvas, not mapAsync); cpuReads: readSync of data that
 * tfjs kept on the CPU (small uploads it forwards to CPU kernels) — no GPU round trip. */
interface ReadCounts { mapAsync: number; read: number; readSync: number; cpuReads: number }
declare global {
  interface Window {
    __stepReads?: { backend: string; kernels: string[]; queuedStep: ReadCounts; metricRead: ReadCounts; hvpModes: string[]; error?: string };
  }
}

const counts: ReadCounts = { mapAsync: 0, read: 0, readSync: 0, cpuReads: 0 };
const snapshot = (): ReadCounts => ({ ...counts });
const diff = (a: ReadCounts, b: ReadCounts): ReadCounts => ({ mapAsync: b.mapAsync - a.mapAsync, read: b.read - a.read, readSync: b.readSync - a.readSync, cpuReads: b.cpuReads - a.cpuReads });

async function main(): Promise<void> {
  await tf.setBackend('webgpu');
  await tf.ready();
  const kernels = registerGpuKernels();
  const origMap = GPUBuffer.prototype.mapAsync;
  GPUBuffer.prototype.mapAsync = function (...args: Parameters<GPUBuffer['mapAsync']>) {
    counts.mapAsync += 1;
    return origMap.apply(this, args);
  };
  const backend = tf.backend() as unknown as {
    read: (...a: unknown[]) => unknown;
    readSync: (dataId: object) => unknown;
    tensorMap: { get(dataId: object): { values?: unknown } | undefined };
  };
  const origRead = backend.read.bind(backend);
  const origReadSync = backend.readSync.bind(backend);
  backend.read = (...a) => ((counts.read += 1), origRead(...a));
  backend.readSync = (dataId) => {
    if (backend.tensorMap.get(dataId)?.values != null) counts.cpuReads += 1;
    else counts.readSync += 1;
    return origReadSync(dataId);
  };

  const config: RunConfig = { ...DEFAULT_CONFIG, numTrainImages: 32, numTestImages: 8, numKnnBankImages: 32, imageSize: 16, batchSize: 8, backboneWidth: 4, projDim: 32, predHiddenDim: 8, knnK: 5, numProbeImages: 2, hvpMode: 'hard', numViews: 4 };
  const dataset = generateBuiltinDataset({ seed: 1, numTrain: config.numTrainImages, numTest: config.numTestImages });
  const trainer = createTrainer(config, dataset, createGpuTrainerOptions());
  await trainer.readStepMetrics(trainer.trainStep()); // warm-up: compiles pipelines
  const before = snapshot();
  const pending = trainer.trainStep();
  await (tf.backend() as unknown as { device: GPUDevice }).device.queue.onSubmittedWorkDone();
  const afterStep = snapshot();
  await trainer.readStepMetrics(pending);
  const afterRead = snapshot();
  trainer.dispose();
  window.__stepReads = { backend: tf.getBackend(), kernels, queuedStep: diff(before, afterStep), metricRead: diff(afterStep, afterRead), hvpModes: [config.hvpMode] };
  document.getElementById('out')!.textContent = JSON.stringify(window.__stepReads, null, 2);
}

main().catch((e) => {
  window.__stepReads = { backend: tf.getBackend(), kernels: [], queuedStep: counts, metricRead: counts, hvpModes: [], error: String(e instanceof Error ? e.stack : e) };
  document.getElementById('out')!.textContent = String(e);
});
