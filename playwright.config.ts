// Playwright: e2e and GPU-kernel conformance tests in Debian's Chromium with real WebGPU
// (SwiftShader on machines without a GPU). Serves the production build (`npm run build` first).
import { defineConfig } from '@playwright/test';

// E2E_PORT / E2E_DIST let two engineers run specs side by side against their own build
// (`npx vite build --outDir dist-x`, then `E2E_PORT=4190 E2E_DIST=dist-x npx playwright test …`).
const port = Number(process.env.E2E_PORT ?? 4173);
const dist = process.env.E2E_DIST ?? 'dist';

export const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
];

/** Specs that must not share the machine with another spec (run last, one at a time). */
const ALONE = /runLeavesBrowser\.spec\.ts$/;

export default defineConfig({
  testDir: 'e2e',
  timeout: 8 * 60_000,
  // Generous: two specs share the CPU, and a software GPU's first step compiles every pipeline.
  expect: { timeout: 120_000 },
  fullyParallel: false,
  // Two spec files at a time (E2E_WORKERS to change): on a 2-core machine SwiftShader and the page
  // leave room for a second browser, about 1.35× faster over the suite (bench of 5 specs: 2.6 min
  // with 2 workers against 3.6 min with 1). Specs share nothing but the preview server.
  workers: Number(process.env.E2E_WORKERS ?? 2),
  // The torchrun spec runs alone, after the others: two PyTorch processes beside a second browser
  // on 2 cores made torchrun exit 1 after its last save (CI run of d342edc; it passes alone).
  projects: [
    { name: 'shared', testIgnore: ALONE },
    { name: 'alone', testMatch: ALONE, dependencies: ['shared'] },
  ],
  retries: 0,
  reporter: [['list']],
  outputDir: `test-results${dist === 'dist' ? '' : '-' + dist}`,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort --outDir ${dist}`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
