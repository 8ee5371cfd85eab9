// Checkpoint files on disk (issue 16): anything but a regular file (FIFO, /dev/zero, a directory)
// is refused before a byte is read; `info` (readCheckpointHead) reads the header and record only,
// so damaged tensor bytes do not stop it while a full read names the tensor; a record with broken
// metric entries still gets a summary; writes leave no temporary file, and leftovers of dead
// processes are removed on the next write to the same path. No tfjs; < 1 s.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeCheckpoint, encodeCheckpoint } from '../core/checkpoint/checkpointFile';
import { RECORD_CRC_METADATA_KEY, RECORD_METADATA_KEY } from '../core/checkpoint/record';
import { crc32 } from '../core/data/formats/crc32';
import { isUserError } from '../core/userError';
import { removeStaleTemps } from './atomicWrite';
import { readCheckpoint, readCheckpointHead, writeFileAtomic } from './checkpointIo';
import { describeCheckpoint } from './commands/info';

const dir = mkdtempSync(join(tmpdir(), 'hvp-ckio-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FIXTURE = readFileSync(new URL('../../tests/fixtures/checkpoints/simsiam-resnet10-hard-step3.safetensors', import.meta.url));
const GOOD = (() => {
  const { record, snapshot } = decodeCheckpoint(new Uint8Array(FIXTURE), 'fixture');
  const { appVersion, createdAt, config, probeRng, dataset, history, backend } = record;
  return encodeCheckpoint({ appVersion, createdAt, config, probeRng, dataset, history, backend }, snapshot);
})();

/** The message `f` throws; the error must be a UserError (printed by the CLI as one line). */
function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isUserError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('expected an error');
}

describe('reading checkpoint files', () => {
  it('refuses a FIFO, /dev/zero and a directory before reading', () => {
    const fifo = join(dir, 'pipe.safetensors');
    if (spawnSync('mkfifo', [fifo]).status === 0) {
      expect(messageOf(() => readCheckpoint(fifo))).toMatch(/pipe\.safetensors is a named pipe, not a checkpoint file, so it was not read/);
    }
    if (existsSync('/dev/zero')) expect(messageOf(() => readCheckpointHead('/dev/zero'))).toMatch(/^\/dev\/zero is a character device/);
    expect(messageOf(() => readCheckpoint(dir))).toMatch(/is a directory, not a checkpoint file/);
    expect(messageOf(() => readCheckpoint(join(dir, 'absent.safetensors')))).toMatch(/does not exist/);
  });

  it('info reads header and record only; a full read checks every tensor', () => {
    const path = join(dir, 'flipped.safetensors');
    const bytes = GOOD.slice();
    bytes[bytes.length - 3]! ^= 0x10; // inside the last tensor's data
    writeFileSync(path, bytes);
    const head = readCheckpointHead(path);
    expect(head.record.progress.step).toBe(3);
    expect(head.byteLength).toBe(bytes.length);
    expect(messageOf(() => readCheckpoint(path))).toMatch(/flipped\.safetensors is damaged: some of its stored numbers changed.*fails its checksum/);
    writeFileSync(path, GOOD);
    expect(readCheckpoint(path).snapshot.model.size).toBeGreaterThan(0);
  });

  it('refuses a header length past the limit without reading it', () => {
    const path = join(dir, 'huge.safetensors');
    const bytes = GOOD.slice();
    new DataView(bytes.buffer).setUint32(0, 90_000_000, true);
    writeFileSync(path, bytes);
    expect(messageOf(() => readCheckpointHead(path))).toMatch(/header length field says 90000000 bytes \(limit 16777216\)/);
  });

  it('info summarises a record whose metric entries are malformed, with a note', () => {
    const len = Number(new DataView(GOOD.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(GOOD.subarray(8, 8 + len)));
    const record = JSON.parse(header.__metadata__[RECORD_METADATA_KEY]);
    record.history.metrics.push({ step: 4, loss: null }, { step: 5, loss: { toFixed: 1 } });
    header.__metadata__[RECORD_METADATA_KEY] = JSON.stringify(record);
    header.__metadata__[RECORD_CRC_METADATA_KEY] = String(crc32(new TextEncoder().encode(header.__metadata__[RECORD_METADATA_KEY])));
    const json = new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + json.length + GOOD.length - 8 - len);
    new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
    out.set(json, 8);
    out.set(GOOD.subarray(8 + len), 8 + json.length);
    const path = join(dir, 'metrics.safetensors');
    writeFileSync(path, out);
    const head = readCheckpointHead(path);
    const { rows } = describeCheckpoint(path, head.byteLength, head);
    expect(rows.find(([k]) => k === 'last loss')![1]).toMatch(/at step 3$/);
    expect(head.notes.join(' ')).toMatch(/2 malformed metric record\(s\)/);
  });
});

describe('writeFileAtomic', () => {
  it('leaves only the file, and removes temporary files of dead processes (not of live ones)', () => {
    const out = join(dir, 'run.safetensors');
    const dead = `${out}.99999999.tmp`; // above any pid_max: no such process
    const alive = `${out}.${process.ppid}.tmp`;
    const other = `${out}.backup.tmp`;
    for (const p of [dead, alive, other]) writeFileSync(p, 'partial');
    writeFileAtomic(out, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(out)]).toEqual([1, 2, 3]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(alive)).toBe(true);
    expect(existsSync(other)).toBe(true);
    expect(removeStaleTemps(out)).toEqual([]);
    expect(readdirSync(dir).filter((n) => n.startsWith('run.safetensors.') && n.includes(String(process.pid)))).toEqual([]);
  });

  it('a failed write names the path and leaves the old file', () => {
    const out = join(dir, 'keep.safetensors');
    writeFileSync(out, 'old');
    expect(messageOf(() => writeFileAtomic(join(dir, 'no-such-dir', 'x.safetensors'), new Uint8Array(1)))).toMatch(/^Writing .*x\.safetensors failed/);
    expect(readFileSync(out, 'utf8')).toBe('old');
  });
});
