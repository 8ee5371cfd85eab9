#!/usr/bin/env node
// Peak memory and CPU time of importing crafted untrusted dataset files (craft.mjs), one child
// process per file (importChild.mjs), through the importers of this checkout or of another source
// tree (--src, e.g. an older commit exported with `git archive`). Prints one JSON line per file.
// A child that runs past --timeout is killed; its peak memory is then the highest VmHWM the parent
// saw while polling /proc/<pid>/status.
// Usage: node bench/untrusted/measure.mjs [--src <tree>] [--timeout <s>] [--only <name>]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { bundle } from './bundle.mjs';
import { craftFiles } from './craft.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);
const here = resolve(import.meta.dirname, '../..');
const src = resolve(opt('src', here));
const timeoutS = Number(opt('timeout', 120));
const only = opt('only', null);

const formats = 'src/core/data/formats';
const genDir = await bundle(here, { crafted: `${formats}/testing/crafted.ts`, images: `${formats}/testing/images.ts`, rawFormats: `${formats}/testing/rawFormats.ts` });
const importDir = await bundle(src, { importFiles: `${formats}/importFiles.ts`, nodeImageDecoder: `${formats}/nodeImageDecoder.ts` });
const filesDir = mkdtempSync(join(tmpdir(), 'hvp-untrusted-files-'));
/** Runs the child on one file; resolves to its JSON result, or the outcome of a killed child. */
function runChild(file) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, 'importChild.mjs'), importDir, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let seenKb = 0;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const poll = setInterval(() => {
      const path = `/proc/${child.pid}/status`;
      const kb = existsSync(path) ? Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(path, 'utf8'))?.[1] ?? 0) : 0;
      seenKb = Math.max(seenKb, kb);
    }, 100);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code, signal) => {
      clearInterval(poll);
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line) return done(JSON.parse(line));
      const why = signal === 'SIGKILL' ? `killed after ${timeoutS} s` : `exit ${code ?? signal}: ${stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
      done({ peakMB: Math.round(seenKb / 1024), outcome: `${why} (peak seen while polling)` });
    });
  });
}

for (const [name, bytes] of await craftFiles(genDir, filesDir)) {
  if (only && name !== only) continue;
  const result = await runChild(join(filesDir, name));
  process.stdout.write(`${JSON.stringify({ file: name, inputBytes: bytes, ...result, outcome: String(result.outcome).slice(0, 400) })}\n`);
}
for (const dir of [genDir, importDir, filesDir]) rmSync(dir, { recursive: true, force: true });
