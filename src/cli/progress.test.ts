// The progress bar: redrawn in place on a terminal (throttled, notes printed above it), plain lines
// every N units elsewhere, with an ETA from the elapsed time.
import { describe, expect, it } from 'vitest';
import { createProgressBar, formatDuration } from './progress';

function sink(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, isTTY, columns: 200, write: (t: string) => void writes.push(t) };
}

describe('progress bar', () => {
  it('prints a line every lineEvery steps and at the end when not a terminal', () => {
    const s = sink(false);
    let t = 0;
    const bar = createProgressBar(s, { label: 'train', total: 10, unit: 'step', lineEvery: 4, now: () => t });
    for (let i = 1; i <= 10; i++) {
      t += 1000;
      bar.update(i, `loss ${i}`);
    }
    bar.finish();
    expect(s.writes).toEqual(['train: step 4/10  loss 4  ETA 0:06\n', 'train: step 8/10  loss 8  ETA 0:02\n', 'train: step 10/10  loss 10  took 0:10\n']);
  });

  it('redraws one line on a terminal, at most every 100 ms, and keeps notes above it', () => {
    const s = sink(true);
    let t = 0;
    const bar = createProgressBar(s, { label: 'resume', total: 8, start: 4, unit: 'step', now: () => t });
    bar.update(5);
    t += 50;
    bar.update(6); // throttled
    bar.note('saved step 6');
    t += 200;
    bar.update(8);
    bar.finish();
    expect(s.writes[0]).toBe('\r\x1b[2Kresume [######------------------] 5/8  ETA 0:00');
    expect(s.writes).toContain('\r\x1b[2Ksaved step 6\n');
    expect(s.writes.at(-2)).toMatch(/^\r\x1b\[2Kresume \[#{24}\] 8\/8  took 0:00$/);
    expect(s.writes.at(-1)).toBe('\n');
    expect(s.writes.filter((w) => w.includes('6/8'))).toHaveLength(1); // only the redraw after the note
  });

  it('formats durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(61_400)).toBe('1:01');
    expect(formatDuration(3_725_000)).toBe('1:02:05');
  });
});
