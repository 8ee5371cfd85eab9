/**
 * Wording of the dataset panel: sizes, class counts and the one-line summary of a stored set.
 * Must not import: zustand, recharts, tfjs, React.
 */
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
