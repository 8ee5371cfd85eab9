/**
 * The ONE place where the tfjs backend ("engine") is chosen and started, for the worker, the CLI, tests
 * and benches. Order: WebGPU → WebGL on a hardware GPU → wasm → cpu, starting from the preferred engine;
 * every engine that is skipped adds a reason, so the caller can say why it runs where it runs.
 *
 * - webgpu: only when the caller's `prepareWebGpu` hook finds an adapter (the worker probes
 *   navigator.gpu, the CLI installs Dawn) and registers our WGSL kernels; core never imports gpu/.
 * - webgl: skipped in Node, and skipped when the renderer is a software one (SwiftShader, llvmpipe, …):
 *   wasm is faster than WebGL emulated on the CPU.
 * - wasm: tfjs-backend-wasm (loaded on demand, so merely importing this module leaves tfjs's default
 *   backend alone), with our kernels for what it lacks (wasmKernels.ts). Threaded SIMD in a
 *   cross-origin-isolated page, with `numThreads` threads; single-threaded SIMD in Node.
 * - cpu: tfjs's pure-JS backend, the reference.
 * Must not import: gpu/, worker/, ui/, DOM globals (the hooks bring what the environment has).
 */
import { UserError } from '../userError';
import * as tf from '@tensorflow/tfjs';
import { BACKEND_NAMES, type BackendName } from '../config/runConfig';
import { isCrossOriginIsolated, isNode } from '../env';
import { registerWasmKernels } from './wasmKernels';

/** Engines in fallback order (the config's backend choices). */
export const ENGINE_NAMES = BACKEND_NAMES;
export type EngineName = BackendName;

/** The engine that runs, and why the better ones do not. */
export interface EngineInfo {
  name: EngineName;
  /** Adapter / renderer, or for wasm e.g. "SIMD, 4 threads", or "JavaScript CPU". */
  description: string;
  /** wasm only: SIMD in use. */
  simd: boolean | null;
  /** wasm only: worker threads XNNPACK uses (1 = single-threaded). */
  numThreads: number | null;
  /** Why each engine before this one (from the preferred one) was skipped, or null. */
  fallbackReason: string | null;
}

/** What the environment brings; every hook is optional. */
export interface EngineHooks {
  /** Finds a WebGPU adapter and registers the backend and our kernels; returns why not, or null when ready. */
  prepareWebGpu?: () => Promise<string | null>;
  /** "vendor · architecture · description" of the WebGPU adapter in use. */
  describeWebGpu?: () => string;
  /** URLs of the three .wasm builds, keyed by their file names (the browser; Node finds them itself). */
  wasmPaths?: Record<string, string>;
  /** Threads for wasm (browser: navigator.hardwareConcurrency); used only where threads are possible. */
  numThreads?: number;
  /** Stop at this engine even if it fails (CLI `--backend wasm`): no further fallback. */
  isStrict?: boolean;
}

/** Raised when the requested engine (strict) or every engine failed to start. */
export class EngineError extends UserError {
  override name = 'EngineError';
  /** Why, without the engine's name (strict: the one engine's reason; else all of them). */
  readonly reason: string;
  constructor(message: string, reason: string) {
    super(message);
    this.reason = reason;
  }
}

/** Renderer strings of software (CPU-emulated) WebGL / Vulkan implementations. */
const SOFTWARE_RENDERER = /swiftshader|llvmpipe|softpipe|software|basic render driver|lavapipe/i;

/** True when a WebGL renderer string names a software rasterizer. */
export function isSoftwareRenderer(renderer: string): boolean {
  return SOFTWARE_RENDERER.test(renderer);
}

/** The WebGL renderer (unmasked where the browser allows) of the active webgl backend. */
function webGlRenderer(): string {
  type Gl = { getParameter(p: number): unknown; getExtension(name: string): { UNMASKED_RENDERER_WEBGL: number } | null; RENDERER: number };
  const gl = (tf.backend() as unknown as { gpgpu?: { gl?: Gl } }).gpgpu?.gl;
  if (!gl) return 'unknown WebGL renderer';
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  return String((ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : null) ?? gl.getParameter(gl.RENDERER));
}

/** Module surface of tfjs-backend-wasm that we use. */
interface WasmModule {
  setWasmPaths(paths: Record<string, string>): void;
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

let wasmModule: WasmModule | null = null;

async function startWasm(hooks: EngineHooks): Promise<Pick<EngineInfo, 'description' | 'simd' | 'numThreads'>> {
  if (!wasmModule) {
    wasmModule = (await import('@tensorflow/tfjs-backend-wasm')) as unknown as WasmModule;
    if (hooks.wasmPaths) wasmModule.setWasmPaths(hooks.wasmPaths);
    if (hooks.numThreads && hooks.numThreads > 0) wasmModule.setThreadsCount(hooks.numThreads);
  }
  registerWasmKernels();
  if (!(await tf.setBackend('wasm')) || tf.getBackend() !== 'wasm') throw new Error("tf.setBackend('wasm') returned false");
  await tf.ready();
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const threaded = Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'));
  const numThreads = threaded && simd ? wasmModule.getThreadsCount() : 1;
  let note = '';
  if (numThreads === 1 && !threaded) {
    note = ` (${isNode ? 'Node runs it single-threaded' : isCrossOriginIsolated() ? 'this browser has no WebAssembly threads' : 'the page is not cross-origin isolated'})`;
  } else if (hooks.numThreads && numThreads < hooks.numThreads) {
    // tfjs-backend-wasm caps its XNNPACK pool at half the logical processors (it assumes 2 per core), at most 8.
    note = ` (tfjs-backend-wasm uses at most half of the ${hooks.numThreads} logical processors)`;
  }
  const description = `${simd ? 'SIMD' : 'no SIMD'}, ${numThreads} thread${numThreads === 1 ? '' : 's'}${note}`;
  return { description, simd, numThreads };
}

/**
 * Starts the first engine that works, from `preferred` on (see the file header). Throws EngineError when
 * none does (or, with `hooks.isStrict`, when the preferred one does not).
 */
export async function selectEngine(preferred: EngineName, hooks: EngineHooks = {}): Promise<EngineInfo> {
  const order = ENGINE_NAMES.slice(ENGINE_NAMES.indexOf(preferred));
  const reasons: string[] = [];
  const done = (name: EngineName, rest: Omit<EngineInfo, 'name' | 'fallbackReason'>): EngineInfo =>
    ({ name, ...rest, fallbackReason: reasons.length > 0 ? reasons.join('; ') : null });
  for (const name of hooks.isStrict ? [preferred] : order) {
    try {
      if (name === 'webgpu') {
        const why = hooks.prepareWebGpu ? await hooks.prepareWebGpu() : 'WebGPU is not available here';

        if (why) {
          reasons.push(`WebGPU: ${why}`);
          continue;
        }
        if (!(await tf.setBackend('webgpu')) || tf.getBackend() !== 'webgpu') throw new Error("tf.setBackend('webgpu') returned false");
        await tf.ready();
        return done(name, { description: hooks.describeWebGpu?.() ?? 'WebGPU', simd: null, numThreads: null });
      }
      if (name === 'webgl') {
        if (isNode) continue; // never an option in Node: not worth a reason
        if (tf.findBackendFactory('webgl') == null) {
          reasons.push('WebGL: not available here');
          continue;
        }
        if (!(await tf.setBackend('webgl')) || tf.getBackend() !== 'webgl') throw new Error("tf.setBackend('webgl') returned false");
        await tf.ready();
        const renderer = webGlRenderer();
        if (isSoftwareRenderer(renderer)) {
          reasons.push(`WebGL: the renderer is software (${renderer}), slower than wasm`);
          continue;
        }
        return done(name, { description: renderer, simd: null, numThreads: null });
      }
      if (name === 'wasm') return done(name, await startWasm(hooks));
      if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') returned false");
      await tf.ready();
      return done(name, { description: 'JavaScript CPU', simd: null, numThreads: null });
    } catch (e) {
      reasons.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const reason = hooks.isStrict ? reasons.map((r) => r.replace(/^\w+: /, '')).join('; ') : reasons.join('; ');
  throw new EngineError(hooks.isStrict ? `The ${preferred} engine could not be started (${reason})` : `No engine could be started (${reason})`, reason);
}
