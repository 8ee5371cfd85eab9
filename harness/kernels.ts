/**
 * GPU conformance harness page (harness/kernels.html, built by vite; driven by e2e/kernels.spec.ts):
 * runs our WebGPU kernels next to their core references on tfjs's WebGPU backend and publishes
 * `window.__kernelResults` (per check: name, max abs err, tolerance, pass) plus the adapter info.
 * Must not import: worker/, ui/.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { registerGpuKernels } from '../src/gpu/register';
import { booleanCheck, type KernelResults } from './compare';
import { runConvChecks } from './convChecks';
import { runOptimizerChecks } from './optimizerChecks';

declare global {
  interface Window {
    __kernelResults?: KernelResults;
  }
}

function render(results: KernelResults): void {
  const rows = results.checks
    .map(
      (c) =>
        `<tr class="${c.pass ? 'pass' : 'fail'}"><td>${c.pass ? 'PASS' : 'FAIL'}</td><td>${c.name}</td>` +
        `<td>${c.maxAbsErr.toExponential(2)}</td><td>${c.tolerance.toExponential(2)}</td><td>${c.note}</td></tr>`,
    )
    .join('');
  const out = document.getElementById('out')!;
  out.innerHTML =
    `<p>backend: ${results.backend}; adapter: ${JSON.stringify(results.adapter)}; ` +
    `${results.elapsedMs?.toFixed(0)} ms</p>` +
    (results.error ? `<pre class="fail">${results.error}</pre>` : '') +
    (results.gpuErrors.length ? `<pre class="fail">${results.gpuErrors.join('\n')}</pre>` : '') +
    `<table><tr><th></th><th>check</th><th>max abs err</th><th>tolerance</th><th>note</th></tr>${rows}</table>`;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const results: KernelResults = { done: false, backend: '', adapter: null, checks: [], gpuErrors: [] };
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) {
      const { vendor, architecture, device, description } = adapter.info;
      results.adapter = { vendor, architecture, device, description };
    }
    const ok = await tf.setBackend('webgpu');
    await tf.ready();
    results.backend = tf.getBackend();
    if (!ok || !(tf.backend() instanceof WebGPUBackend)) throw new Error('The WebGPU backend did not initialise');
    const backend = tf.backend() as WebGPUBackend;
    backend.device.addEventListener('uncapturederror', (e) => {
      results.gpuErrors.push((e as GPUUncapturedErrorEvent).error.message);
    });
    registerGpuKernels();
    results.checks.push(...(await runOptimizerChecks()));
    results.checks.push(...(await runConvChecks()));
    await backend.device.queue.onSubmittedWorkDone();
    results.checks.push(
      booleanCheck('no uncaptured WebGPU errors', results.gpuErrors.length === 0, results.gpuErrors.join(' | ')),
    );
  } catch (e) {
    results.error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e);
  }
  results.elapsedMs = performance.now() - t0;
  results.done = true;
  window.__kernelResults = results;
  render(results);
}

void main();
