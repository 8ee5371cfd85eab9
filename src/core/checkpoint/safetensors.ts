/**
 * Our own small safetensors codec (format: https://github.com/huggingface/safetensors, "Format"):
 * [u64 LE header length N][N bytes UTF-8 JSON header, space-padded to a multiple of 8][data buffer].
 *
 * Writing is deterministic: header keys are `__metadata__` (omitted when empty) then the tensor
 * names in sorted order; the data buffer holds the tensors by descending element size, then name,
 * so every tensor starts at a multiple of its element size (the reference writer does the same)
 * and a reader can view it in place. `encodeSafetensorsParts` returns the file as a list of byte
 * chunks that alias the input arrays (no copy of the weights; hand them to `new Blob(parts)` or a
 * file stream); `encodeSafetensors` concatenates them into one Uint8Array.
 *
 * Reading validates the whole header first (safetensorsHeader.ts) and returns typed-array views
 * into the input bytes where the data is aligned (else copies). F16/BF16/F64 are widened or
 * narrowed to F32, I64 to I32 (refused when a value does not fit).
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { CheckpointFormatError, fileProblem } from './checkpointFormatError';
import { METADATA_KEY, parseSafetensorsHeader, READ_ITEM_SIZE, type HeaderEntry, type SafetensorsReadDtype } from './safetensorsHeader';
import { utf8Encode } from './utf8';

export { MAX_HEADER_BYTES, type SafetensorsReadDtype } from './safetensorsHeader';

/** A tensor to write: `data` is row-major with shape.product elements (shape [] = scalar). */
export type SafetensorsTensor =
  | { dtype: 'F32'; shape: number[]; data: Float32Array }
  | { dtype: 'I32'; shape: number[]; data: Int32Array }
  | { dtype: 'I64'; shape: number[]; data: BigInt64Array }
  | { dtype: 'U8' | 'BOOL'; shape: number[]; data: Uint8Array };

/** An element type the writer produces. */
export type SafetensorsWriteDtype = SafetensorsTensor['dtype'];

/** A tensor read from a file, in the in-memory type it was converted to; `storedDtype` is the file's. */
export type DecodedTensor = (
  | { dtype: 'F32'; shape: number[]; data: Float32Array }
  | { dtype: 'I32'; shape: number[]; data: Int32Array }
  | { dtype: 'U8' | 'BOOL'; shape: number[]; data: Uint8Array }
) & { storedDtype: SafetensorsReadDtype };

/** Contents of a safetensors file. */
export interface DecodedSafetensors {
  /** Tensors in header order. NOTE: F32/I32/U8/BOOL data may be views into the decoded bytes. */
  tensors: Map<string, DecodedTensor>;
  metadata: Record<string, string>;
}

/** A file as byte chunks to write one after another. */
export interface SafetensorsParts {
  /** Header chunk, then one chunk per non-empty tensor. NOTE: tensor chunks alias the input arrays. */
  parts: Uint8Array[];
  /** Sum of the chunk lengths = file size. */
  byteLength: number;
}

/** Progress of a long encode: bytes written so far of the total. */
export type EncodeProgress = (doneBytes: number, totalBytes: number) => void;

const WRITE_TYPES = { F32: Float32Array, I32: Int32Array, I64: BigInt64Array, U8: Uint8Array, BOOL: Uint8Array } as const;
const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Little-endian bytes of a typed array: a view on little-endian hosts, a swapped copy otherwise. */
export function littleEndianBytes(t: SafetensorsTensor): Uint8Array {
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (IS_LITTLE_ENDIAN || t.data.BYTES_PER_ELEMENT === 1) return bytes;
  const out = new Uint8Array(bytes.length);
  const k = t.data.BYTES_PER_ELEMENT;
  for (let i = 0; i < bytes.length; i += k) for (let b = 0; b < k; b++) out[i + b] = bytes[i + k - 1 - b]!;
  return out;
}

function checkTensor(name: string, t: SafetensorsTensor): void {
  const fail = (msg: string): never => {
    throw new CheckpointFormatError(`Cannot write tensor "${name}": ${msg}`);
  };
  if (name === '' || name === METADATA_KEY) fail('the name is empty or reserved');
  const expectedType = WRITE_TYPES[t.dtype];
  if (!expectedType) fail(`dtype "${String(t.dtype)}" is not writable (use ${Object.keys(WRITE_TYPES).join(', ')})`);
  if (!(t.data instanceof expectedType)) fail(`dtype ${t.dtype} needs a ${expectedType.name}, got ${t.data?.constructor?.name}`);
  if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) fail(`shape [${t.shape.join(', ')}] has a dimension that is not a non-negative integer`);
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (numel !== t.data.length) fail(`shape [${t.shape.join(', ')}] has ${numel} elements but the data has ${t.data.length}`);
  if (t.dtype === 'BOOL' && t.data.some((v) => v > 1)) fail('BOOL data must hold only 0 and 1');
}

/**
 * Lays out a safetensors file without copying tensor data (on little-endian hosts).
 * Throws CheckpointFormatError for an unwritable tensor or a non-string metadata value.
 */
export function encodeSafetensorsParts(tensors: ReadonlyMap<string, SafetensorsTensor>, metadata: Readonly<Record<string, string>> = {}): SafetensorsParts {
  for (const [name, t] of tensors) checkTensor(name, t);
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') throw new CheckpointFormatError(`Cannot write metadata "${k}": value is a ${typeof v}, not a string`);
  }
  const byName = [...tensors.keys()].sort();
  const byLayout = [...byName].sort((a, b) => tensors.get(b)!.data.BYTES_PER_ELEMENT - tensors.get(a)!.data.BYTES_PER_ELEMENT);
  const offsets = new Map<string, [number, number]>();
  let cursor = 0;
  for (const name of byLayout) {
    const size = tensors.get(name)!.data.byteLength;
    offsets.set(name, [cursor, cursor + size]);
    cursor += size;
  }
  // Built by hand, not JSON.stringify(object): JS objects put integer-like keys ("0") first.
  const fields: string[] = [];
  const metaKeys = Object.keys(metadata).sort();
  if (metaKeys.length) {
    fields.push(`${JSON.stringify(METADATA_KEY)}:{${metaKeys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(metadata[k])}`).join(',')}}`);
  }
  for (const name of byName) {
    const t = tensors.get(name)!;
    fields.push(`${JSON.stringify(name)}:${JSON.stringify({ dtype: t.dtype, shape: t.shape, data_offsets: offsets.get(name) })}`);
  }
  const json = utf8Encode(`{${fields.join(',')}}`);
  const headerLen = Math.ceil(json.length / 8) * 8;
  const head = new Uint8Array(8 + headerLen);
  new DataView(head.buffer).setUint32(0, headerLen, true); // u64 LE; bytes 4–7 stay 0 (header < 4 GiB)
  head.set(json, 8);
  head.fill(0x20, 8 + json.length); // space padding to 8-byte alignment of the data buffer
  const parts: Uint8Array[] = [head];
  for (const name of byLayout) {
    const t = tensors.get(name)!;
    if (t.data.length > 0) parts.push(littleEndianBytes(t));
  }
  return { parts, byteLength: head.length + cursor };
}

/** Encodes a whole safetensors file into one new Uint8Array (one copy of every tensor). */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, SafetensorsTensor>,
  metadata: Readonly<Record<string, string>> = {},
  onProgress?: EncodeProgress,
): Uint8Array {
  const { parts, byteLength } = encodeSafetensorsParts(tensors, metadata);
  const out = new Uint8Array(byteLength);
  let done = 0;
  for (const p of parts) {
    out.set(p, done);
    done += p.length;
    onProgress?.(done, byteLength);
  }
  return out;
}

/** float16 bits → number (IEEE 754 binary16: subnormals, ±inf, NaN). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const bf16Bits = new Uint32Array(1);
const bf16Value = new Float32Array(bf16Bits.buffer);
/** bfloat16 bits → number (the upper half of a float32). */
function bfloat16ToFloat(h: number): number {
  bf16Bits[0] = h << 16;
  return bf16Value[0]!;
}

/**
 * Decodes one tensor from its own bytes `raw` (exactly e.end − e.begin of them, e.g. read from the
 * file at its offsets). NOTE: the result may alias `raw`.
 */
export function decodeTensorBytes(raw: Uint8Array, e: HeaderEntry, source = 'safetensors file'): DecodedTensor {
  if (raw.length !== e.end - e.begin) throw fileProblem(source, 'cutOff', `tensor "${e.name}" has ${raw.length} of its ${e.end - e.begin} bytes`);
  const start = raw.byteOffset;
  const numel = raw.length / READ_ITEM_SIZE[e.dtype];
  const view = new DataView(raw.buffer, start, raw.length);
  const isInPlace = IS_LITTLE_ENDIAN && start % READ_ITEM_SIZE[e.dtype] === 0;
  const base = { shape: e.shape, storedDtype: e.dtype };
  switch (e.dtype) {
    case 'U8':
    case 'BOOL': {
      const data = raw;
      if (e.dtype === 'BOOL' && data.some((v) => v > 1)) {
        throw fileProblem(source, 'damaged', `tensor "${e.name}" is BOOL but holds values other than 0 and 1`);
      }
      return { ...base, dtype: e.dtype, data };
    }
    case 'F32': {
      if (isInPlace) return { ...base, dtype: 'F32', data: new Float32Array(raw.buffer, start, numel) };
      const data = new Float32Array(numel);
      for (let i = 0; i < numel; i++) data[i] = view.getFloat32(4 * i, true);
      return { ...base, dtype: 'F32', data };
    }
    case 'I32': {
      if (isInPlace) return { ...base, dtype: 'I32', data: new Int32Array(raw.buffer, start, numel) };
      const data = new Int32Array(numel);
      for (let i = 0; i < numel; i++) data[i] = view.getInt32(4 * i, true);
      return { ...base, dtype: 'I32', data };
    }
    case 'F16':
    case 'BF16':
    case 'F64': {
      const data = new Float32Array(numel);
      if (e.dtype === 'F16') for (let i = 0; i < numel; i++) data[i] = halfToFloat(view.getUint16(2 * i, true));
      else if (e.dtype === 'BF16') for (let i = 0; i < numel; i++) data[i] = bfloat16ToFloat(view.getUint16(2 * i, true));
      else for (let i = 0; i < numel; i++) data[i] = view.getFloat64(8 * i, true);
      return { ...base, dtype: 'F32', data };
    }
    case 'I64': {
      const data = new Int32Array(numel);
      for (let i = 0; i < numel; i++) {
        const low = view.getInt32(8 * i, true);
        const high = view.getInt32(8 * i + 4, true);
        if (high !== (low < 0 ? -1 : 0)) {
          throw fileProblem(source, 'unreadable', `tensor "${e.name}" holds the int64 value ${view.getBigInt64(8 * i, true)} at index ${i}, outside the int32 range this app reads`);
        }
        data[i] = low;
      }
      return { ...base, dtype: 'I32', data };
    }
  }
}

/**
 * Decodes and validates a safetensors file. Throws CheckpointFormatError naming `source` (e.g. the
 * file name) and the problem. NOTE: returned arrays may alias `bytes`; copy them before mutating.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors file'): DecodedSafetensors {
  const { entries, metadata, dataStart } = parseSafetensorsHeader(bytes, source);
  const tensors = new Map<string, DecodedTensor>();
  for (const e of entries) tensors.set(e.name, decodeTensorBytes(bytes.subarray(dataStart + e.begin, dataStart + e.end), e, source));
  return { tensors, metadata };
}
