#!/usr/bin/env node
// Builds what bench/gpu/prepare.sh packs for a machine that has no node_modules:
//   node bench/gpu/build.mjs site OUTDIR   the benchmark pages the GPU run opens (bench/index.html and,
//                                          when it exists, bench/dispatch/index.html), as `vite build`
//                                          builds them for dist/ but without the app and the harness pages;
//   node bench/gpu/build.mjs cli OUTDIR    the CLI (src/cli/main.ts) as ONE self-contained ES module set
//                                          (tfjs inlined), so it runs with only the `webgpu` package (Dawn)
//                                          beside it; scripts/cli.mjs keeps tfjs external instead.
// Uses Vite from node_modules (a devDependency); runs here, never on the GPU machine.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const [what, outArg] = process.argv.slice(2);
if (!['site', 'cli'].includes(what) || !outArg) {
  console.error('usage: node bench/gpu/build.mjs site|cli OUTDIR');
  process.exit(2);
}
const outDir = resolve(outArg);

if (what === 'site') {
  // Same settings as vite.config.ts for these pages (ES2022, ES-module workers), fewer inputs.
  const pages = ['bench/index.html', 'bench/dispatch/index.html'].filter((p) => existsSync(join(root, p)));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    worker: { format: 'es' },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      chunkSizeWarningLimit: 8000,
      reportCompressedSize: false,
      rollupOptions: { input: Object.fromEntries(pages.map((p) => [p.replace(/[/.]/g, '-'), join(root, p)])) },
    },
  });
  console.log(`site: ${pages.join(', ')} -> ${outDir}`);
} else {
  // Everything inlined except Dawn (a native addon) and the wasm backend (its .wasm files would have to
  // travel too; `--backend wasm` is not part of the GPU run).
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    publicDir: false,
    ssr: { noExternal: true, external: ['webgpu', '@tensorflow/tfjs-backend-wasm'] },
    build: {
      ssr: 'src/cli/main.ts',
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: true,
      sourcemap: false,
      reportCompressedSize: false,
      rollupOptions: {
        external: ['webgpu', '@tensorflow/tfjs-backend-wasm', /^node:/],
        output: { entryFileNames: '[name].mjs', chunkFileNames: '[name]-[hash].mjs' },
      },
    },
  });
  console.log(`cli: src/cli/main.ts -> ${join(outDir, 'main.mjs')}`);
}
