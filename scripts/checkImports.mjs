#!/usr/bin/env node
// Enforces the layer dependency rules of STYLE.md on src/ (core, gpu, worker, ui, cli):
// which layer may import which, and which layers may import tfjs, zustand and recharts.
// Prints every violation as file:line and exits 1 if there are any.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const src = join(root, 'src');
const layerOf = (file) => relative(src, file).split(/[\\/]/)[0];

/** (fromLayer, resolvedTarget, isTypeOnly) -> error string | null */
function checkRelative(from, fromFile, target, isTypeOnly) {
  const to = layerOf(target);
  if (!['core', 'gpu', 'worker', 'ui', 'cli'].includes(to) || to === from || isTypeOnly) return null;
  const rel = relative(src, target).replace(/\\/g, '/');
  const allowed = {
    core: () => false,
    gpu: () => to === 'core' && rel.startsWith('core/ops/'),
    worker: () => to === 'core' || rel === 'gpu/register' || rel.startsWith('gpu/register.'),
    ui: () => (to === 'core' && rel.startsWith('core/config/')) || (to === 'worker' && /^worker\/(client|protocol|datasetClient|datasetProtocol)(\.ts)?$/.test(rel)),
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
    const line = text.slice(0, m.index).split('\n').length;
    let err = null;
    if (spec.startsWith('.')) {
      if (!isTest) err = checkRelative(from, file, resolve(dirname(file), spec), isTypeOnly);
    } else {
      err = checkPackage(from, fileRel, spec, isTypeOnly);
    }
    if (err) errors.push(`src/${fileRel}:${line}: ${err} (imports "${spec}")`);
  }
  if (from === 'core' && !isTest && /\b(window|document)\.[a-zA-Z]/.test(text)) errors.push(`src/${fileRel}: core/ must not touch window or document`);
}
if (errors.length) {
  console.error(`Layer dependency violations (see STYLE.md):\n${errors.join('\n')}`);
  process.exit(1);
}
console.log(`checkImports: ${files.length} files, no layer violations`);
