/**
 * Streaming inflate with a hard output cap, on fflate's streaming Inflate / Gunzip: the input is
 * pushed in chunks sized from the ratio seen so far to add about 4 MB each, never more than a
 * quarter of what is left of the cap (or 4 MB, whichever is more), and the work stops
 * as soon as the output passes the cap — a bomb costs the cap, never what its headers or its
 * ratio would give. The output grows by doubling from a size hint (a header's declared size) and
 * is returned trimmed.
 * Must not import: tfjs, DOM.
 */
import { Gunzip, Inflate } from 'fflate';
import { MAX_DEFLATE_RATIO } from './limits';

/** Output one push aims at: the input per push is this over the ratio seen so far (deflate's
 * largest, 1032, before any output), so bombs go in 4 KB steps and ordinary data in large ones. */
const PUSH_OUTPUT = 4 * 1024 * 1024;
/** Input bytes per push: at least this… */
const MIN_CHUNK = 4 * 1024;
/** …and at most this (fewer, larger pushes are faster on big archives). */
const MAX_CHUNK = 1024 * 1024;
/** Whatever the ratio seen so far, one push may add at most this fraction of what is left of the
 * cap (data that turns into a bomb halfway). */
const PUSH_SHARE = 4;

/** Thrown (and caught by the callers) when the output passes the cap. */
export class OutputCapError extends Error {
  override name = 'OutputCapError';
  constructor(readonly producedBytes: number) {
    super(`inflated output passed its cap after ${producedBytes} bytes`);
  }
}

/** A growing output buffer that refuses to grow past `cap`. */
class CappedOutput {
  buf: Uint8Array;
  length = 0;
  constructor(
    readonly cap: number,
    sizeHint: number,
  ) {
    this.buf = new Uint8Array(Math.max(0, Math.min(cap, sizeHint)));
  }
  push(chunk: Uint8Array): void {
    const need = this.length + chunk.length;
    if (need > this.cap) throw new OutputCapError(need);
    if (need > this.buf.length) {
      const grown = new Uint8Array(Math.min(this.cap, Math.max(need, this.buf.length * 2, 64 * 1024)));
      grown.set(this.buf.subarray(0, this.length));
      this.buf = grown;
    }
    this.buf.set(chunk, this.length);
    this.length = need;
  }
  result(): Uint8Array {
    return this.length === this.buf.length ? this.buf : this.buf.slice(0, this.length);
  }
}

/** Pushes `input` to `stream` in pieces (see the file header), the last one final. */
function pushAll(stream: { push(chunk: Uint8Array, final?: boolean): void }, input: Uint8Array, out: CappedOutput): void {
  if (input.length === 0) stream.push(input, true);
  for (let at = 0; at < input.length; ) {
    const ratio = at === 0 ? MAX_DEFLATE_RATIO : Math.max(1, out.length / at);
    const safe = Math.floor((out.cap - out.length) / MAX_DEFLATE_RATIO / PUSH_SHARE);
    const chunk = Math.max(MIN_CHUNK, Math.min(MAX_CHUNK, Math.floor(PUSH_OUTPUT / ratio), safe));
    const end = Math.min(input.length, at + chunk);
    stream.push(input.subarray(at, end), end === input.length);
    at = end;
  }
}

/**
 * Inflates a raw deflate stream into at most `cap` bytes. Throws OutputCapError past the cap, or
 * fflate's error (with its `code`: 0 = data ends early) on bad data.
 */
export function inflateCapped(deflated: Uint8Array, cap: number, sizeHint: number): Uint8Array {
  const out = new CappedOutput(cap, sizeHint);
  pushAll(new Inflate((chunk) => out.push(chunk)), deflated, out);
  return out.result();
}

/** The output of a gzip file and where each member starts: in the file and in the output. */
export interface GunzipMembers {
  out: Uint8Array;
  /** Byte offset of every member in the input (the first is 0). */
  inputStarts: number[];
  /** Byte offset of every member's output in `out`. */
  outputStarts: number[];
}

/**
 * Gunzips every member of a (possibly multi-member) gzip file into at most `cap` bytes, without
 * checking trailers (the caller does, with the offsets returned). Throws as inflateCapped, and
 * fflate's code 6 when bytes after a member are not another member.
 */
export function gunzipCapped(gz: Uint8Array, cap: number, sizeHint: number): GunzipMembers {
  const out = new CappedOutput(cap, sizeHint);
  const inputStarts = [0];
  const outputStarts = [0];
  const stream = new Gunzip((chunk) => out.push(chunk));
  // fflate calls onmember when a next member's header is read, after the previous member's last
  // output was delivered, so the output length then is where the new member's output starts
  stream.onmember = (offset) => {
    inputStarts.push(offset);
    outputStarts.push(out.length);
  };
  pushAll(stream, gz, out);
  return { out: out.result(), inputStarts, outputStarts };
}
