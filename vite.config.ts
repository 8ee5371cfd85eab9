// Vite config: the React app, the training Web Worker (ES module), the bench page and the
// GPU-kernel conformance harness page (used by e2e/kernels.spec.ts).
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        bench: resolve(import.meta.dirname, 'bench/index.html'),
        kernels: resolve(import.meta.dirname, 'harness/kernels.html'),
        viewKernel: resolve(import.meta.dirname, 'harness/viewKernel.html'),
        pairKernel: resolve(import.meta.dirname, 'harness/pairKernel.html'),
      },
    },
  },
  server: { port: 5173 },
  preview: { port: 4173 },
});
