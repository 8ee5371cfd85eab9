#!/usr/bin/env node
// Starts the headless CLI (`npm run cli -- <command> …`, src/cli/main.ts). Node cannot run the
// TypeScript sources, so they are bundled with Vite (a devDependency, installed by `npm install`)
// into node_modules/.cache/hvp-cli/<stamp>/main.mjs, where <stamp> hashes the path, size and mtime
// of every source file the CLI can reach (src/cli, src/core, src/gpu) plus package.json and this
// script. A build runs only when that stamp has no bundle yet (about a second); otherwise the bundle
// starts at once. Builds go to a temporary directory renamed into place, so concurrent starts never
// see a half-written bundle. Dependencies (tfjs, webgpu) stay external and load from node_modules.
// Usage: node scripts/cli.mjs [--build-only] <command> [options]
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = resolve(import.meta.dirname, '..');
const cacheDir = join(root, 'node_modules', '.cache', 'hvp-cli');
const SOURCE_DIRS = ['src/cli', 'src/core', 'src/gpu'];
const EXTRA_FILES = ['package.json', 'scripts/cli.mjs'];
/** Bundles of other stamps older than this are removed after a build. */
const STALE_MS = 60 * 60 * 1000;

/** Hash of (path, size, mtime) of every input file. */
function sourceStamp() {
  const lines = [];
  const add = (file) => {
    const st = statSync(file);
    lines.push(`${relative(root, file)}\t${st.size}\t${st.mtimeMs}`);
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (/\.(ts|tsx|mjs|js|json)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) add(p);
    }
  };
  for (const d of SOURCE_DIRS) walk(join(root, d));
  for (const f of EXTRA_FILES) add(join(root, f));
  return createHash('sha256').update(lines.sort().join('\n')).digest('hex').slice(0, 16);
}

/** Builds the bundle for `stamp` unless it exists; returns the entry file. */
async function ensureBuilt(stamp) {
  const dir = join(cacheDir, stamp);
  const entry = join(dir, 'main.mjs');
  if (existsSync(entry)) return entry;
  const t0 = performance.now();
  process.stderr.write('Building the CLI bundle (once per source change)… ');
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${dir}.tmp-${process.pid}`;
  const { build } = await import('vite');
  try {
    await build({
      configFile: false,
      root,
      logLevel: 'warn',
      publicDir: false,
      build: {
        ssr: 'src/cli/main.ts',
        outDir: tmp,
        emptyOutDir: true,
        target: 'node20',
        minify: false,
        sourcemap: true,
        reportCompressedSize: false,
        rollupOptions: { output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
      },
    });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(entry)) throw e; // another start finished the same build first: use that one
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  for (const name of readdirSync(cacheDir)) {
    const p = join(cacheDir, name);
    if (name !== stamp && Date.now() - statSync(p).mtimeMs > STALE_MS) rmSync(p, { recursive: true, force: true });
  }
  process.stderr.write(`done in ${((performance.now() - t0) / 1000).toFixed(1)} s.\n`);
  return entry;
}

const buildOnly = process.argv[2] === '--build-only';
let entry;
try {
  entry = await ensureBuilt(sourceStamp());
} catch (e) {
  process.stderr.write(`\nerror: building the CLI failed: ${e instanceof Error ? e.message : String(e)}. Run \`npm install\` (Vite is a devDependency), then try again.\n`);
  process.exit(1);
}
if (buildOnly) {
  process.stdout.write(`${entry}\n`);
} else {
  process.setSourceMapsEnabled(true);
  await import(pathToFileURL(entry).href); // main.mjs reads process.argv.slice(2) and exits
}
