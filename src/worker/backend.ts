/**
 * Chooses and initialises the tfjs backend inside the worker: the preferred one first, then
 * webgpu → webgl → cpu, recording why each better one was skipped. Watches the WebGPU device
 * for loss and uncaptured errors and reports them through `onGpuFault`.
 * Must not import: ui/, DOM (WebWorker globals only).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BACKEND_NAMES, type BackendName } from '../core/config/runConfig';
import { probeWebGpu } from '../core/env';
import type { BackendInfo } from './protocol';

function describeAdapter(name: BackendName): string {
  if (name === 'webgpu') {
    const info = (tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string; description?: string } }).adapterInfo;
    const parts = [info?.vendor, info?.architecture, info?.description].filter((s) => s && s.length > 0);
    return parts.length > 0 ? parts.join(' · ') : 'unknown adapter';
  }
  if (name === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGL2RenderingContext } }).gpgpu?.gl;
    return gl ? String(gl.getParameter(gl.RENDERER)) : 'WebGL';
  }
  return 'JavaScript CPU';
}

/** Initialises the first backend that works, starting from `preferred`. */
export async function initBackend(preferred: BackendName, onGpuFault: (message: string) => void): Promise<BackendInfo> {
  const order = BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(preferred)); // e.g. webgl → [webgl, cpu]
  const reasons: string[] = [];
  for (const name of order) {
    if (name === 'webgpu') {
      const why = await probeWebGpu();
      if (why) {
        reasons.push(`WebGPU: ${why}`);
        continue;
      }
    }
    try {
      const ok = await tf.setBackend(name);
      await tf.ready();
      if (!ok || tf.getBackend() !== name) throw new Error(`tf.setBackend('${name}') returned false`);
      if (name === 'webgpu') watchDevice(onGpuFault);
      return { name, adapter: describeAdapter(name), fallbackReason: reasons.length > 0 ? reasons.join('; ') : null };
    } catch (e) {
      reasons.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`No tfjs backend could be initialised (${reasons.join('; ')})`);
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
