#!/usr/bin/env node
// Enforces the layer dependency rules of STYLE.md on src/ (core, gpu, worker, ui, cli):
// which layer may import which, which folder of core/ may import which (CORE_GROUPS), and which
// layers may import tfjs, zustand and recharts.
// Also finds import circles: files of src/ that import each other, directly or through others
// (the strongly connected components of the file import graph, Tarjan's algorithm).
// Prints every violation as file:line and every circle as its file list, and exits 1 if there are any.
//
// The circle graph has an edge for every static `import … from`, `import '…'` and `export … from`
// of a relative path that resolves to a .ts/.tsx file of src/ (tests included; they are leaves).
// Type-only imports count: they vanish at runtime, so they cannot cause init-order bugs, but a
// circle is a design problem first — neither file can be read, moved or tested without the other,
// and a type edge turns into a value edge with one edit. So a shared type goes into its own small
// file that both import, the same fix as for a shared value. Dynamic `import()` is not an edge: it
// is the one deliberate late link (cli/backend.ts loads gpu/register after navigator.gpu exists).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const layerOf = (file) => relative(src, file).split(/[\\/]/)[0];

/**
 * Inside core/, folders by idea from the bottom up; a file may import (values) from its own folder
 * and from folders of a lower group only. Type-only imports are free (the circle check still sees
 * them). Files directly in core/ (random, env, timing, version, userError) are the bottom.
 *   state      — what a run's state is made of: host tensors, snapshots, their mismatch error
 *   data       — datasets, view parameters, importers
 *   analysis   — plain numeric analyses of run logs (random forest, fANOVA, choice model)
 *   hvp        — views → candidates → scores → selection, telemetry (the paper's algorithm)
 *   ops        — tfjs ops with their own kernels (view rendering, the pair op, BN, conv grads)
 *   optim      — optimizers, schedules, EMA
 *   config     — the run config, its schema, presets and planned schedules
 *   engine, models — backend choice; networks
 *   methods    — the SSL methods behind the one HvpMethod contract
 *   train      — the trainer and the HVP step
 *   eval, explain, run — evaluation and records; the explain reader; the run loop and history
 *   checkpoint — files of a run (records, safetensors, exports)
 */
const CORE_GROUPS = [['(top)'], ['state', 'data', 'analysis'], ['hvp'], ['ops'], ['optim'], ['config'], ['engine', 'models'], ['methods'], ['train'], ['eval'], ['explain'], ['run'], ['checkpoint']];
const coreFolderOf = (file) => {
  const parts = relative(join(src, 'core'), file).split(/[\\/]/);
  return parts.length > 1 ? parts[0] : '(top)';
};
const coreRank = (folder) => CORE_GROUPS.findIndex((g) => g.includes(folder));

/** A value import between folders of core/ that goes up or sideways (CORE_GROUPS), or null. */
function checkCoreFolders(fromFile, target) {
  const a = coreFolderOf(fromFile);
  const b = coreFolderOf(target);
  if (a === b) return null;
  const [ra, rb] = [coreRank(a), coreRank(b)];
  if (ra < 0) return `core/${a}/ is not in CORE_GROUPS (scripts/checkImports.mjs): add it where it belongs`;
  if (rb < 0 || rb >= ra) return `core/${a}/ must not import core/${b}/ (lower folders only, see CORE_GROUPS)`;
  return null;
}

/** (fromLayer, resolvedTarget, isTypeOnly) -> error string | null */
function checkRelative(from, fromFile, target, isTypeOnly) {
  const to = layerOf(target);
  if (from === 'core' && to === 'core' && !isTypeOnly) return checkCoreFolders(fromFile, target);
  if (!['core', 'gpu', 'worker', 'ui', 'cli'].includes(to) || to === from || isTypeOnly) return null;
  const rel = relative(src, target).replace(/\\/g, '/');
  const allowed = {
    core: () => false,
    gpu: () => to === 'core' && rel.startsWith('core/ops/'),
    worker: () => to === 'core' || rel === 'gpu/register' || rel.startsWith('gpu/register.'),
    ui: () => (to === 'core' && rel.startsWith('core/config/')) || (to === 'worker' && /^worker\/(client|protocol|datasetClient|datasetProtocol|analysisClient)(\.ts)?$/.test(rel)),
    cli: () => to === 'core' || rel.startsWith('gpu/register'),
  }[from];
  if (allowed && !allowed()) return `${from}/ must not import ${rel}`;
  return null;
}

function checkPackage(from, fileRel, spec, isTypeOnly) {
  if (isTypeOnly) return null;
  if (spec.startsWith('@tensorflow/') && !['core', 'gpu', 'worker', 'cli'].includes(from)) return `${from}/ must not import ${spec}`;
  if (spec.startsWith('zustand') && !fileRel.startsWith('ui/store/')) return `only ui/store/ may import zustand`;
  if (spec.startsWith('recharts') && !fileRel.startsWith('ui/charts/')) return `only ui/charts/ may import recharts`;
  if (from === 'core' && /^(react|react-dom)(\/|$)/.test(spec)) return 'core/ must not import React';
  return null;
}

const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx)$/.test(name)) files.push(p);
  }
})(src);

/** The .ts/.tsx file of src/ a relative import resolves to, or null (css, json, outside src/). */
const fileSet = new Set(files);
function resolveFile(target) {
  for (const c of [target, `${target}.ts`, `${target}.tsx`, join(target, 'index.ts'), join(target, 'index.tsx')]) if (fileSet.has(c)) return c;
  return null;
}

/** file -> [{ to, line }]: the import graph the circle check walks. */
const graph = new Map(files.map((f) => [f, []]));

const errors = [];
const importRe = /^\s*(import|export)\s+(type\s+)?[^'";]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
for (const file of files) {
  const from = layerOf(file);
  const fileRel = relative(src, file).replace(/\\/g, '/');
  const isTest = /\.test\.tsx?$/.test(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[3] ?? m[4];
    const isTypeOnly = Boolean(m[2]);
    const line = text.slice(0, m.index + m[0].length - m[0].trimStart().length).split('\n').length; // \s* may start the match on a blank line above
    let err = null;
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      const to = resolveFile(target);
      if (to) graph.get(file).push({ to, line });
      if (!isTest) err = checkRelative(from, file, target, isTypeOnly);
    } else {
      err = checkPackage(from, fileRel, spec, isTypeOnly);
    }
    if (err) errors.push(`src/${fileRel}:${line}: ${err} (imports "${spec}")`);
  }
  if (from === 'core' && !isTest && /\b(window|document)\.[a-zA-Z]/.test(text)) errors.push(`src/${fileRel}: core/ must not touch window or document`);
}
/** Strongly connected components with more than one file, or one file that imports itself (Tarjan). */
function findCircles() {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const circles = [];
  const visit = (v) => {
    index.set(v, index.size);
    low.set(v, index.get(v));
    stack.push(v);
    onStack.add(v);
    for (const { to } of graph.get(v)) {
      if (!index.has(to)) {
        visit(to);
        low.set(v, Math.min(low.get(v), low.get(to)));
      } else if (onStack.has(to)) low.set(v, Math.min(low.get(v), index.get(to)));
    }
    if (low.get(v) !== index.get(v)) return;
    const members = [];
    let w;
    do {
      w = stack.pop();
      onStack.delete(w);
      members.push(w);
    } while (w !== v);
    if (members.length > 1 || graph.get(v).some((e) => e.to === v)) circles.push(members.sort());
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return circles;
}

const srcRel = (f) => `src/${relative(src, f).replace(/\\/g, '/')}`;
const circles = findCircles();
const circleText = circles.map((members, i) => {
  const inCircle = new Set(members);
  const edges = members.flatMap((f) => graph.get(f).filter((e) => inCircle.has(e.to)).map((e) => `      ${srcRel(f)}:${e.line} imports ${srcRel(e.to)}`));
  return `  circle ${i + 1} (${members.length} file${members.length === 1 ? '' : 's'}): ${members.map(srcRel).join(', ')}\n${edges.join('\n')}`;
});

if (errors.length) console.error(`Layer dependency violations (see STYLE.md):\n${errors.join('\n')}`);
if (circles.length) console.error(`Import circles (files that import each other, type-only imports included): ${circles.length}\n${circleText.join('\n')}`);
if (errors.length || circles.length) process.exit(1);
console.log(`checkImports: ${files.length} files, no layer violations, no import circles`);
