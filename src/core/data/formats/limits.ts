/**
 * How much an import may read and keep — one definition for the browser's dataset worker and the
 * Node CLI's `--data`, so the same files are accepted or refused in both.
 * Must not import: tfjs, DOM.
 */

/** Largest decoded set in bytes; an import keeps at most this over the bytes per image
 * (87,381 images at 32 × 32, 21,845 at 64 × 64). */
export const MAX_DATASET_BYTES = 256 * 1024 * 1024;
/** Largest single input file that is read (bigger ones are skipped with a reason). */
export const MAX_FILE_BYTES = 1024 * 1024 * 1024;
/** Largest total input that is read at once. */
export const MAX_TOTAL_INPUT_BYTES = 1536 * 1024 * 1024;

/** The most images of side `size` an import keeps (MAX_DATASET_BYTES over the bytes per image). */
export const maxImagesAt = (size: number): number => Math.floor(MAX_DATASET_BYTES / (size * size * 3));
