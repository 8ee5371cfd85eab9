/**
 * The unpacking budget of one import, shared by every gunzip and zip member in it (nested archives
 * included), and the one message for running out of it. Created by importFiles from the size of
 * the files given (limits.ts: unpackBudgetFor); every inflate is capped at what is left and charges
 * what it produced, kept or not, so the budget bounds both memory and inflate time.
 * Must not import: tfjs, DOM.
 */
import { FileFormatError } from './formatError';
import { MAX_UNPACKED_BYTES, UNPACK_FLOOR_BYTES, UNPACK_RATIO, unpackBudgetFor } from './limits';
import { formatBytes } from './paths';

/** What one import may still unpack. NOTE: mutated by every inflate of the import. */
export interface UnpackBudget {
  /** Bytes the whole import may unpack. */
  readonly totalBytes: number;
  /** Bytes inflated so far (kept or discarded). */
  usedBytes: number;
}

/** A fresh budget for an import of `inputBytes` bytes of files. */
export function createUnpackBudget(inputBytes: number): UnpackBudget {
  return { totalBytes: unpackBudgetFor(inputBytes), usedBytes: 0 };
}

/** Bytes the import may still unpack. */
export const bytesLeft = (budget: UnpackBudget): number => Math.max(0, budget.totalBytes - budget.usedBytes);

/** The cap of one inflate: what is left of the budget, at most one archive's MAX_UNPACKED_BYTES. */
export const inflateCap = (budget: UnpackBudget): number => Math.min(MAX_UNPACKED_BYTES, bytesLeft(budget));

/** The error for `path` (or its member `member`) unpacking past MAX_UNPACKED_BYTES on its own. */
export function tooLargeError(path: string, what: string): FileFormatError {
  return new FileFormatError(path, `${what} the ${formatBytes(MAX_UNPACKED_BYTES)} one archive may hold (one block of memory); split the data into smaller archives, or unpack it yourself and import the files it holds`);
}

/**
 * The error for `path` unpacking past the budget; `what` says how that was found ("unpacks to more
 * than", or "says it unpacks to 5 GB, more than").
 */
export function overBudgetError(path: string, budget: UnpackBudget, what: string): FileFormatError {
  const rule = `${UNPACK_RATIO}× the size of the files given, at least ${formatBytes(UNPACK_FLOOR_BYTES)}, at most ${formatBytes(MAX_UNPACKED_BYTES)} more than their size`;
  return new FileFormatError(
    path,
    `${what} the ${formatBytes(budget.totalBytes)} this import may unpack (${rule}): it is a compression bomb, or data that compresses unusually well; unpack it yourself and import the files it holds, or import a smaller part of the data (${formatBytes(budget.usedBytes)} unpacked before it)`,
  );
}
