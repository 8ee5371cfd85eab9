// Child process of measure.mjs: imports one file through importFiles (the bundle given) as the CLI
// would (Node image decoder, image size 32) and prints one JSON line: the outcome, the peak
// resident memory and the CPU time. Peak memory is VmHWM of /proc/self/status (Linux): Linux
// carries a spawned child's ru_maxrss (process.resourceUsage().maxRSS) over from the parent's
// memory at fork, so maxRSS is reported too but reads at least the parent's size.
// Usage: node importChild.mjs <bundle dir> <file>
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dir, file] = process.argv.slice(2);
const { importFiles } = await import(pathToFileURL(join(dir, 'importFiles.mjs')).href);
const { nodeImageDecoder } = await import(pathToFileURL(join(dir, 'nodeImageDecoder.mjs')).href);
const bytes = new Uint8Array(readFileSync(file));
const t0 = performance.now();
let outcome;
try {
  const r = await importFiles([{ path: basename(file), bytes }], { size: 32, decodeImage: nodeImageDecoder });
  outcome = `imported ${r.set.numImages} images, ${r.classNames.length} classes; skipped: ${r.skipped.map((s) => `${s.path}: ${s.reason}`).join(' | ') || 'none'}`;
} catch (e) {
  outcome = `${e?.name}: ${e?.message}`;
}
const usage = process.resourceUsage();
const status = existsSync('/proc/self/status') ? readFileSync('/proc/self/status', 'utf8') : '';
const hwmKb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
process.stdout.write(`${JSON.stringify({ peakMB: Math.round(hwmKb / 1024), maxRssMB: Math.round(usage.maxRSS / 1024), cpuS: +((usage.userCPUTime + usage.systemCPUTime) / 1e6).toFixed(2), wallS: +((performance.now() - t0) / 1000).toFixed(2), outcome })}\n`);
