/**
 * CheckpointFormatError: thrown when a checkpoint file's bytes are not a valid safetensors file
 * (wrong header, bad offsets, truncated data, unsupported dtype) or when tensors handed to the
 * encoder cannot be written. A reader's message opens with what is wrong in plain words and what
 * to do, then the technical detail in parentheses (`fileProblem`).
 * A UserError, so the CLI prints it as one line and the app shows it as a message.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { UserError } from '../userError';

/** A malformed checkpoint file or an unwritable tensor; `message` says what and where. */
export class CheckpointFormatError extends UserError {
  override name = 'CheckpointFormatError';
}

/** The kinds of trouble a checkpoint reader finds, each as a plain sentence and what to do. */
export const FILE_PROBLEMS = {
  /** Not a safetensors file at all (another file renamed, a web page saved as the download…). */
  notCheckpoint: {
    what: 'is not a checkpoint: its header is damaged or it is another kind of file',
    todo: 'Choose the .safetensors file that HVP Playground or its CLI exported.',
  },
  /** Shorter than its header says: an interrupted save, copy or download. */
  cutOff: {
    what: 'is incomplete: it was cut off while it was saved, copied or downloaded',
    todo: 'Copy or download the whole file again, or export it again.',
  },
  /** Readable, but its parts disagree (header vs data, record vs tensors). */
  damaged: {
    what: 'is damaged: its parts do not fit together, so it cannot be read',
    todo: 'Export the checkpoint again from the run that made it.',
  },
  /** Well formed, but a tensor's bytes no longer match the checksum written with them. */
  corrupted: {
    what: 'is damaged: some of its stored numbers changed after it was written (a bad copy, download or disk)',
    todo: 'Copy or download the file again, or export it again from the run that made it.',
  },
  /** Well formed, but holds values no trained model has (NaN, infinity, a negative running variance). */
  invalidValues: {
    what: 'is damaged: it holds values that no trained model has',
    todo: 'Resume from an earlier checkpoint of this run, or export it again from the run that made it.',
  },
  /** Well formed, but stores numbers this app cannot read. */
  unreadable: {
    what: 'stores weights in a number format this app cannot read',
    todo: 'Save the weights as float32 and try again.',
  },
} as const;

/** A kind of checkpoint-file trouble. */
export type FileProblem = keyof typeof FILE_PROBLEMS;

/** The error for `source` (the file name) having `problem`, with the reader's technical `detail`:
 * "x.safetensors is incomplete: it was cut off …. Copy or download … (Technical detail: …)". */
export function fileProblem(source: string, problem: FileProblem, detail: string): CheckpointFormatError {
  const { what, todo } = FILE_PROBLEMS[problem];
  return new CheckpointFormatError(`${source} ${what}. ${todo} (Technical detail: ${detail}.)`);
}
