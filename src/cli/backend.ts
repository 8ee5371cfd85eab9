/**
 * The CLI's engine, chosen by core/engine/selectEngine (the one place that calls setBackend): `auto`
 * takes WebGPU through Dawn when an adapter exists (with our WGSL kernels and the fused optimizer from
 * gpu/register), else wasm (tfjs-backend-wasm, single-threaded SIMD in Node), else the tfjs CPU
 * backend, saying why; `webgpu` and `wasm` fail when that engine cannot start; `cpu` never tries the
 * others. Watches the GPU device for loss and uncaptured errors. Unless verbose, tfjs's console advice
 * (e.g. "install tfjs-node") is silenced.
 * Must not import: worker/, ui/, gpu/ except gpu/register.
 */
import * as tf from '@tensorflow/tfjs';
import { EngineError, selectEngine, type EngineHooks, type EngineName } from '../core/engine/selectEngine';
import type { TrainerOptions } from '../core/train/trainer';
import { CliError } from './cliError';
import { installDawn } from './dawn';

/** --backend values. */
export type BackendPreference = 'auto' | 'webgpu' | 'wasm' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm', 'cpu'];

/** The backend in use. */
export interface CliBackend {
  name: Exclude<EngineName, 'webgl'>;
  /** Adapter ("vendor · architecture · description"), for wasm "SIMD, 1 thread (…)", or "JavaScript CPU". */
  description: string;
  /** Why the engines before this one were not used (auto only), else null. */
  fallbackReason: string | null;
  /** Options for createTrainer on this backend (the fused WebGPU optimizer, or none). */
  trainerOptions: TrainerOptions;
}

/** One line saying which backend runs and why. */
export function describeBackend(b: CliBackend): string {
  if (b.name === 'webgpu') return `Backend: WebGPU through Dawn (${b.description}).`;
  if (b.name === 'wasm') return `Backend: wasm, ${b.description}${b.fallbackReason ? `; not the GPU because ${b.fallbackReason}` : ''}.`;
  return `Backend: tfjs CPU (${b.fallbackReason ?? '--backend cpu'}).`;
}

/** What to do when a requested engine cannot start. */
const ADVICE: Record<'webgpu' | 'wasm', string> = {
  webgpu: 'Install or update the GPU driver (Vulkan on Linux), or run with --backend auto, wasm or cpu.',
  wasm: 'Reinstall the dependencies with `npm install` (the .wasm files ship in @tensorflow/tfjs-backend-wasm), or run with --backend cpu.',
};

/**
 * Initialises the backend for `preference`. `onGpuFault` hears of a lost device or an uncaptured
 * WebGPU error (e.g. out of memory) while the run goes on.
 */
export async function initCliBackend(preference: BackendPreference, opts: { isVerbose: boolean; onGpuFault: (message: string) => void }): Promise<CliBackend> {
  if (!opts.isVerbose) tf.env().set('PROD', true); // only silences tfjs's console warnings
  let dawnDescription = '';
  let gpuOptions: TrainerOptions = {};
  const hooks: EngineHooks = {
    prepareWebGpu: async () => {
      const dawn = await installDawn();
      if (!dawn.gpu) return dawn.reason;
      dawnDescription = dawn.description;
      try {
        const gpuRegister = await import('../gpu/register'); // after navigator.gpu exists: registers 'webgpu'
        gpuRegister.registerGpuKernels();
        gpuOptions = gpuRegister.createGpuTrainerOptions();
      } catch (e) {
        return `the WebGPU backend failed to start on ${dawn.description}: ${e instanceof Error ? e.message : String(e)}`;
      }
      return null;
    },
    describeWebGpu: () => dawnDescription,
    isStrict: preference !== 'auto',
  };
  let engine;
  try {
    engine = await selectEngine(preference === 'auto' ? 'webgpu' : preference, hooks);
  } catch (e) {
    if (!(e instanceof EngineError)) throw e;
    if (preference === 'auto' || preference === 'cpu') throw new CliError(`${e.message}.`, 'Reinstall the dependencies with `npm install`.');
    throw new CliError(`--backend ${preference} was requested, but ${e.reason}.`, ADVICE[preference]);
  }
  if (engine.name === 'webgl') throw new CliError('WebGL is not available in Node.', 'Run with --backend auto.');
  if (engine.name === 'webgpu') watchDevice(opts.onGpuFault);
  return { name: engine.name, description: engine.description, fallbackReason: engine.fallbackReason, trainerOptions: engine.name === 'webgpu' ? gpuOptions : {} };
}

function watchDevice(onGpuFault: (message: string) => void): void {
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') onGpuFault(`The GPU device was lost (${info.reason || 'unknown reason'}: ${info.message}).`);
  });
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    const kind = typeof GPUOutOfMemoryError !== 'undefined' && err instanceof GPUOutOfMemoryError ? 'out of GPU memory' : 'a WebGPU error';
    onGpuFault(`The GPU reported ${kind}: ${err.message}`);
  });
}
