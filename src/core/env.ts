/**
 * The ONE capability probe: where the code runs and whether WebGPU is there.
 * Everything else asks this module instead of touching navigator/process/self directly.
 * Must not import: tfjs, DOM types beyond globalThis lookups.
 */

interface GpuNavigator {
  gpu?: { requestAdapter(options?: unknown): Promise<unknown | null> };
}

const g = globalThis as unknown as {
  navigator?: GpuNavigator & { hardwareConcurrency?: number };
  process?: { versions?: { node?: string } };
  WorkerGlobalScope?: unknown;
  importScripts?: unknown;
  crossOriginIsolated?: boolean;
};

/** True under Node.js. */
export const isNode = typeof g.process?.versions?.node === 'string';

/** True inside a Web Worker. */
export const isWorker = typeof g.WorkerGlobalScope !== 'undefined' && typeof g.importScripts === 'function';

/** True in a cross-origin-isolated page or worker (COOP/COEP served): SharedArrayBuffer, so wasm threads. */
export function isCrossOriginIsolated(): boolean {
  return g.crossOriginIsolated === true;
}

/** Logical processors the browser reports (navigator.hardwareConcurrency), or null where unknown (Node). */
export function hardwareThreads(): number | null {
  const n = g.navigator?.hardwareConcurrency;
  return typeof n === 'number' && n > 0 ? n : null;
}

/** Why WebGPU cannot be used here, or null when an adapter was found. */
export async function probeWebGpu(): Promise<string | null> {
  const gpu = g.navigator?.gpu;
  if (!gpu) return 'this browser exposes no navigator.gpu (WebGPU is disabled or unsupported; Chrome 113+ on a supported GPU has it)';
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return 'navigator.gpu.requestAdapter() returned no adapter (the GPU is blocklisted or WebGPU is disabled in chrome://flags)';
  } catch (e) {
    return `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}`;
  }
  return null;
}
