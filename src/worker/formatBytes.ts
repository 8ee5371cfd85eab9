/**
 * formatBytes: a byte count as "184.3 MB" for the dataset cache's quota errors, the dataset worker's
 * messages and (through datasetProtocol.ts, the page's door to the dataset worker) the dataset panel.
 * Its own file so the cache does not import the protocol, which imports the cache's StoredDatasetMeta.
 * Must not import: anything (pure).
 */

/** "184.3 MB"-style size. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
