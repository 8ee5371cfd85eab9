#!/usr/bin/env node
// Runs a benchmark page of the production build in headless Chromium with WebGPU and prints
// its JSON results. Usage (after `npm run build`):
//   node bench/runBench.mjs [page=bench/index.html] [query] [--out file.json]
// e.g. node bench/runBench.mjs bench/index.html "steps=3&warmup=1&modes=off,hard"
// BENCH_DIST (default dist) and BENCH_PORT (default 4179) serve another build on another port.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { chromium } from '@playwright/test';

const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const outFile = outIdx >= 0 ? args.splice(outIdx, 2)[1] : null;
const page = args[0] ?? 'bench/index.html';
const query = args[1] ?? '';
const port = Number(process.env.BENCH_PORT ?? 4179);
const dist = process.env.BENCH_DIST ?? 'dist';
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const extraArgs = (process.env.CHROMIUM_ARGS ?? '').split(' ').filter(Boolean);

// Own process group, so cleanup kills vite and not only its launcher.
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { stdio: 'ignore', detached: true });
const cleanup = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch { /* already gone */ }
};
process.on('exit', cleanup);
try {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--enable-unsafe-webgpu', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
  const tab = await browser.newPage();
  tab.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  const t0 = Date.now();
  await tab.goto(`http://127.0.0.1:${port}/${page}?${query}`);
  await tab.waitForFunction(() => window.__benchResults !== undefined, null, { timeout: 0, polling: 1000 });
  const results = await tab.evaluate(() => window.__benchResults);
  await browser.close();
  const out = { page, query, wallSeconds: (Date.now() - t0) / 1000, chromium: chromiumPath, date: new Date().toISOString(), ...results };
  console.log(JSON.stringify(out, null, 2));
  if (outFile) writeFileSync(outFile, JSON.stringify(out, null, 2));
  if (results.error) process.exitCode = 1;
} finally {
  cleanup();
}
