// Shared check of a GPU-kernel conformance page (harness/*.html of the production build): opens it, waits
// for its results on `window[resultsKey]`, logs every check, and asserts backend 'webgpu', no harness
// error, no WebGPU errors, the expected number of checks, every check passed, and no WebGPU console error.
import { expect, type Page } from '@playwright/test';
import type { KernelResults } from '../harness/compare';

/** Runs the conformance page `path` and asserts its results (see the file header). */
export async function expectKernelHarnessPasses(
  page: Page,
  opts: { path: string; resultsKey: string; numChecks: number; timeoutMs: number },
): Promise<void> {
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(e.message));
  await page.goto(opts.path);
  await page.waitForFunction(
    (key) => (window as unknown as Record<string, KernelResults | undefined>)[key]?.done === true,
    opts.resultsKey,
    { timeout: opts.timeoutMs, polling: 500 },
  );
  const results = await page.evaluate((key) => (window as unknown as Record<string, KernelResults>)[key]!, opts.resultsKey);
  console.log(`adapter: ${JSON.stringify(results.adapter)}; ${results.elapsedMs?.toFixed(0)} ms`);
  for (const c of results.checks) {
    console.log(`${c.pass ? 'PASS' : 'FAIL'} ${c.name}: max abs err ${c.maxAbsErr.toExponential(2)} (tolerance ${c.tolerance.toExponential(2)})`);
  }
  expect(results.error, 'harness threw').toBeUndefined();
  expect(results.backend).toBe('webgpu');
  expect(results.gpuErrors).toEqual([]);
  expect(results.checks.length).toBe(opts.numChecks);
  for (const c of results.checks) expect.soft(c.pass, `${c.name}: ${c.maxAbsErr} vs ${c.tolerance} (${c.note})`).toBe(true);
  expect(consoleErrors.filter((t) => /webgpu|wgsl|shader|pipeline|bind ?group/i.test(t))).toEqual([]);
}
