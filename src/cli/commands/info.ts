/**
 * `info CHECKPOINT`: what a checkpoint holds, without loading a backend — method and HVP mode, step
 * and epoch, the settings that differ from the defaults, the dataset fingerprint and the per-channel
 * normalisation the run uses (record.dataset.normalization; a record without it: CIFAR-10's, which
 * such runs were trained with), the last metrics, and which app version and backend wrote it.
 * Reads the header and the run record only (checked like any checkpoint's), never the tensors.
 * Must not import: worker/, ui/, gpu/.
 */
import type { LoadedCheckpoint } from '../../core/checkpoint/checkpointFile';
import { CIFAR10_NORMALIZATION, describeNormalization } from '../../core/data/normalization';
import type { ParsedArgs } from '../args';
import { EXIT_OK } from '../cliError';
import { readCheckpointHead } from '../checkpointIo';
import { configDiff, describeBackbone } from '../describeConfig';
import type { CliOutput } from '../output';

/** The summary as label/value rows (text output) and a JSON object. */
export function describeCheckpoint(path: string, byteLength: number, c: Pick<LoadedCheckpoint, 'record' | 'notes'>): { rows: [string, string][]; json: Record<string, unknown> } {
  const { record, notes } = c;
  const cfg = record.config;
  const { step, sampler } = record.progress;
  const diff = configDiff(cfg);
  const lastMetrics = record.history.metrics.at(-1) ?? null;
  const lastKnn = record.history.knn.at(-1) ?? null;
  const ds = record.dataset;
  const normalization = ds.normalization ?? CIFAR10_NORMALIZATION;
  const normText = describeNormalization(normalization) + (ds.normalization ? '' : '; not in the record, which predates per-dataset normalisation');
  const rows: [string, string][] = [
    ['checkpoint', `${path} (${(byteLength / 1024).toFixed(1)} KiB)`],
    ['method', `${cfg.method}, HVP ${cfg.hvpMode}${cfg.hvpMode === 'off' ? '' : cfg.hvpMode === 'iouPolicy' ? ` (IoU bound ${cfg.iouPolicyStart} → ${cfg.iouPolicyEnd})` : ` (N = ${cfg.numViews}, every ${cfg.hvpEvery} step${cfg.hvpEvery === 1 ? '' : 's'})`}`],
    ['progress', `step ${step} of ${cfg.totalSteps}, epoch ${sampler.epoch} (next image ${sampler.position} of ${ds.numTrain})`],
    ['model', `${describeBackbone(cfg)}; ${cfg.imageSize}×${cfg.imageSize} views, batch ${cfg.batchSize}`],
    ['dataset', `${ds.name}: ${ds.numTrain} training + ${ds.numTest} held-out images of ${ds.height}×${ds.width}, fingerprint ${ds.hash}`],
    ['normalisation', normText],
    ...(Object.keys(diff).length
      ? Object.entries(diff).map(([k, d], i): [string, string] => [i === 0 ? 'settings' : '', `${k}=${String(d.value)} (default ${String(d.default)})`])
      : [['settings', 'all defaults'] as [string, string]]),
    ['last loss', lastMetrics ? `${lastMetrics.loss.toFixed(4)} at step ${lastMetrics.step}` : 'none logged'],
    ['last kNN', lastKnn ? `top-1 ${(100 * lastKnn.top1).toFixed(2)} % at step ${lastKnn.step}` : 'none yet'],
    ['written', `${record.createdAt || 'unknown time'} by HVP Playground ${record.appVersion} on ${record.backend} (checkpoint format ${record.version})`],
    ['tensors', `${record.tensors.model.length} model, ${record.tensors.optimizer.length} optimizer`],
    ...notes.map((n): [string, string] => ['note', n]),
  ];
  const json = {
    type: 'info',
    path,
    bytes: byteLength,
    method: cfg.method,
    hvpMode: cfg.hvpMode,
    step,
    totalSteps: cfg.totalSteps,
    epoch: sampler.epoch,
    configDiff: diff,
    config: cfg,
    dataset: ds,
    /** What the run normalises its views with (the record's, else CIFAR-10's). */
    normalization: { ...normalization, isInRecord: ds.normalization !== undefined },
    lastMetrics,
    lastKnn,
    appVersion: record.appVersion,
    createdAt: record.createdAt,
    backend: record.backend,
    formatVersion: record.version,
    notes,
  };
  return { rows, json };
}

/** Runs `info`; returns the exit code. */
export async function infoCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  const path = args.positionals[0]!;
  const loaded = readCheckpointHead(path); // header and record only: no tensor is read
  const { rows, json } = describeCheckpoint(path, loaded.byteLength, loaded);
  const width = Math.max(...rows.map(([k]) => k.length));
  out.result(rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n'), json);
  return EXIT_OK;
}
