// Bundles a TypeScript bench entry for Node with Vite (as scripts/cli.mjs bundles the CLI) into
// node_modules/.cache/hvp-bench/<name>.mjs and returns that path. Dependencies stay external.
// Usage: import { bundleForNode } from './bundle.mjs'; const file = await bundleForNode('bench/cpu/cpuStepBench.ts');
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** Builds `entry` (path relative to the repo root) and returns the bundle's absolute path. */
export async function bundleForNode(entry) {
  const outDir = join(root, 'node_modules', '.cache', 'hvp-bench', basename(entry).replace(/\.ts$/, ''));
  const { build } = await import('vite');
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    build: {
      ssr: entry,
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      reportCompressedSize: false,
      rollupOptions: { output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' } },
    },
  });
  return join(outDir, basename(entry).replace(/\.ts$/, '.mjs'));
}

// `node bench/cpu/bundle.mjs ENTRY.ts` prints the bundle path.
if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  console.log(await bundleForNode(process.argv[2]));
}
