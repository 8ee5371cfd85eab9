/**
 * `export CHECKPOINT --format F --out DIR`: the backbone of a checkpoint for other tools.
 *   tfjs                  model.json + model.weights.bin, a tfjs LayersModel (tf.loadLayersModel);
 *                         ResNet backbones
 *   torchvision           backbone.safetensors, the torchvision ResNet state dict (bare keys, OIHW,
 *                         num_batches_tracked; python/load_checkpoint.py loads it); ResNet backbones
 *   safetensors-backbone  backbone.safetensors, the backbone's PyTorch state dict for any backbone
 *                         (the same file as torchvision for a ResNet; timm's names for the ViT)
 * Needs no tfjs backend: the tensors are converted on the host. Existing files are kept unless --force.
 * Must not import: worker/, ui/, gpu/.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UnsupportedExportError } from '../../core/checkpoint/layersModelExport';
import { backboneLayersModelFiles, type ExportFile } from '../../core/checkpoint/runRecord';
import { encodeSafetensors } from '../../core/checkpoint/safetensors';
import { BACKBONE_PREFIX, toTorchStateDict } from '../../core/checkpoint/torchStateDict';
import { isResNet } from '../../core/config/runConfig';
import { CIFAR10_NORMALIZATION } from '../../core/data/normalization';
import { StateMismatchError } from '../../core/state/hostTensor';
import { APP_VERSION } from '../../core/version';
import { choiceOption, hasFlag, requiredOption, type ParsedArgs } from '../args';
import { CliError, EXIT_OK, UsageError } from '../cliError';
import { readCheckpoint, writeFileAtomic } from '../checkpointIo';
import { backboneSettings, describeBackbone } from '../describeConfig';
import type { CliOutput } from '../output';

/** --format values. */
export const EXPORT_FORMATS = ['tfjs', 'torchvision', 'safetensors-backbone'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** torchvision's ResNets have this first-stage width. */
const TORCHVISION_WIDTH = 64;

/** Runs `export`; returns the exit code. */
export async function exportCommand(args: ParsedArgs, out: CliOutput): Promise<number> {
  const path = args.positionals[0]!;
  const format = choiceOption(args, 'format', EXPORT_FORMATS, undefined);
  if (!format) throw new UsageError(`"export" needs --format (${EXPORT_FORMATS.join(', ')}).`, 'Run `npm run cli -- help export` for what each writes.');
  const dir = requiredOption(args, 'out', 'DIR (the directory to write into)');
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`--out ${dir} is a file; export writes a directory of files.`, 'Name a directory (it is created if missing).');
  const loaded = readCheckpoint(path);
  const { config } = loaded.record;
  const step = loaded.record.progress.step;
  if (format === 'torchvision' && !isResNet(config.backbone)) {
    throw new UsageError(`--format torchvision writes a torchvision ResNet state dict, but ${path} holds a ${config.backbone} backbone.`, 'Use --format safetensors-backbone for its PyTorch state dict.');
  }
  let files: ExportFile[];
  try {
    if (format === 'tfjs') files = backboneLayersModelFiles(loaded.snapshot, config, 'model');
    else {
      const norm = loaded.snapshot.normalization ?? CIFAR10_NORMALIZATION; // the run's per-dataset statistics
      const metadata = {
        format: 'pt',
        'hvp.backbone': JSON.stringify({ ...backboneSettings(config), step, normalizeMean: norm.mean, normalizeStd: norm.std, normalizationSource: norm.source, appVersion: APP_VERSION }),
      };
      files = [{ name: 'backbone.safetensors', bytes: encodeSafetensors(toTorchStateDict(loaded.snapshot.model, step, BACKBONE_PREFIX), metadata), mimeType: 'application/octet-stream' }];
    }
  } catch (e) {
    if (e instanceof StateMismatchError) throw new CliError(`${path}: ${e.message}`, 'The file was edited or damaged; export it again from the run that made it.');
    if (e instanceof UnsupportedExportError) throw new UsageError(e.message, 'Or use --format safetensors-backbone: its PyTorch state dict (a ViT under timm\'s names).');
    throw e;
  }
  const existing = files.map((f) => join(dir, f.name)).filter((p) => existsSync(p));
  if (existing.length && !hasFlag(args, 'force')) throw new UsageError(`${existing.join(', ')} exist${existing.length === 1 ? 's' : ''} already.`, 'Pass --force to overwrite, or choose another --out.');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError(`The directory ${dir} cannot be created (${e instanceof Error ? e.message : String(e)}).`, 'Choose another --out.');
  }
  for (const f of files) writeFileAtomic(join(dir, f.name), f.bytes);
  if (format !== 'tfjs' && isResNet(config.backbone) && config.backboneWidth !== TORCHVISION_WIDTH) {
    out.info(`Note: this backbone has width ${config.backboneWidth}; torchvision's ResNets have width ${TORCHVISION_WIDTH}, so load it with python/load_checkpoint.py (load_backbone builds the ResNet at the file's width), or train with backboneWidth ${TORCHVISION_WIDTH} for torchvision.models.resnet18 itself.`);
  }
  const written = files.map((f) => ({ path: join(dir, f.name), bytes: f.bytes.byteLength }));
  const what = format === 'tfjs' ? 'tfjs LayersModel' : format === 'torchvision' ? 'torchvision backbone state dict' : 'backbone state dict';
  out.result(
    [`exported the ${what} of step ${step} (${describeBackbone(config)}):`, ...written.map((w) => `  ${w.path}  ${(w.bytes / 1024).toFixed(1)} KiB`)].join('\n'),
    { type: 'export', format, step, files: written },
  );
  return EXIT_OK;
}
