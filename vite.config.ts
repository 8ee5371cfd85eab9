// Vite config: the React app, the training Web Worker (ES module), the benchmark pages and the
// GPU-kernel conformance harness pages (used by e2e/*Kernel*.spec.ts); dev and preview servers send the
// cross-origin-isolation headers. Every html page under
// bench/ and harness/ is a build input, so a new benchmark or harness needs no config change.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = import.meta.dirname;

/** All .html files one or two levels under `dir`, keyed by a unique entry name. */
function htmlPages(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const base = resolve(root, dir);
  if (!existsSync(base)) return out;
  for (const entry of readdirSync(base, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.html')) out[`${dir}-${entry.name.replace(/\.html$/, '')}`] = join(base, entry.name);
    if (entry.isDirectory()) {
      for (const f of readdirSync(join(base, entry.name))) {
        if (f.endsWith('.html')) out[`${dir}-${entry.name}-${f.replace(/\.html$/, '')}`] = join(base, entry.name, f);
      }
    }
  }
  return out;
}

/**
 * Cross-origin isolation (COOP + COEP): gives the page SharedArrayBuffer, which the wasm engine needs
 * for threads (threaded SIMD with navigator.hardwareConcurrency threads). Static hosting must send the
 * same two headers (README "Serving a build").
 */
export const CROSS_ORIGIN_ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Minifier settings that keep tfjs-backend-wasm's threaded build working: its pthread workers run
 * `factory.toString()`, which reads the closure variable `_scriptDir` by name behind a typeof guard, so
 * that name must survive mangling ("e is not defined" in every wasm thread otherwise) and the guard must
 * survive compression (which drops it for a variable it sees declared: "_scriptDir is not defined").
 * Without compression the bundles are ~15 % larger; they are served locally.
 */
const WASM_SAFE_MINIFY = { compress: false, mangle: { reserved: ['_scriptDir'] } };

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es', rolldownOptions: { output: { minify: WASM_SAFE_MINIFY } } },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rolldownOptions: {
      input: { main: resolve(root, 'index.html'), ...htmlPages('bench'), ...htmlPages('harness') },
      output: { minify: WASM_SAFE_MINIFY },
    },
  },
  server: { port: 5173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
  preview: { port: 4173, headers: CROSS_ORIGIN_ISOLATION_HEADERS },
});
