/**
 * Reads and validates the header of a safetensors file (format: https://github.com/huggingface/safetensors,
 * "Format" section): 8-byte little-endian u64 header length N, N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`, then the data
 * buffer. Offsets are relative to the buffer start; the tensors must tile the buffer exactly (no
 * gap, no overlap, nothing after the last tensor). Bounds come first: the length field is checked
 * against MAX_HEADER_BYTES and the file size before the header is read (`headerLengthOf`, so a file
 * reader can stop after 8 bytes), and the JSON's nesting and entry count against MAX_TENSORS before
 * it is parsed (jsonShape.ts). Every violation is a CheckpointFormatError
 * whose message says in plain words what is wrong with the file and what to do, then what and
 * where exactly (`fileProblem`). Used by safetensors.ts.
 * Must not import: tfjs, DOM, gpu/, worker/, ui/.
 */
import { fileProblem, type FileProblem } from './checkpointFormatError';
import { jsonShape } from './jsonShape';
import { utf8Decode } from './utf8';

/** Element types the reader accepts, with their size in bytes. */
export const READ_ITEM_SIZE = { F64: 8, I64: 8, F32: 4, I32: 4, F16: 2, BF16: 2, U8: 1, BOOL: 1 } as const;

/** An element type the reader accepts. */
export type SafetensorsReadDtype = keyof typeof READ_ITEM_SIZE;

/**
 * Headers longer than this are refused before they are read. Ours hold the tensor entries (≈100
 * bytes each, a few hundred tensors) and the run record, whose metric history is capped at 20,000
 * records (train/runHistory.ts) of ≈400 bytes once escaped: at most ≈9 MB. 16 MiB leaves room
 * without letting a lying length field make a reader allocate and parse hundreds of MB.
 */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;

/**
 * Most tensor entries a header may have. Our largest models (ResNet-18, the ViT) with AdamW's three
 * slots per parameter have under 1,000; 10,000 leaves a wide margin and bounds what parsing builds.
 */
export const MAX_TENSORS = 10_000;

/** Deepest nesting a header may have: root → entry → shape is 3. */
const MAX_HEADER_DEPTH = 8;

/** Reserved header key of the string→string metadata. */
export const METADATA_KEY = '__metadata__';

/** One validated tensor entry of the header. */
export interface HeaderEntry {
  name: string;
  dtype: SafetensorsReadDtype;
  shape: number[];
  /** Byte range in the data buffer, [begin, end). */
  begin: number;
  end: number;
}

/** A validated header. */
export interface ParsedHeader {
  /** Tensor entries in header order. */
  entries: HeaderEntry[];
  metadata: Record<string, string>;
  /** Byte offset of the data buffer in the file (8 + header length). */
  dataStart: number;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/**
 * Finds a key that occurs twice in one object of a (syntactically valid) JSON text, which
 * JSON.parse would silently resolve to the last value. Returns the key or null.
 */
export function findDuplicateJsonKey(json: string): string | null {
  const objects: (Set<string> | null)[] = []; // one entry per open object (Set) or array (null)
  let isKeyNext = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      const keys = objects[objects.length - 1];
      if (keys && isKeyNext) {
        const key = JSON.parse(json.slice(i, j + 1)) as string;
        if (keys.has(key)) return key;
        keys.add(key);
        isKeyNext = false;
      }
      i = j;
    } else if (c === '{') {
      objects.push(new Set());
      isKeyNext = true;
    } else if (c === '[') {
      objects.push(null);
    } else if (c === '}' || c === ']') {
      objects.pop();
    } else if (c === ',') {
      isKeyNext = objects[objects.length - 1] != null;
    }
  }
  return null;
}

/**
 * The header length from a file's first 8 bytes, checked against MAX_HEADER_BYTES and the file's
 * size before anything else is read. Throws CheckpointFormatError naming `source`.
 */
export function headerLengthOf(first8: Uint8Array, fileSize: number, source = 'safetensors file'): number {
  if (first8.length < 8 || fileSize < 8) {
    throw fileProblem(source, 'notCheckpoint', `the file is ${fileSize} bytes long, shorter than the 8-byte header length field`);
  }
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const lenLow = view.getUint32(0, true);
  const lenHigh = view.getUint32(4, true);
  const headerLen = lenHigh * 2 ** 32 + lenLow;
  if (lenHigh !== 0 || headerLen > MAX_HEADER_BYTES) {
    throw fileProblem(source, 'notCheckpoint', `header length field says ${headerLen} bytes (limit ${MAX_HEADER_BYTES})`);
  }
  if (headerLen > fileSize - 8) {
    throw fileProblem(source, 'cutOff', `header length field says ${headerLen} bytes but only ${fileSize - 8} follow it`);
  }
  return headerLen;
}

/**
 * Parses and validates the header; `source` (e.g. the file name) prefixes every message. `bytes`
 * is the whole file, or (a reader that reads the header first) at least its first 8 + header
 * length bytes, with the file's full size in `fileSize`.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, source = 'safetensors file', fileSize = bytes.length): ParsedHeader {
  const fail = (problem: FileProblem, detail: string): never => {
    throw fileProblem(source, problem, detail);
  };
  const headerLen = headerLengthOf(bytes.subarray(0, 8), fileSize, source);
  if (bytes.length < 8 + headerLen) fail('cutOff', `the header is ${headerLen} bytes but only ${bytes.length - 8} were read`);
  let text = '';
  try {
    text = utf8Decode(bytes.subarray(8, 8 + headerLen));
  } catch {
    fail('notCheckpoint', 'header is not valid UTF-8 text');
  }
  const shape = jsonShape(text, { maxDepth: MAX_HEADER_DEPTH, maxRootKeys: MAX_TENSORS + 1 });
  if (shape.maxDepth > MAX_HEADER_DEPTH) fail('notCheckpoint', `header nests deeper than ${MAX_HEADER_DEPTH} levels`);
  if (shape.numRootKeys > MAX_TENSORS + 1) fail('damaged', `header lists more than ${MAX_TENSORS} tensors (the limit)`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail('notCheckpoint', `header is not valid JSON: ${(e as Error).message}`);
  }
  if (!isPlainObject(header)) fail('notCheckpoint', 'header JSON is not an object of tensor entries');
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== null) fail('damaged', `header repeats the key "${duplicate}"`);

  const root = header as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const rawMeta = root[METADATA_KEY];
  if (rawMeta !== undefined) {
    if (!isPlainObject(rawMeta)) fail('damaged', `"${METADATA_KEY}" is not an object of strings`);
    for (const [k, v] of Object.entries(rawMeta as Record<string, unknown>)) {
      if (typeof v !== 'string') fail('damaged', `metadata value "${k}" is a ${typeof v}, not a string`);
      metadata[k] = v as string;
    }
  }

  const dataLen = fileSize - 8 - headerLen;
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(root)) {
    if (name === METADATA_KEY) continue;
    const where = `tensor "${name}"`;
    if (!isPlainObject(raw)) fail('damaged', `${where}: header entry is not an object`);
    const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
    if (typeof dtype !== 'string' || !Object.hasOwn(READ_ITEM_SIZE, dtype)) {
      fail('unreadable', `${where}: dtype ${JSON.stringify(dtype)} is not supported (supported: ${Object.keys(READ_ITEM_SIZE).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) fail('damaged', `${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0] > offsets[1]) {
      fail('damaged', `${where}: data_offsets ${JSON.stringify(offsets)} is not a [begin, end] pair with 0 ≤ begin ≤ end`);
    }
    const entry: HeaderEntry = {
      name,
      dtype: dtype as SafetensorsReadDtype,
      shape: shape as number[],
      begin: (offsets as number[])[0]!,
      end: (offsets as number[])[1]!,
    };
    const numel = entry.shape.reduce((a, b) => a * b, 1);
    const expectedBytes = numel * READ_ITEM_SIZE[entry.dtype];
    if (expectedBytes !== entry.end - entry.begin) {
      fail('damaged', `${where}: shape [${entry.shape.join(', ')}] of ${entry.dtype} needs ${expectedBytes} bytes but data_offsets [${entry.begin}, ${entry.end}] span ${entry.end - entry.begin}`);
    }
    if (entry.end > dataLen) {
      fail('cutOff', `${where}: data ends at byte ${entry.end} of the data buffer but the file holds only ${dataLen} data bytes`);
    }
    entries.push(entry);
  }

  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let previous: HeaderEntry | null = null;
  for (const e of byOffset) {
    if (e.begin < cursor) fail('damaged', `tensor "${e.name}" (bytes ${e.begin}–${e.end}) overlaps tensor "${previous!.name}" (bytes ${previous!.begin}–${previous!.end})`);
    if (e.begin > cursor) fail('damaged', `bytes ${cursor}–${e.begin} of the data buffer belong to no tensor (gap before tensor "${e.name}")`);
    cursor = e.end;
    previous = e;
  }
  if (cursor !== dataLen) fail('damaged', `the last ${dataLen - cursor} bytes of the file belong to no tensor`);
  return { entries, metadata, dataStart: 8 + headerLen };
}
