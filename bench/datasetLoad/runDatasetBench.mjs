#!/usr/bin/env node
// Dataset load benchmark runner: writes a CIFAR-10-style cifar-10-binary.tar.gz of N images
// (5 data batches, pseudo-natural pixels: smooth gradients plus noise, so gzip behaves roughly as
// on real photos), serves a production build, opens bench/datasetLoad/ in headless Chromium, hands
// the archive to the page's file input (a disk-backed File, as when a user picks it), and samples
// the resident memory (VmRSS from /proc) of every Chromium process every 100 ms. Prints JSON: the
// page's times plus the peak memory of the renderer (page + dataset worker) and of all Chromium
// processes together (browser process = IndexedDB backend, GPU, utilities) in each phase.
// Linux only (/proc). Usage, after `npx vite build --outDir <dist>`:
//   BENCH_DIST=<dist> node bench/datasetLoad/runDatasetBench.mjs [--images 50000] [--size 32] [--out file.json]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const numImages = Number(opt('images', 50000));
const size = Number(opt('size', 32));
const outFile = opt('out', null);
const dist = process.env.BENCH_DIST ?? 'dist';
const port = Number(process.env.BENCH_PORT ?? 4193);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// --- the archive -------------------------------------------------------------------------------
function tarEntry(name, data) {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  const octal = (v, len, at) => h.write(v.toString(8).padStart(len - 1, '0') + '\0', at, len, 'ascii');
  octal(0o644, 8, 100);
  octal(0, 8, 108);
  octal(0, 8, 116);
  octal(data.length, 12, 124);
  octal(0, 12, 136);
  h.write('        ', 148, 8, 'ascii');
  h.write('0', 156, 1, 'ascii');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 8, 'ascii');
  return [h, data, Buffer.alloc((512 - (data.length % 512)) % 512)];
}

function cifarBatch(n, seed) {
  const out = Buffer.alloc(n * 3073);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    const o = i * 3073;
    out[o] = i % 10;
    const gx = (i * 7) % 5, gy = (i * 13) % 7, base = (i * 37) % 160;
    for (let c = 0; c < 3; c++) {
      for (let p = 0; p < 1024; p++) {
        s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
        out[o + 1 + c * 1024 + p] = (base + gx * (p & 31) + gy * (p >> 5) + c * 20 + ((s >>> 0) & 15)) & 0xff;
      }
    }
  }
  return out;
}

const dir = join(tmpdir(), 'hvp-dataset-bench');
mkdirSync(dir, { recursive: true });
const archive = join(dir, `cifar-10-binary-${numImages}.tar.gz`);
if (!existsSync(archive)) {
  const perBatch = Math.ceil(numImages / 5);
  const parts = [];
  for (let b = 0; b < 5; b++) {
    const n = Math.min(perBatch, numImages - b * perBatch);
    if (n > 0) parts.push(...tarEntry(`cifar-10-batches-bin/data_batch_${b + 1}.bin`, cifarBatch(n, b + 1)));
  }
  parts.push(Buffer.alloc(1024));
  writeFileSync(archive, gzipSync(Buffer.concat(parts), { level: 6 }));
}

// --- memory sampling ---------------------------------------------------------------------------
function processTable() {
  const table = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      table.push({ pid: Number(name), ppid });
    } catch { /* gone */ }
  }
  return table;
}

/** Chromium processes below this Node process: { pid, type, rssKb, hwmKb }. */
function chromiumMemory() {
  const table = processTable();
  const kids = new Map();
  for (const p of table) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p.pid]);
  const found = [];
  const stack = [process.pid];
  while (stack.length) {
    const pid = stack.pop();
    for (const k of kids.get(pid) ?? []) {
      stack.push(k);
      try {
        const cmd = readFileSync(`/proc/${k}/cmdline`, 'utf8');
        if (!cmd.includes('chrom')) continue;
        const status = readFileSync(`/proc/${k}/status`, 'utf8');
        const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
        const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
        found.push({ pid: k, type, rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') });
      } catch { /* gone */ }
    }
  }
  return found;
}

// --- run ---------------------------------------------------------------------------------------
const server = spawn('npx', ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort', '--outDir', dist], { stdio: 'ignore', detached: true });
const cleanup = () => {
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch { /* already gone */ }
};
process.on('exit', cleanup);
const samples = [];
let timer = null;
try {
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) break;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 200));
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--js-flags=--expose-gc'],
  });
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'error') console.error('[page]', m.text()); });
  await page.goto(`http://127.0.0.1:${port}/bench/datasetLoad/index.html?size=${size}`);
  await page.waitForTimeout(1000);
  const baseline = chromiumMemory();
  timer = setInterval(() => {
    const procs = chromiumMemory();
    samples.push({ t: Date.now(), rssKb: new Map(procs.map((p) => [p.pid, p.rssKb])), totalKb: procs.reduce((a, p) => a + p.rssKb, 0) });
  }, 100);
  await page.locator('#file').setInputFiles(archive);
  await page.waitForFunction(() => window.__benchResults !== undefined, null, { timeout: 0, polling: 500 });
  clearInterval(timer);
  const results = await page.evaluate(() => window.__benchResults);
  const hwm = chromiumMemory();
  await browser.close();

  const mb = (kb) => Math.round(kb / 1024);
  // The page's renderer (it also hosts the dataset worker) is the renderer that peaked highest.
  const renderer = hwm.filter((p) => p.type === 'renderer').sort((a, b) => b.hwmKb - a.hwmKb)[0];
  const rendererKb = (s) => s.rssKb.get(renderer?.pid) ?? 0;
  const peakIn = ([from, to], of) => mb(Math.max(0, ...samples.filter((s) => s.t >= from - 100 && s.t <= to + 100).map(of)));
  const out = {
    date: new Date().toISOString(),
    archive,
    archiveMB: Math.round(readFileSync(archive).length / 2 ** 20),
    ...results,
    memoryMB: results.phases ? {
      baselineRenderer: mb(baseline.find((p) => p.pid === renderer?.pid)?.rssKb ?? 0),
      baselineTotal: mb(baseline.reduce((a, p) => a + p.rssKb, 0)),
      importPeakRenderer: peakIn(results.phases.import, rendererKb),
      importPeakTotal: peakIn(results.phases.import, (s) => s.totalKb),
      loadPeakRenderer: peakIn(results.phases.load, rendererKb),
      loadPeakTotal: peakIn(results.phases.load, (s) => s.totalKb),
      rendererHighWaterMark: mb(renderer?.hwmKb ?? 0),
      numSamples: samples.length,
      numChromiumProcesses: hwm.length,
    } : undefined,
  };
  console.log(JSON.stringify(out, null, 2));
  if (outFile) writeFileSync(outFile, JSON.stringify(out, null, 2));
  if (results.error) process.exitCode = 1;
} finally {
  if (timer) clearInterval(timer);
  cleanup();
}
