#!/usr/bin/env node
// Which WebGPU adapter Dawn (the `webgpu` package) gives Node on this machine, as JSON: the adapter the CLI's
// `--backend webgpu` will use (src/cli/dawn.ts asks for 'high-performance' too). Used by bench/gpu/run.sh,
// where the package sits in the carried runtime, so its entry file is passed as a path.
// Usage: node bench/gpu/dawnProbe.mjs PATH/TO/webgpu/index.js OUT.json [--expect-gpu]
// Exit codes: 0 an adapter; 1 none (or Dawn failed to load); 3 --expect-gpu and the adapter is a software one.
// Must not import: anything of the app (it runs without node_modules).
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [webgpuPath, outFile, flag] = process.argv.slice(2);
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|mock/i;
const out = { env: { VK_DRIVER_FILES: process.env.VK_DRIVER_FILES ?? null, LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ?? null }, node: process.version };
let code = 0;
try {
  const { create, globals } = await import(pathToFileURL(webgpuPath).href);
  Object.assign(globalThis, globals);
  const gpu = create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('Dawn found no adapter (no usable Vulkan driver: check VK_DRIVER_FILES and libvulkan.so.1)');
  const i = adapter.info ?? {};
  out.adapter = { vendor: i.vendor, architecture: i.architecture, device: i.device, description: i.description, isFallbackAdapter: adapter.isFallbackAdapter ?? i.isFallbackAdapter ?? null };
  out.features = [...adapter.features].sort();
  out.limits = { maxBufferSize: adapter.limits.maxBufferSize, maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxComputeInvocationsPerWorkgroup: adapter.limits.maxComputeInvocationsPerWorkgroup };
  const text = `${i.vendor} ${i.architecture} ${i.description}`;
  if (flag === '--expect-gpu' && (SOFTWARE.test(text) || out.adapter.isFallbackAdapter)) {
    out.error = `a GPU was expected but Dawn gives a software adapter: ${text}`;
    code = 3;
  }
} catch (e) {
  out.error = e instanceof Error ? e.message : String(e);
  code = 1;
}
writeFileSync(outFile, JSON.stringify(out, null, 2));
console.log(`dawn: ${out.adapter ? `${out.adapter.vendor} / ${out.adapter.architecture} / ${out.adapter.description}` : 'no adapter'}${out.error ? ` — ${out.error}` : ''}`);
process.exit(code);
