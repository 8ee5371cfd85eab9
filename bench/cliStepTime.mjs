#!/usr/bin/env node
// Summarises the step time of a CLI run: pipe `npm run cli -- train … --json --quiet` into it.
// Prints the wall-clock ms of the first step (pipeline compilation on WebGPU) and the mean and median
// of the others, from the `wallMsPerStep` of each metrics line (GPU work and readback included).
let text = '';
process.stdin.setEncoding('utf8').on('data', (d) => (text += d)).on('end', () => {
  const steps = text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((o) => o.type === 'metrics');
  if (steps.length < 2) {
    console.error(`cliStepTime: need at least 2 metrics lines (log every step, --json), got ${steps.length}`);
    process.exit(1);
  }
  const rest = steps.slice(1).map((s) => s.wallMsPerStep).sort((a, b) => a - b);
  const mean = rest.reduce((a, b) => a + b, 0) / rest.length;
  console.log(JSON.stringify({ steps: steps.length, firstStepMs: Math.round(steps[0].wallMsPerStep), meanMsPerStep: Math.round(mean), medianMsPerStep: Math.round(rest[Math.floor(rest.length / 2)]) }));
});
