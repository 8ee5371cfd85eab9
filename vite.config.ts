// Vite config: the React app, the training Web Worker (ES module), the benchmark pages and the
// GPU-kernel conformance harness pages (used by e2e/*Kernel*.spec.ts). Every html page under
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

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: { main: resolve(root, 'index.html'), ...htmlPages('bench'), ...htmlPages('harness') },
    },
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
