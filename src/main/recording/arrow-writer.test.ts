/**
 * The manifest's time ranges. Rows reach the writer in arrival order per venue, but two venues'
 * collectors stamp their own receive times, so a batch's first row is not always its earliest.
 * A CI run once saw the replay venue start 43 ms before the recording's own start time, because
 * the range was taken from the first and last rows. What must hold: every row of every file lies
 * inside that file's range, and the recording's range covers every file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordingWriter } from './arrow-writer';
import { allocBatch } from './columns';
import { readManifest } from './manifest';
import { readFileBatches } from './reader';
import { NO_SYMBOL, NO_U8, RowKind } from './schema';
import { scratchDir } from '../testing/scratch-dir';

/** Status rows (no symbol, no level) with the given receive times, alternating two venues. */
function statusBatch(times: number[]) {
  const b = allocBatch(times.length);
  times.forEach((t, i) => {
    b.recvTs[i] = t;
    b.exchangeTs[i] = NaN;
    b.venue[i] = i % 2;
    b.symbol[i] = NO_SYMBOL;
    b.kind[i] = RowKind.Status;
    b.flags[i] = 0;
    b.side[i] = NO_U8;
    b.price[i] = NaN;
    b.qty[i] = NaN;
    b.version[i] = NaN;
    b.prevVersion[i] = NaN;
    b.tradeId[i] = NaN;
    b.state[i] = 0;
  });
  return b;
}

describe('recording time ranges', () => {
  it('are the earliest and latest receive times, not the first and last rows', () => {
    const dir = scratchDir('pulse-writer-');
    const w = new RecordingWriter({ dir, maxFileBytes: 1, rotateHourly: false, venues: [{ id: 'a', kind: 'sim' }, { id: 'b', kind: 'sim' }] });
    const t0 = 1_795_322_549_000_000;
    // Venue b's rows were received before venue a's first row; the last row is not the latest.
    const batches = [[t0 + 500, t0 + 100, t0 + 900, t0 + 700], [t0 + 800, t0 + 50, t0 + 1200, t0 + 1000]];
    for (const times of batches) w.write(statusBatch(times), times.length, []); // 1-byte files: one batch per file
    w.close();

    const m = readManifest(dir);
    expect(m.files).toHaveLength(2);
    expect(m.timeRange).toEqual({ startUs: t0 + 50, endUs: t0 + 1200 });
    for (const f of m.files) {
      const times = [...readFileBatches(join(dir, f.name))].flatMap((d) => [...d.recvTs]);
      expect(times.length).toBe(f.rows);
      expect(f.startUs).toBe(Math.min(...times));
      expect(f.endUs).toBe(Math.max(...times));
    }
  });
});
