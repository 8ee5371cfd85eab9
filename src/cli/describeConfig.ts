/**
 * Short descriptions of a run config for the CLI's messages: the backbone in a phrase, and the
 * settings that differ from the defaults (what `info` lists).
 * Must not import: tfjs, worker/, ui/, gpu/.
 */
import { DEFAULT_CONFIG, isResNet, type RunConfig } from '../core/config/runConfig';

/** "resnet10 width 16", or "vit dim 96, depth 6, 3 heads, patch 4". */
export function describeBackbone(c: RunConfig): string {
  return isResNet(c.backbone) ? `${c.backbone} width ${c.backboneWidth}` : `${c.backbone} dim ${c.vitDim}, depth ${c.vitDepth}, ${c.vitHeads} heads, patch ${c.vitPatchSize}`;
}

/** The settings that size the backbone (for export metadata). */
export function backboneSettings(c: RunConfig): Record<string, unknown> {
  return isResNet(c.backbone)
    ? { backbone: c.backbone, backboneWidth: c.backboneWidth, imageSize: c.imageSize }
    : { backbone: c.backbone, vitPatchSize: c.vitPatchSize, vitDim: c.vitDim, vitDepth: c.vitDepth, vitHeads: c.vitHeads, imageSize: c.imageSize };
}

/** Settings whose value differs from the current defaults, as key → { value, default }. */
export function configDiff(config: RunConfig): Record<string, { value: unknown; default: unknown }> {
  const diff: Record<string, { value: unknown; default: unknown }> = {};
  for (const key of Object.keys(DEFAULT_CONFIG) as (keyof RunConfig)[]) {
    if (config[key] !== DEFAULT_CONFIG[key]) diff[key] = { value: config[key], default: DEFAULT_CONFIG[key] };
  }
  return diff;
}
