#!/usr/bin/env node
// CPU engines side by side: our training step on wasm (tfjs-backend-wasm, single-threaded SIMD in
// Node) and on the tfjs CPU backend (cpuStepBench.ts), and the same model and step in PyTorch
// (torchStep.py, Debian's python3-torch, 1 thread), for the default and the small config, HVP off and
// hard. Contenders ALTERNATE within every round (wasm, cpu, pytorch, then the next mode/config), so load
// drift on a shared machine hits each alike; each run is a fresh process with its own warm-up.
// Prints a Markdown table (ms/step min and median over all timed steps, images/s, × PyTorch, HVP
// overhead = hard ÷ off) and writes the raw runs and the summary as JSON.
//
// Usage: node bench/cpu/run.mjs [--rounds R] [--configs small,default] [--modes off,hard]
//          [--engines wasm,cpu,pytorch] [--steps S] [--cpu-steps S] [--out FILE]
// e.g.   node bench/cpu/run.mjs --rounds 3 --out bench/results/cpu-engines.json
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleForNode } from './bundle.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const rounds = Number(opt('rounds', 2));
const configs = opt('configs', 'small,default').split(',');
const modes = opt('modes', 'off,hard').split(',');
const engines = opt('engines', 'wasm,cpu,pytorch').split(',');
const steps = Number(opt('steps', 4));
/** The tfjs CPU backend takes ~40–80 s a default step: fewer steps there. */
const cpuSteps = Number(opt('cpu-steps', 1));
const out = opt('out', null);
const python = process.env.PYTHON ?? '/usr/bin/python3';

const entry = await bundleForNode('bench/cpu/cpuStepBench.ts');

/** One contender's run: a fresh process, its JSON line. */
function runOnce(engine, config, mode) {
  const n = engine === 'cpu' && config === 'default' ? cpuSteps : steps;
  const [cmd, argv] = engine === 'pytorch'
    ? [python, ['bench/cpu/torchStep.py', '--config', config, '--mode', mode, '--warmup', '1', '--steps', String(n), '--threads', '1']]
    : [process.execPath, [entry, '--engine', engine, '--config', config, '--mode', mode, '--warmup', '1', '--steps', String(n)]];
  const r = spawnSync(cmd, argv, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  if (r.status !== 0) throw new Error(`${engine} ${config} ${mode} failed (${r.status}): ${r.stderr}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).at(-1);
  return JSON.parse(line);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = [];
const t0 = Date.now();
for (let r = 0; r < rounds; r++) {
  for (const config of configs) {
    for (const mode of modes) {
      for (const engine of engines) {
        const res = runOnce(engine, config, mode);
        runs.push({ round: r, engine, config, mode, msPerStep: res.msPerStep, batchSize: res.batchSize, detail: res.detail ?? res.torch });
        process.stderr.write(`round ${r + 1}/${rounds} ${config} ${mode} ${engine}: ${res.msPerStep.map((x) => Math.round(x)).join(', ')} ms\n`);
      }
    }
  }
}

const summary = [];
for (const config of configs) {
  for (const mode of modes) {
    for (const engine of engines) {
      const mine = runs.filter((x) => x.engine === engine && x.config === config && x.mode === mode);
      const all = mine.flatMap((x) => x.msPerStep);
      summary.push({ config, mode, engine, batchSize: mine[0].batchSize, numSteps: all.length, minMs: Math.min(...all), medianMs: median(all) });
    }
  }
}
for (const s of summary) {
  const torch = summary.find((x) => x.config === s.config && x.mode === s.mode && x.engine === 'pytorch');
  const off = summary.find((x) => x.config === s.config && x.mode === 'off' && x.engine === s.engine);
  s.imagesPerSec = (1000 * s.batchSize) / s.medianMs;
  s.vsPytorchMedian = torch ? s.medianMs / torch.medianMs : null;
  s.vsPytorchMin = torch ? s.minMs / torch.minMs : null;
  s.hvpOverheadMedian = off && s.mode !== 'off' ? s.medianMs / off.medianMs : null;
}

const f = (x, d = 0) => (x == null ? '' : x.toFixed(d));
const lines = ['| config | HVP | engine | ms/step min | ms/step median | images/s | × PyTorch (median / min) | × HVP off (median) |', '|---|---|---|---|---|---|---|---|'];
for (const s of summary) {
  lines.push(`| ${s.config} | ${s.mode} | ${s.engine} | ${f(s.minMs)} | ${f(s.medianMs)} | ${f(s.imagesPerSec, 1)} | ${s.vsPytorchMedian == null ? '' : `${f(s.vsPytorchMedian, 2)} / ${f(s.vsPytorchMin, 2)}`} | ${f(s.hvpOverheadMedian, 2)} |`);
}
console.log(lines.join('\n'));
const result = { date: new Date().toISOString(), command: `node bench/cpu/run.mjs ${args.join(' ')}`.trim(), node: process.version, rounds, steps, cpuSteps, wallSeconds: (Date.now() - t0) / 1000, summary, runs };
if (out) writeFileSync(resolve(root, out), `${JSON.stringify(result, null, 2)}\n`);
