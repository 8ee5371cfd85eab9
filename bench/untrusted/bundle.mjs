// Bundles TypeScript modules of a source tree for plain Node with Vite (an SSR build: packages in
// node_modules stay external), so the untrusted-file bench can run the importers of this tree or of
// an older checkout (measure.mjs --src) in child processes. The output goes under this checkout's
// node_modules/.cache, so the bundles find fflate, pngjs and jpeg-js. Returns the output folder.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { join, resolve } from 'node:path';

const cacheDir = resolve(import.meta.dirname, '../../node_modules/.cache');

/** Builds `entries` ({ name: path relative to `root` }) into a temporary folder of `<name>.mjs`. */
export async function bundle(root, entries) {
  const { build } = await import('vite');
  mkdirSync(cacheDir, { recursive: true });
  const outDir = mkdtempSync(join(cacheDir, 'hvp-untrusted-'));
  const input = Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, resolve(root, path)]));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      ssr: true,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: { input, output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
    },
  });
  return outDir;
}
