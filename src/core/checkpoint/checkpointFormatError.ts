/**
 * CheckpointFormatError: thrown when a checkpoint file's bytes are not a valid safetensors file
 * (wrong header, bad offsets, truncated data, unsupported dtype) or when tensors handed to the
 * encoder cannot be written. The message names the file part or tensor and what to do.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */

/** A malformed checkpoint file or an unwritable tensor; `message` says what and where. */
export class CheckpointFormatError extends Error {
  override name = 'CheckpointFormatError';
}
