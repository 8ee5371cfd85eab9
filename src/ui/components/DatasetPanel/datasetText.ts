/**
 * Wording of the dataset panel: sizes, class counts, the one-line summary of a stored set and the
 * per-channel normalisation its views get (core/data/normalization.ts; ui/ may import only its types).
 * Must not import: zustand, recharts, tfjs, React, core/data (values).
 */
import type { Normalization } from '../../../core/data/normalization';
import { formatBytes, type StoredDatasetMeta } from '../../../worker/datasetProtocol';

export { formatBytes };

/** "10 classes", "1 class (cats)" or "unlabelled". */
export function describeClasses(m: Pick<StoredDatasetMeta, 'isLabelled' | 'classNames'>): string {
  if (!m.isLabelled) return 'unlabelled';
  const n = m.classNames.length;
  return n === 1 ? `1 class (${m.classNames[0]})` : `${n} classes`;
}

const FORMAT_NAMES: Record<StoredDatasetMeta['format'], string> = {
  cifar10: 'CIFAR-10',
  cifar100: 'CIFAR-100',
  idx: 'IDX',
  'image-folder': 'image files',
};

/** "60,000 images · 10 classes · 32×32 · 175.8 MB · CIFAR-10, 10,000 marked test". */
export function summarizeDataset(m: StoredDatasetMeta): string {
  const parts = [
    `${m.numImages.toLocaleString('en-US')} images`,
    describeClasses(m),
    `${m.imageSize}×${m.imageSize}`,
    formatBytes(m.numBytes),
    FORMAT_NAMES[m.format] + (m.numSourceTest > 0 ? `, ${m.numSourceTest.toLocaleString('en-US')} marked test` : ''),
  ];
  return parts.join(' · ');
}

const SOURCE_NAMES: Record<Normalization['source'], string> = {
  computed: 'computed over its images',
  cifar10: "CIFAR-10's published statistics",
  cifar100: "CIFAR-100's published statistics",
  mnist: "MNIST's published statistics",
  'fashion-mnist': "Fashion-MNIST's published statistics",
};

/**
 * "normalised with mean 0.491 0.482 0.447, std 0.247 0.243 0.261 (CIFAR-10's published statistics)".
 * A set stored before per-dataset normalisation has none in its meta: its statistics are worked out
 * when a run loads it (worker/datasetCache.ts), which the line says.
 */
export function describeDatasetNormalization(n: Normalization | undefined): string {
  if (!n) return 'normalisation: computed when a run first loads it (stored by an older version)';
  const f = (v: readonly number[]) => v.map((x) => x.toFixed(3)).join(' ');
  return `normalised with mean ${f(n.mean)}, std ${f(n.std)} (${SOURCE_NAMES[n.source] ?? n.source})`;
}

/** The built-in set's line: it keeps CIFAR-10's statistics (core/data/builtinDataset.ts). */
export const BUILTIN_NORMALIZATION_TEXT = "normalised with CIFAR-10's statistics (mean 0.491 0.482 0.447, std 0.247 0.243 0.261)";
