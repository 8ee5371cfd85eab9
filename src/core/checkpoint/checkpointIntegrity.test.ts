// Untrusted checkpoints (issue 16): crafted from a real fixture, each bad file gets a
// CheckpointFormatError (a UserError) that names the file and the tensor or field — a flipped
// byte in a tensor or in the record (checksums), NaN / Inf, a negative running variance, integer dtypes, unlisted tensors, record
// values out of range (step 1e308, position 1e9, epoch past the step), optimizer slots named
// `__proto__` / `constructor`, a 5,000-deep field, malformed metric history, a huge declared header
// and too many tensor entries. Older files without checksums load with a note. No tfjs: < 1 s.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { crc32 } from '../data/formats/crc32';
import { isUserError } from '../userError';
import { decodeCheckpoint, encodeCheckpoint } from './checkpointFile';
import { CheckpointFormatError } from './checkpointFormatError';
import { RECORD_CRC_METADATA_KEY, RECORD_METADATA_KEY } from './record';
import { MAX_HEADER_BYTES, MAX_TENSORS } from './safetensorsHeader';
import { NO_CHECKSUM_NOTE } from './tensorChecks';

const FIXTURE = readFileSync(new URL('../../../tests/fixtures/checkpoints/simsiam-resnet10-hard-step3.safetensors', import.meta.url));

/** The fixture written again by today's encoder (with checksums). */
function current(): Uint8Array {
  const { record, snapshot } = decodeCheckpoint(new Uint8Array(FIXTURE), 'fixture');
  const { appVersion, createdAt, config, probeRng, dataset, history, backend } = record;
  return encodeCheckpoint({ appVersion, createdAt, config, probeRng, dataset, history, backend }, snapshot);
}
const GOOD = current();

/* eslint-disable @typescript-eslint/no-explicit-any -- crafted files are edited as loose JSON */
interface Parts {
  header: Record<string, any>;
  record: Record<string, any>;
  data: Uint8Array;
}

/** Header, record and a copy of the data buffer of a file. */
function split(bytes: Uint8Array): Parts {
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
  const record = JSON.parse(header.__metadata__[RECORD_METADATA_KEY]);
  return { header, record, data: bytes.slice(8 + len) };
}

/** Writes parts back with the record's own checksum recomputed; `refreshCrc` recomputes the tensor
 * checksums too (an editor who knows the format, so the checks after them are what a test reaches). */
function join(p: Parts, refreshCrc = false): Uint8Array {
  if (refreshCrc && p.record.tensorCrc32) {
    for (const [name, e] of Object.entries<any>(p.header)) if (name !== '__metadata__') p.record.tensorCrc32[name] = crc32(p.data.subarray(e.data_offsets[0], e.data_offsets[1]));
  }
  const recordJson = JSON.stringify(p.record);
  const meta = { ...p.header.__metadata__, [RECORD_METADATA_KEY]: recordJson, [RECORD_CRC_METADATA_KEY]: String(crc32(new TextEncoder().encode(recordJson))) };
  const json = new TextEncoder().encode(JSON.stringify({ ...p.header, __metadata__: meta }));
  const out = new Uint8Array(8 + json.length + p.data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(p.data, 8 + json.length);
  return out;
}

/** The float32 values of tensor `name` in `p.data` (a view: writes change the file). */
const f32 = (p: Parts, name: string) => new Float32Array(p.data.buffer, p.header[name].data_offsets[0], (p.header[name].data_offsets[1] - p.header[name].data_offsets[0]) / 4);

function edited(edit: (p: Parts) => void, refreshCrc = true): Uint8Array {
  const p = split(GOOD);
  edit(p);
  return join(p, refreshCrc);
}

/** The error decodeCheckpoint throws for `bytes` (a CheckpointFormatError naming x.safetensors). */
function errorOf(bytes: Uint8Array): string {
  try {
    decodeCheckpoint(bytes, 'x.safetensors');
  } catch (e) {
    expect(e).toBeInstanceOf(CheckpointFormatError);
    expect(isUserError(e)).toBe(true);
    expect((e as Error).name).toBe('CheckpointFormatError');
    return (e as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('checksums', () => {
  it('are written for every tensor; a current file loads without a note, an older one with a note', () => {
    const { record, notes } = decodeCheckpoint(GOOD, 'x.safetensors');
    expect(Object.keys(record.tensorCrc32!).length).toBe(Object.keys(split(GOOD).header).length - 1);
    expect(notes).not.toContain(NO_CHECKSUM_NOTE);
    expect(decodeCheckpoint(new Uint8Array(FIXTURE), 'old').notes).toContain(NO_CHECKSUM_NOTE);
  });

  it('a flipped bit in any weight names that tensor', () => {
    const p = split(GOOD);
    for (const name of ['backbone.conv1.weight', 'projector.0.weight', 'optimizer.backbone.bn1.weight.momentum']) {
      const q = { ...p, data: p.data.slice() };
      q.data[p.header[name].data_offsets[0] + 1]! ^= 0x04;
      expect(errorOf(join(q))).toMatch(new RegExp(`^x\\.safetensors is damaged: some of its stored numbers changed.*tensor "${name.replace(/\./g, '\\.')}" fails its checksum`));
    }
  });

  it('a changed digit in the run record (a setting, the step) fails the record checksum', () => {
    const bytes = GOOD.slice();
    const text = new TextDecoder().decode(bytes);
    const at = text.indexOf('\\"learningRate\\":') + '\\"learningRate\\":'.length + 2; // a digit of the value
    bytes[at]! ^= 0x01;
    expect(errorOf(bytes)).toMatch(/^x\.safetensors is damaged: some of its stored numbers changed.*the run record fails its checksum/);
  });

  it('a record whose checksums do not cover the file is refused', () => {
    expect(errorOf(edited((p) => delete p.record.tensorCrc32['backbone.bn1.bias'], false))).toMatch(/no checksum for "backbone\.bn1\.bias"/);
    expect(errorOf(edited((p) => (p.record.tensorCrc32.extra = 1), false))).toMatch(/checksums of tensors it does not hold: "extra"/);
    expect(errorOf(edited((p) => (p.record.tensorCrc32['backbone.bn1.bias'] = -1), false))).toMatch(/checksum of tensor "backbone\.bn1\.bias" is not a 32-bit number/);
  });
});

describe('values', () => {
  it('NaN or Inf in weights or optimizer state: the tensor is named and the file called damaged', () => {
    expect(errorOf(edited((p) => (f32(p, 'backbone.conv1.weight')[3] = NaN)))).toMatch(/is damaged: it holds values that no trained model has\. Resume from an earlier checkpoint.*tensor "backbone\.conv1\.weight" holds NaN at index 3/);
    expect(errorOf(edited((p) => (f32(p, 'optimizer.projector.0.weight.momentum')[0] = -Infinity)))).toMatch(/tensor "optimizer\.projector\.0\.weight\.momentum" holds -Infinity/);
    expect(errorOf(edited((p) => (f32(p, 'backbone.conv1.weight')[3] = NaN)))).not.toMatch(/learning rate/);
  });

  it('a negative BatchNorm running variance is refused; zero is allowed', () => {
    expect(errorOf(edited((p) => (f32(p, 'backbone.bn1.running_var')[1] = -1)))).toMatch(/running variance "backbone\.bn1\.running_var" holds -1 at index 1/);
    expect(() => decodeCheckpoint(edited((p) => (f32(p, 'backbone.bn1.running_var')[1] = 0)))).not.toThrow();
  });

  it('weights relabelled as integers get a message, not a tfjs error', () => {
    expect(errorOf(edited((p) => (p.header['backbone.conv1.weight'].dtype = 'I32')))).toMatch(/number format this app cannot read.*tensor "backbone\.conv1\.weight" is stored as I32, but it holds floating-point numbers/);
  });

  it('a tensor the record does not list is refused before any data is read', () => {
    const p = split(GOOD);
    p.header.junk = { dtype: 'F32', shape: [1], data_offsets: [p.data.length, p.data.length + 4] };
    p.data = new Uint8Array([...p.data, 0, 0, 0, 0]);
    expect(errorOf(join(p, true))).toMatch(/holds 1 tensor\(s\) its record does not list: "junk"/);
  });
});

describe('record fields', () => {
  const progress = (f: (pr: any) => void) => edited((p) => f(p.record.progress));
  it('step, epoch and data-order position are range-checked', () => {
    expect(errorOf(progress((pr) => (pr.step = 1e308)))).toMatch(/step counter \(1e\+308\) is not a whole number from 0 to the run's 20 total steps/);
    expect(errorOf(progress((pr) => (pr.step = -1)))).toMatch(/step counter/);
    expect(errorOf(progress((pr) => (pr.sampler.position = 1e9)))).toMatch(/data-order position \(1000000000\) is not a whole number from 0 to the 16 training images/);
    expect(errorOf(progress((pr) => (pr.sampler.epoch = 4)))).toMatch(/epoch \(4\) is not a whole number from 0 to the step \(3\)/);
    expect(errorOf(progress((pr) => (pr.viewRng = 'x')))).toMatch(/generator states are missing/);
  });

  it('optimizer slots come from a fixed set: __proto__ and constructor are refused', () => {
    for (const slot of ['__proto__', 'constructor', 'toString']) {
      const bytes = edited((p) => {
        const old = 'backbone.bn1.weight.momentum';
        p.record.tensors.optimizer = p.record.tensors.optimizer.map((k: string) => (k === old ? `backbone.bn1.weight.${slot}` : k));
      });
      expect(errorOf(bytes)).toMatch(new RegExp(`optimizer tensor "backbone\\.bn1\\.weight\\.${slot}" has no known slot`));
    }
  });

  it('a 5,000-deep field is refused before parsing; what loads is safe to structuredClone', () => {
    const p = split(GOOD);
    const json = JSON.stringify({ ...p.record, history: { ...p.record.history, deep: 0 } }).replace('"deep":0', `"deep":${'['.repeat(5000)}${']'.repeat(5000)}`);
    p.header.__metadata__[RECORD_METADATA_KEY] = json;
    p.header.__metadata__[RECORD_CRC_METADATA_KEY] = String(crc32(new TextEncoder().encode(json)));
    const text = JSON.stringify(p.header);
    const bytes = new Uint8Array([...new Uint8Array(new BigUint64Array([BigInt(text.length)]).buffer), ...new TextEncoder().encode(text), ...p.data]);
    expect(errorOf(bytes)).toMatch(/the run record nests deeper than 16 levels/);
    const { record } = decodeCheckpoint(GOOD);
    expect(structuredClone(record)).toEqual(record);
  });

  it('malformed metric records are dropped with a note (absent fields are not malformed); a history that is not a list is an error', () => {
    const bytes = edited((p) => {
      p.record.history.metrics[1] = { step: 2, loss: 'x' };
      p.record.history.metrics.push(null, 7, { step: 'a' }, { step: 4, loss: 0.5 }, { step: 5, loss: 0.5, meanIou: 'x' });
      p.record.history.knn = [{ step: 1, top1: null }];
    });
    const { record, notes } = decodeCheckpoint(bytes);
    expect(record.history.metrics.map((m) => m.step)).toEqual([1, 3, 4]); // an older record may lack fields
    expect(record.history.knn).toEqual([]);
    expect(notes.join(' ')).toMatch(/6 malformed metric record\(s\) in the history were ignored/);
    expect(errorOf(edited((p) => (p.record.history.metrics = { 0: 1 })))).toMatch(/metric history is missing or is not a list/);
  });

  it('config keys inherited from Object (constructor, __proto__) are not settings', () => {
    const bytes = edited((p) => {
      p.record.config.constructor = 5;
    });
    const { record, notes } = decodeCheckpoint(bytes);
    expect(Object.hasOwn(record.config, 'constructor')).toBe(false);
    expect(notes.join(' ')).toMatch(/does not know were ignored: constructor/);
  });
});

describe('header bounds', () => {
  it('a declared header past the limit is refused from the length field alone', () => {
    const bytes = GOOD.slice();
    new DataView(bytes.buffer).setUint32(0, MAX_HEADER_BYTES + 8, true);
    expect(errorOf(bytes)).toMatch(/header length field says 16777224 bytes \(limit 16777216\)/);
  });

  it('more tensor entries than the limit are refused before JSON.parse builds them', () => {
    const p = split(GOOD);
    const end = p.data.length;
    for (let i = 0; i <= MAX_TENSORS; i++) p.header[`t${i}`] = { dtype: 'U8', shape: [0], data_offsets: [end, end] };
    expect(errorOf(join(p))).toMatch(/header lists more than 10000 tensors/);
  });
});
