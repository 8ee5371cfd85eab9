/**
 * The CLI's tfjs backend: `auto` takes WebGPU through Dawn when an adapter exists (with our WGSL
 * kernels and the fused optimizer from gpu/register) and otherwise the tfjs CPU backend, saying why;
 * `webgpu` fails without an adapter; `cpu` never tries the GPU. Watches the GPU device for loss and
 * uncaptured errors. Unless verbose, tfjs's console advice (e.g. "install tfjs-node") is silenced.
 * Must not import: worker/, ui/, gpu/ except gpu/register.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainerOptions } from '../core/train/trainer';
import { CliError } from './cliError';
import { installDawn } from './dawn';

/** --backend values. */
export type BackendPreference = 'auto' | 'webgpu' | 'cpu';
export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'cpu'];

/** The backend in use. */
export interface CliBackend {
  name: 'webgpu' | 'cpu';
  /** Adapter ("vendor · architecture · description") or "JavaScript CPU". */
  description: string;
  /** Why WebGPU was not used (auto only), else null. */
  fallbackReason: string | null;
  /** Options for createTrainer on this backend (the fused WebGPU optimizer, or none). */
  trainerOptions: TrainerOptions;
}

/** One line saying which backend runs and why. */
export function describeBackend(b: CliBackend): string {
  if (b.name === 'webgpu') return `Backend: WebGPU through Dawn (${b.description}).`;
  return `Backend: tfjs CPU${b.fallbackReason ? ` (WebGPU unavailable: ${b.fallbackReason})` : ' (--backend cpu)'}.`;
}

/**
 * Initialises the backend for `preference`. `onGpuFault` hears of a lost device or an uncaptured
 * WebGPU error (e.g. out of memory) while the run goes on.
 */
export async function initCliBackend(preference: BackendPreference, opts: { isVerbose: boolean; onGpuFault: (message: string) => void }): Promise<CliBackend> {
  if (!opts.isVerbose) tf.env().set('PROD', true); // only silences tfjs's console warnings
  let reason: string | null = null;
  if (preference !== 'cpu') {
    const dawn = await installDawn();
    if (dawn.gpu) {
      try {
        const gpuRegister = await import('../gpu/register'); // after navigator.gpu exists: registers 'webgpu'
        gpuRegister.registerGpuKernels();
        if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error("tf.setBackend('webgpu') returned false");
        await tf.ready();
        watchDevice(opts.onGpuFault);
        return { name: 'webgpu', description: dawn.description, fallbackReason: null, trainerOptions: gpuRegister.createGpuTrainerOptions() };
      } catch (e) {
        reason = `the WebGPU backend failed to start on ${dawn.description}: ${e instanceof Error ? e.message : String(e)}`;
      }
    } else reason = dawn.reason;
    if (preference === 'webgpu') {
      throw new CliError(`--backend webgpu was requested, but ${reason}.`, 'Install or update the GPU driver (Vulkan on Linux), or run with --backend auto or cpu.');
    }
  }
  if (!(await tf.setBackend('cpu'))) throw new CliError('The tfjs CPU backend could not be started.', 'Reinstall the dependencies with `npm install`.');
  await tf.ready();
  return { name: 'cpu', description: 'JavaScript CPU', fallbackReason: reason, trainerOptions: {} };
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
