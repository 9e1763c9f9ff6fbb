/**
 * The manifest's time ranges. Rows reach the writer in arrival order per venue, but two venues'
 * collectors stamp their own receive times, so a batch's first row is not always its earliest.
 * A CI run once saw the replay venue start 43 ms before the recording's own start time, because
 * the range was taken from the first and last rows. What must hold: every row of every file lies
 * inside that file's range, and the recording's range covers every file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { RecordingWriter } from './arrow-writer';
import { allocBatch, putStatusRow } from './columns';
import { readManifest } from './manifest';
import { readFileBatches } from './reader';
import { scratchDir } from '../testing/scratch-dir';

/** Status rows (no symbol, no level) with the given receive times, alternating two venues. */
function statusBatch(times: number[]) {
  const b = allocBatch(times.length);
  times.forEach((t, i) => putStatusRow(b, i, t, i % 2, 0));
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

describe('recording file metadata', () => {
  const venuesOf = (dir: string, name: string) => JSON.parse(tableFromIPC(readFileSync(join(dir, name))).schema.metadata.get('pulse.venues')!);
  const inst = (symbol: string) => ({ symbol, tickSize: '0.01', lotSize: '0.001' });

  it("a venue declaring instruments after a file opened starts a new file that carries them (a file's metadata never changes)", () => {
    const dir = scratchDir('pulse-writer-');
    const w = new RecordingWriter({ dir, maxFileBytes: 1 << 30, rotateHourly: false, venues: [{ id: 'a', kind: 'sim' }, { id: 'b', kind: 'sim' }] });
    const t0 = 1_795_322_549_000_000;
    w.setInstruments(0, [inst('BTC-USD')], ['BTC-USD']);
    w.write(statusBatch([t0]), 1, []);
    w.setInstruments(1, [inst('BTC-USD')], ['BTC-USD']); // b trades a symbol the recording already has
    w.write(statusBatch([t0 + 1]), 1, []);
    w.setInstruments(1, [inst('BTC-USD')], ['BTC-USD']); // declared again, unchanged (a reconnect): same file
    w.write(statusBatch([t0 + 2]), 1, []);
    w.close();
    const m = readManifest(dir);
    expect(m.files.map((f) => f.rows)).toEqual([1, 2]);
    expect(venuesOf(dir, m.files[0]!.name)[1].instruments).toEqual([]);
    expect(venuesOf(dir, m.files[1]!.name)[1].instruments).toEqual([inst('BTC-USD')]);
  });

  it("keeps its own copy of the symbol list: a caller changing its array later cannot change an open file's dictionary", () => {
    const dir = scratchDir('pulse-writer-');
    const w = new RecordingWriter({ dir, maxFileBytes: 1 << 30, rotateHourly: false, venues: [{ id: 'a', kind: 'sim' }] });
    const symbols = ['BTC-USD'];
    w.setInstruments(0, [inst('BTC-USD')], symbols);
    w.write(statusBatch([1_795_322_549_000_000]), 1, []);
    symbols[0] = 'ETH-USD'; // the caller's array, changed in place
    expect(w.manifest.symbols).toEqual(['BTC-USD']);
    w.close();
    expect(readManifest(dir).symbols).toEqual(['BTC-USD']);
  });
});
