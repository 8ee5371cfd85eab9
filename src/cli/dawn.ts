/**
 * WebGPU in Node through Dawn (the `webgpu` package): installs `navigator.gpu` and the WebGPU
 * globals (GPUBufferUsage, …) that tfjs-backend-webgpu expects, and asks for an adapter. Must run
 * before '@tensorflow/tfjs-backend-webgpu' is first imported: that package registers its backend
 * only when navigator.gpu exists at import time.
 * Dawn's Vulkan loader complains on stderr when XDG_RUNTIME_DIR is unset or invalid (harmless); a
 * private runtime directory is provided then to keep the output clean.
 * Must not import: tfjs, gpu/, worker/, ui/.
 */
import { lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An adapter, or why there is none. */
export type DawnResult = { gpu: GPU; adapter: GPUAdapter; description: string } | { gpu: null; reason: string };

/** Points XDG_RUNTIME_DIR at a private 0700 directory when it is unset or not a usable directory. */
function ensureRuntimeDir(): void {
  const current = process.env.XDG_RUNTIME_DIR;
  if (current && isPrivateDir(current)) return;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  const dir = join(tmpdir(), `hvp-cli-runtime-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch {
    // Exists already (ours from an earlier run, or someone else's): used only if private and ours.
  }
  process.env.XDG_RUNTIME_DIR = isPrivateDir(dir, uid) ? dir : mkdtempSync(join(tmpdir(), 'hvp-cli-runtime-'));
}

function isPrivateDir(path: string, uid?: number): boolean {
  try {
    const st = lstatSync(path);
    return st.isDirectory() && (st.mode & 0o077) === 0 && (uid === undefined || st.uid === uid);
  } catch {
    return false;
  }
}

/** "vendor · architecture · description" of an adapter. */
function describe(adapter: GPUAdapter): string {
  const info = adapter.info as Partial<GPUAdapterInfo> | undefined;
  const parts = [info?.vendor, info?.architecture, info?.description].filter((s): s is string => Boolean(s));
  return parts.length ? parts.join(' · ') : 'unknown adapter';
}

/** Loads Dawn, installs navigator.gpu and the WebGPU globals, and requests a high-performance adapter. */
export async function installDawn(): Promise<DawnResult> {
  ensureRuntimeDir();
  let mod: { create(options: string[]): GPU; globals: object };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    return { gpu: null, reason: `the webgpu package (Dawn) could not be loaded on ${process.platform}-${process.arch}: ${e instanceof Error ? e.message : String(e)}` };
  }
  let gpu: GPU;
  try {
    gpu = mod.create([]);
  } catch (e) {
    return { gpu: null, reason: `Dawn could not start: ${e instanceof Error ? e.message : String(e)}` };
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { gpu: null, reason: `requesting a WebGPU adapter failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (!adapter) return { gpu: null, reason: 'Dawn found no GPU adapter (no Vulkan, Metal or Direct3D 12 driver for a GPU on this machine)' };
  Object.assign(globalThis, mod.globals);
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu, userAgent: `node/${process.versions.node}` }, configurable: true });
  return { gpu, adapter, description: describe(adapter) };
}
