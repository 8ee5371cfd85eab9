/**
 * The worker's engine, chosen by core/engine/selectEngine (the one place that calls setBackend): the
 * preferred one first, then webgpu → webgl on a hardware GPU → wasm → cpu, recording why each better
 * one was skipped. wasm loads its .wasm builds from URLs Vite emits and runs threaded SIMD with
 * navigator.hardwareConcurrency threads when the page is cross-origin isolated (COOP/COEP, vite.config.ts).
 * Watches the WebGPU device for loss and uncaptured errors and reports them through `onGpuFault`.
 * Must not import: ui/, DOM (WebWorker globals only).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../core/config/runConfig';
import { isSoftwareRenderer, selectEngine } from '../core/engine/selectEngine';
import { hardwareThreads, probeWebGpu } from '../core/env';
import type { BackendInfo } from './protocol';

function describeWebGpu(): string {
  const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }).adapterInfo;
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0);
  return parts.length > 0 ? parts.join(' · ') : 'unknown adapter';
}

/** Initialises the first engine that works, starting from `preferred`. */
export async function initBackend(preferred: BackendName, onGpuFault: (message: string) => void): Promise<BackendInfo> {
  const engine = await selectEngine(preferred, {
    prepareWebGpu: probeWebGpu, // gpu/register's kernels were registered by the worker entry
    describeWebGpu,
    wasmPaths: {
      'tfjs-backend-wasm.wasm': wasmPlainUrl,
      'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
      'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
    },
    numThreads: hardwareThreads() ?? undefined,
  });
  if (engine.name === 'webgpu') watchDevice(onGpuFault);
  const isSoftware = (engine.name === 'webgpu' || engine.name === 'webgl') && isSoftwareRenderer(engine.description);
  return { name: engine.name, adapter: engine.description, fallbackReason: engine.fallbackReason, isSoftware };
}

function watchDevice(onGpuFault: (message: string) => void): void {
  const device = (tf.backend() as WebGPUBackend).device;
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed') onGpuFault(`The GPU device was lost (${info.reason || 'unknown reason'}: ${info.message}).`);
  });
  device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    const kind = err instanceof GPUOutOfMemoryError ? 'out of GPU memory' : 'a WebGPU error';
    onGpuFault(`The GPU reported ${kind}: ${err.message}`);
  });
}
