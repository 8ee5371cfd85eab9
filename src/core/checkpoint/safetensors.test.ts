import { describe, expect, it } from 'vitest';
import { CheckpointFormatError } from './checkpointFormatError';
import { decodeSafetensors, encodeSafetensors, encodeSafetensorsParts, halfToFloat, type SafetensorsTensor } from './safetensors';
import { findDuplicateJsonKey } from './safetensorsHeader';

/** A file from a header text (space-padded to 8 bytes when `pad`) and raw data bytes. */
function fileOf(header: string, data: ArrayLike<number> = [], pad = true): Uint8Array {
  const json = new TextEncoder().encode(header);
  const len = pad ? Math.ceil(json.length / 8) * 8 : json.length;
  const out = new Uint8Array(8 + len + data.length).fill(0x20);
  new DataView(out.buffer).setBigUint64(0, BigInt(len), true);
  out.set(json, 8);
  out.set(Array.from(data), 8 + len);
  return out;
}

const f32Bytes = (...xs: number[]) => Array.from(new Uint8Array(new Float32Array(xs).buffer));

/** The plain first sentence of each kind of trouble (checkpointFormatError.ts FILE_PROBLEMS). */
const PLAIN = {
  notCheckpoint: /^run\.safetensors is not a checkpoint: its header is damaged or it is another kind of file\. Choose /,
  cutOff: /^run\.safetensors is incomplete: it was cut off while it was saved, copied or downloaded\. Copy or download /,
  damaged: /^run\.safetensors is damaged: its parts do not fit together, so it cannot be read\. Export /,
  unreadable: /^run\.safetensors stores weights in a number format this app cannot read\. /,
};

/** Expects decodeSafetensors to throw a CheckpointFormatError whose message opens with the plain
 * sentence of `kind` and whose technical detail matches `re`. */
function expectCorrupt(bytes: Uint8Array, re: RegExp, kind: keyof typeof PLAIN = 'damaged'): void {
  let err: unknown;
  try {
    decodeSafetensors(bytes, 'run.safetensors');
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(CheckpointFormatError);
  expect((err as Error).message).toMatch(PLAIN[kind]);
  expect((err as Error).message).toMatch(/\(Technical detail: .*\.\)$/);
  expect((err as Error).message).toMatch(re);
}

const sample = (): Map<string, SafetensorsTensor> =>
  new Map<string, SafetensorsTensor>([
    ['b', { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) }],
    ['a', { dtype: 'U8', shape: [3], data: new Uint8Array([1, 2, 3]) }],
    ['c', { dtype: 'I64', shape: [], data: new BigInt64Array([7n]) }],
  ]);

describe('safetensors encode', () => {
  it('writes the spec layout byte for byte (hand-built expected file)', () => {
    const header =
      '{"__metadata__":{"format":"torch"},' +
      '"a":{"dtype":"U8","shape":[3],"data_offsets":[16,19]},' +
      '"b":{"dtype":"F32","shape":[2],"data_offsets":[8,16]},' +
      '"c":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}';
    // data: c (int64 7), b (float32 1, -2), a (uint8 1 2 3): largest element size first, then name
    const data = [7, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x80, 0x3f, 0x00, 0x00, 0x00, 0xc0, 1, 2, 3];
    const expected = fileOf(header, data);
    expect(header.length % 8).not.toBe(0); // so the padding is exercised
    expect(Array.from(expected.subarray(0, 8))).toEqual([header.length + (8 - (header.length % 8)), 0, 0, 0, 0, 0, 0, 0]);
    expect(encodeSafetensors(sample(), { format: 'torch' })).toEqual(expected);
  });

  it('is deterministic: insertion order of tensors and metadata does not change the bytes', () => {
    const reversed = new Map([...sample()].reverse());
    expect(encodeSafetensors(reversed, { y: '2', x: '1' })).toEqual(encodeSafetensors(sample(), { x: '1', y: '2' }));
  });

  it('parts alias the input arrays and concatenate to the encoded file; progress reaches the total', () => {
    const tensors = sample();
    const { parts, byteLength } = encodeSafetensorsParts(tensors, { format: 'pt' });
    expect(parts[1]!.buffer).toBe(tensors.get('c')!.data.buffer);
    const seen: number[] = [];
    const whole = encodeSafetensors(tensors, { format: 'pt' }, (done, total) => {
      expect(total).toBe(byteLength);
      seen.push(done);
    });
    expect(whole.length).toBe(byteLength);
    expect(seen[seen.length - 1]).toBe(byteLength);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    let offset = 0;
    for (const p of parts) {
      expect(whole.subarray(offset, offset + p.length)).toEqual(p);
      offset += p.length;
    }
  });

  it('refuses unwritable tensors and metadata with a message naming them', () => {
    const bad = (t: unknown, name = 'w') => () => encodeSafetensors(new Map([[name, t as SafetensorsTensor]]));
    expect(bad({ dtype: 'F32', shape: [2, 2], data: new Float32Array(3) })).toThrow(/"w".*4 elements but the data has 3/);
    expect(bad({ dtype: 'F32', shape: [2], data: new Int32Array(2) })).toThrow(/"w".*needs a Float32Array, got Int32Array/);
    expect(bad({ dtype: 'F16', shape: [1], data: new Uint16Array(1) })).toThrow(/"F16" is not writable/);
    expect(bad({ dtype: 'F32', shape: [-1], data: new Float32Array(0) })).toThrow(/not a non-negative integer/);
    expect(bad({ dtype: 'BOOL', shape: [2], data: new Uint8Array([1, 2]) })).toThrow(/only 0 and 1/);
    expect(bad({ dtype: 'U8', shape: [0], data: new Uint8Array(0) }, '__metadata__')).toThrow(/reserved/);
    expect(() => encodeSafetensors(new Map(), { n: 3 as unknown as string })).toThrow(CheckpointFormatError);
  });
});

describe('safetensors round trip', () => {
  it('restores every dtype, shape, name and metadata value', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['backbone.conv1.weight', { dtype: 'F32', shape: [2, 1, 3], data: new Float32Array([0.1, -0, 3.5e-39, Infinity, -7, 1e30]) }],
      ['step', { dtype: 'I64', shape: [], data: new BigInt64Array([-(2n ** 31n)]) }],
      ['rng', { dtype: 'I32', shape: [4], data: new Int32Array([-1, 0, 2 ** 31 - 1, 42]) }],
      ['mask', { dtype: 'BOOL', shape: [3], data: new Uint8Array([1, 0, 1]) }],
      ['pixels', { dtype: 'U8', shape: [1, 5], data: new Uint8Array([0, 255, 7, 8, 9]) }],
      ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
      ['0', { dtype: 'F32', shape: [1], data: new Float32Array([NaN]) }],
      ['größe', { dtype: 'I32', shape: [1, 1], data: new Int32Array([5]) }],
    ]);
    const metadata = { record: JSON.stringify({ step: 3, note: 'naïve ✓' }), format: 'pt' };
    const bytes = encodeSafetensors(tensors, metadata);
    const out = decodeSafetensors(bytes);
    expect(out.metadata).toEqual(metadata);
    expect([...out.tensors.keys()].sort()).toEqual([...tensors.keys()].sort());
    for (const [name, t] of tensors) {
      const d = out.tensors.get(name)!;
      expect(d.shape, name).toEqual(t.shape);
      expect(d.storedDtype, name).toBe(t.dtype);
      expect(Array.from(d.data as ArrayLike<number>), name).toEqual(Array.from(t.data, Number));
    }
    expect(out.tensors.get('step')!.dtype).toBe('I32');
    // aligned F32/I32 data are views into the file bytes, not copies
    expect(out.tensors.get('backbone.conv1.weight')!.data.buffer).toBe(bytes.buffer);
    expect(out.tensors.get('rng')!.data.buffer).toBe(bytes.buffer);
  });

  it('copies data that is not aligned in memory and still reads it right', () => {
    const file = encodeSafetensors(new Map([['w', { dtype: 'F32', shape: [3], data: new Float32Array([1.5, -2.25, 3]) }]]));
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const d = decodeSafetensors(shifted.subarray(1)).tensors.get('w')!;
    expect(d.data.buffer).not.toBe(shifted.buffer);
    expect(Array.from(d.data)).toEqual([1.5, -2.25, 3]);
  });

  it('reads an empty file of tensors', () => {
    const out = decodeSafetensors(encodeSafetensors(new Map()));
    expect(out.tensors.size).toBe(0);
    expect(out.metadata).toEqual({});
  });
});

describe('safetensors read-only dtypes', () => {
  it('widens F16 and BF16 and narrows F64 to F32', () => {
    const h = [0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00, 0xfc00, 0x7e00, 0x3555];
    const bf = [0x3f80, 0xc0a0];
    const f64 = new Float64Array([0.1, -1e300]);
    const header =
      `{"h":{"dtype":"F16","shape":[8],"data_offsets":[0,16]},` +
      `"bf":{"dtype":"BF16","shape":[2],"data_offsets":[16,20]},` +
      `"d":{"dtype":"F64","shape":[2],"data_offsets":[20,36]}}`;
    const data = [
      ...new Uint8Array(new Uint16Array(h).buffer),
      ...new Uint8Array(new Uint16Array(bf).buffer),
      ...new Uint8Array(f64.buffer),
    ];
    const out = decodeSafetensors(fileOf(header, data)).tensors;
    expect(Array.from(out.get('h')!.data)).toEqual([1, -2, 65504, 2 ** -24, Infinity, -Infinity, NaN, Math.fround(halfToFloat(0x3555))]);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
    expect(Array.from(out.get('bf')!.data)).toEqual([1, -5]);
    expect(Array.from(out.get('d')!.data)).toEqual([Math.fround(0.1), -Infinity]);
    expect(out.get('h')!.storedDtype).toBe('F16');
    expect(out.get('d')!.dtype).toBe('F32');
  });

  it('refuses I64 values outside the int32 range', () => {
    const big = new BigInt64Array([1n, 2n ** 31n]);
    const file = fileOf('{"n":{"dtype":"I64","shape":[2],"data_offsets":[0,16]}}', new Uint8Array(big.buffer));
    expectCorrupt(file, /"n" holds the int64 value 2147483648 at index 1, outside the int32 range/, 'unreadable');
  });
});

describe('safetensors corrupt files', () => {
  const okEntry = '"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}';
  const okData = f32Bytes(1, 2);

  it('accepts the reference variant used below (control)', () => {
    expect(Array.from(decodeSafetensors(fileOf(`{${okEntry}}`, okData)).tensors.get('w')!.data)).toEqual([1, 2]);
    expect(Array.from(decodeSafetensors(fileOf(`{${okEntry}}`, okData, false)).tensors.get('w')!.data)).toEqual([1, 2]);
  });

  it('refuses files shorter than the length field', () => {
    expectCorrupt(new Uint8Array(0), /0 bytes long, shorter than the 8-byte header length/, 'notCheckpoint');
    expectCorrupt(new Uint8Array(7), /7 bytes long/, 'notCheckpoint');
  });

  it('refuses absurd header lengths', () => {
    const file = fileOf(`{${okEntry}}`, okData);
    const view = new DataView(file.buffer);
    view.setUint32(0, 200 * 1024 * 1024, true);
    expectCorrupt(file, /header length field says 209715200 bytes \(limit 16777216\)/, 'notCheckpoint');
    view.setUint32(0, 8, true);
    view.setUint32(4, 1, true);
    expectCorrupt(file, /limit/, 'notCheckpoint');
    view.setUint32(0, 1000, true);
    view.setUint32(4, 0, true);
    expectCorrupt(file, /says 1000 bytes but only \d+ follow it/, 'cutOff');
  });

  it('refuses headers that are not UTF-8, not JSON or not an object', () => {
    const notUtf8 = fileOf('{"w":1}');
    notUtf8[10] = 0xff;
    expectCorrupt(notUtf8, /not valid UTF-8/, 'notCheckpoint');
    expectCorrupt(fileOf('{"w": '), /not valid JSON/, 'notCheckpoint');
    expectCorrupt(fileOf(''), /not valid JSON/, 'notCheckpoint');
    expectCorrupt(fileOf('[1, 2]'), /not an object/, 'notCheckpoint');
    expectCorrupt(fileOf('null'), /not an object/, 'notCheckpoint');
    expectCorrupt(fileOf('{"w": 3}'), /tensor "w": header entry is not an object/);
  });

  it('refuses duplicate keys, at the top level and inside metadata', () => {
    expectCorrupt(fileOf(`{${okEntry},${okEntry}}`, okData), /repeats the key "w"/);
    expectCorrupt(fileOf(`{"__metadata__":{"a":"1","a":"2"},${okEntry}}`, okData), /repeats the key "a"/);
    expect(findDuplicateJsonKey('{"a":{"a":"a","b":["a","a"]},"b":{"a\\"":1,"a":2}}')).toBeNull();
    expect(findDuplicateJsonKey('{"x":[{"k":1},{"k":2,"k":3}]}')).toBe('k');
  });

  it('refuses bad metadata', () => {
    expectCorrupt(fileOf(`{"__metadata__":[],${okEntry}}`, okData), /"__metadata__" is not an object/);
    expectCorrupt(fileOf(`{"__metadata__":{"step":3},${okEntry}}`, okData), /metadata value "step" is a number/);
  });

  it('refuses unknown dtypes and malformed shapes or offsets', () => {
    expectCorrupt(fileOf('{"w":{"dtype":"Q7","shape":[2],"data_offsets":[0,8]}}', okData), /"w": dtype "Q7" is not supported \(supported: F64, I64, F32/, 'unreadable');
    expectCorrupt(fileOf('{"w":{"dtype":"I8","shape":[8],"data_offsets":[0,8]}}', okData), /dtype "I8" is not supported/, 'unreadable');
    expectCorrupt(fileOf('{"w":{"shape":[2],"data_offsets":[0,8]}}', okData), /dtype undefined is not supported/, 'unreadable');
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', okData), /shape \[-2\] is not a list/);
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}', okData), /shape/);
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}', okData), /data_offsets \[8,0\] is not a \[begin, end\] pair/);
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}', okData), /data_offsets/);
  });

  it('refuses a shape whose byte size differs from the offsets', () => {
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', okData), /shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/);
  });

  it('refuses offsets beyond the data and truncated files', () => {
    expectCorrupt(fileOf('{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', okData), /ends at byte 16 .* only 8 data bytes/, 'cutOff');
    const good = encodeSafetensors(sample());
    expectCorrupt(good.subarray(0, good.length - 1), /only \d+ data bytes/, 'cutOff');
  });

  it('refuses overlaps, gaps and trailing bytes in the data buffer', () => {
    const two = (a: string, b: string, data: number[]) =>
      fileOf(`{"a":{"dtype":"F32","shape":[1],"data_offsets":${a}},"b":{"dtype":"F32","shape":[1],"data_offsets":${b}}}`, data);
    expectCorrupt(two('[0,4]', '[0,4]', f32Bytes(1)), /tensor "b" \(bytes 0–4\) overlaps tensor "a"/);
    expectCorrupt(two('[0,4]', '[8,12]', f32Bytes(1, 2, 3)), /bytes 4–8 of the data buffer belong to no tensor \(gap before tensor "b"\)/);
    expectCorrupt(two('[4,8]', '[8,12]', f32Bytes(1, 2, 3)), /bytes 0–4 .*\(gap before tensor "a"\)/);
    expectCorrupt(two('[0,4]', '[4,8]', f32Bytes(1, 2, 3)), /last 4 bytes of the file belong to no tensor/);
  });

  it('refuses BOOL tensors holding other values', () => {
    expectCorrupt(fileOf('{"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', [1, 2]), /"m" is BOOL but holds values other than 0 and 1/);
  });
});
