import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startHarness, type Harness, type RestBook } from '../testing/engine-harness';
import { until } from '../testing/book-client';
import { formatPrice, formatQty, precisionOf } from '../../shared/instruments';
import type { PriceTicks, Qty } from '../../shared/units';
import { readManifest } from './manifest';
import { parseCommandLine } from '../options';
import { eventLines, rebuildBooks, type RebuiltBook } from './test-support';

const dir = (name: string): string => mkdtempSync(join(tmpdir(), `pulse-rec-${name}-`));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The documented schema (docs/recording.md), as apache-arrow names the types. */
const SCHEMA = [
  'recv_ts: Timestamp<MICROSECOND, UTC> not null',
  'exchange_ts: Timestamp<MICROSECOND, UTC>',
  'venue: Dictionary<Uint8, Utf8> not null',
  'symbol: Dictionary<Uint16, Utf8>',
  'kind: Dictionary<Uint8, Utf8> not null',
  'flags: Uint8 not null',
  'side: Uint8',
  'price_ticks: Int64',
  'qty_lots: Int64',
  'version: Int64',
  'prev_version: Int64',
  'trade_id: Int64',
  'state: Dictionary<Uint8, Utf8>',
  'reason: Utf8',
];

/** Records a short simulator session once for the tests below. */
let recorded: { dir: string; symbols: string[] } | null = null;
async function recording(): Promise<{ dir: string; symbols: string[] }> {
  if (recorded) return recorded;
  const out = dir('sim');
  const h = await startHarness({
    enabled: ['sim-a', 'sim-b'], symbols: ['BTC-USD', 'ETH-USD'],
    simulator: { seed: 11, updatesPerSecond: 1500, levelsPerSide: 50 },
    record: { dir: out, batchRows: 2048, flushMs: 100, maxFileMB: 0.25 },
  });
  await h.liveBook('sim-a', 'BTC-USD');
  await sleep(1500);
  await h.stop();
  const engine = h.pulse.engine;
  // After stop the engine's books hold every update it drained, and the recorder has written them all.
  for (const venue of ['sim-a', 'sim-b']) {
    const rebuilt = rebuildBooks(out, venue);
    for (const symbol of ['BTC-USD', 'ETH-USD']) {
      const mb = engine.findBook(venue, symbol)!;
      expect(levels(rebuilt.get(symbol)!, 0), `${venue} ${symbol}`).toEqual(engineLevels(mb.book, 0));
      expect(levels(rebuilt.get(symbol)!, 1), `${venue} ${symbol}`).toEqual(engineLevels(mb.book, 1));
    }
  }
  recorded = { dir: out, symbols: ['BTC-USD', 'ETH-USD'] };
  return recorded;
}

function levels(b: RebuiltBook, side: 0 | 1): Array<[number, number]> {
  const m = side === 0 ? b.bids : b.asks;
  return [...m.entries()].sort((x, y) => (side === 0 ? y[0] - x[0] : x[0] - y[0]));
}

function engineLevels(book: { depth(s: 0 | 1): number; priceAt(s: 0 | 1, i: number): number; qtyAt(s: 0 | 1, i: number): number }, side: 0 | 1): Array<[number, number]> {
  return Array.from({ length: book.depth(side) }, (_, i) => [book.priceAt(side, i), book.qtyAt(side, i)] as [number, number]);
}

/** A rebuilt book in the REST API's shape (prices and sizes as decimal strings). */
function asRest(b: RebuiltBook, tickSize: string, lotSize: string): Pick<RestBook, 'bids' | 'asks'> {
  const p = precisionOf({ tickSize, lotSize });
  const fmt = (side: 0 | 1) => levels(b, side).map(([px, q]) => [formatPrice(px as PriceTicks, p), formatQty(q as Qty, p)] as [string, string]);
  return { bids: fmt(0), asks: fmt(1) };
}

async function replayUntilEnded(h: Harness, venue: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = (await h.venues()).find((x) => x.id === venue);
    if (v?.replay?.ended) return;
    if (Date.now() > deadline) throw new Error(`replay of ${venue} did not end: ${JSON.stringify(v?.replay)}`);
    await sleep(50);
  }
}

describe('recording (--record)', () => {
  it('writes complete Arrow IPC files with the documented schema and a manifest', async () => {
    const { dir: out } = await recording();
    const manifest = readManifest(out);
    expect(manifest).toMatchObject({ format: 'pulse-recording', schemaVersion: 1, complete: true, error: null });
    expect(manifest.venues.map((v) => v.id)).toEqual(['sim-a', 'sim-b']);
    expect(manifest.venues[0]!.instruments.map((i) => i.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
    expect(manifest.venues[0]!.instruments[0]).toMatchObject({ tickSize: expect.any(String), lotSize: expect.any(String) });
    expect(manifest.files.length).toBeGreaterThan(1); // rotated by size
    expect(manifest.timeRange!.endUs).toBeGreaterThan(manifest.timeRange!.startUs);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    let rows = 0;
    for (const f of manifest.files) {
      const table = tableFromIPC(readFileSync(join(out, f.name)));
      expect(table.schema.fields.map((x) => `${x.name}: ${x.type}${x.nullable ? '' : ' not null'}`)).toEqual(SCHEMA);
      expect(table.schema.metadata.get('pulse.schema_version')).toBe('1');
      expect(table.numRows).toBe(f.rows);
      rows += table.numRows;
    }
    const first = tableFromIPC(readFileSync(join(out, manifest.files[0]!.name)));
    const row = first.get(0)!.toJSON();
    expect(row).toMatchObject({ venue: expect.stringMatching(/^sim-/), kind: expect.stringMatching(/^(book|status)$/) });
    const kinds = new Set(first.getChild('kind')!.toArray() as string[]);
    expect(kinds.has('book')).toBe(true);
    expect(rows).toBeGreaterThan(1000);
  }, 60_000);
});

describe('replay (--replay)', () => {
  it('--replay DIR --speed N makes one replay venue per recorded venue; --record DIR sets record.dir', async () => {
    const { dir: src } = await recording();
    const { config } = parseCommandLine(['serve', '--replay', src, '--speed', '10', '--record', '/tmp/x']);
    expect(config.enabled).toEqual(['replay-sim-a', 'replay-sim-b']);
    expect(config.venues['replay-sim-a']).toEqual({ dir: src, source: 'sim-a', speed: 10 });
    expect(config.record).toMatchObject({ dir: '/tmp/x', maxFileMB: 256, rotateHourly: true });
    expect(() => parseCommandLine(['serve', '--replay', dir('empty')])).toThrow(/--replay: no recording in .*manifest\.json/);
    expect(() => parseCommandLine(['serve', '--speed', '2'])).toThrow(/--speed applies to --replay/);
  });

  it('plays a recording twice (1x and 10x) into identical books and an identical event sequence', async () => {
    const { dir: src, symbols } = await recording();
    const manifest = readManifest(src);
    const runs: Array<{ dir: string; books: Map<string, RestBook> }> = [];
    for (const speed of [1, 10, 10]) {
      const out = dir(`replay-${speed}`);
      const enabled = manifest.venues.map((v) => `replay-${v.id}`);
      const venues = Object.fromEntries(manifest.venues.map((v) => [`replay-${v.id}`, { dir: src, source: v.id, speed }]));
      const h = await startHarness({ enabled, venues, record: { dir: out, flushMs: 100 } });
      const books = new Map<string, RestBook>();
      try {
        for (const v of enabled) await replayUntilEnded(h, v);
        for (const v of enabled) for (const s of symbols) books.set(`${v}/${s}`, await h.liveBook(v, s));
      } finally {
        await h.stop();
      }
      runs.push({ dir: out, books });
    }
    for (const v of manifest.venues) {
      const original = eventLines(src, v.id);
      const rebuilt = rebuildBooks(src, v.id);
      for (const run of runs) {
        const replayed = eventLines(run.dir, `replay-${v.id}`);
        // The same updates (versions, levels, exchange times) and trades, in the same order.
        expect(replayed.books.length).toBe(original.books.length);
        expect(replayed.books).toEqual(original.books);
        expect(replayed.trades).toEqual(original.trades);
        for (const s of symbols) {
          const inst = v.instruments.find((i) => i.symbol === s)!;
          const book = run.books.get(`replay-${v.id}/${s}`)!;
          expect({ bids: book.bids, asks: book.asks }).toEqual(asRest(rebuilt.get(s)!, inst.tickSize, inst.lotSize));
        }
      }
      expect([...runs[1]!.books.values()]).toEqual([...runs[0]!.books.values()]);
      expect([...runs[2]!.books.values()]).toEqual([...runs[0]!.books.values()]);
    }
  }, 90_000);

  it('pauses, seeks to a recorded time (books as they were then) and changes speed on commands', async () => {
    const { dir: src } = await recording();
    const manifest = readManifest(src);
    const venue = 'replay-sim-a';
    const h = await startHarness({ enabled: [venue], venues: { [venue]: { dir: src, source: 'sim-a', speed: 0.2 } } });
    const ws = new WebSocket(h.wsUrl, { headers: { origin: h.base } });
    const messages: Array<Record<string, any>> = [];
    ws.on('message', (data, binary) => {
      if (!binary) messages.push(JSON.parse(data.toString()));
    });
    await new Promise((r) => ws.once('open', r));
    try {
      await h.liveBook(venue, 'BTC-USD');
      ws.send(JSON.stringify({ type: 'replay', action: 'pause' }));
      await until(() => messages.some((m) => m.type === 'replay' && m.venues[0]?.paused), 5000, 'a paused replay');
      // Bad commands are refused by name.
      ws.send(JSON.stringify({ type: 'replay', action: 'speed', speed: -1 }));
      await until(() => messages.some((m) => m.type === 'error' && /speed/.test(m.message)), 5000, 'an error naming speed');

      const { startUs, endUs } = manifest.timeRange!;
      const target = Math.round(startUs + (endUs - startUs) * 0.6);
      ws.send(JSON.stringify({ type: 'replay', action: 'seek', timeUs: target }));
      const expected = rebuildBooks(src, 'sim-a', target);
      const inst = manifest.venues[0]!.instruments.find((i) => i.symbol === 'BTC-USD')!;
      const want = asRest(expected.get('BTC-USD')!, inst.tickSize, inst.lotSize);
      const got = await h.liveBook(venue, 'BTC-USD', (b) => JSON.stringify(b.bids) === JSON.stringify(want.bids) && JSON.stringify(b.asks) === JSON.stringify(want.asks));
      const status = (await h.venues()).find((v) => v.id === venue)!.replay;
      expect(status).toMatchObject({ paused: true, positionUs: target });
      // Paused: nothing moves.
      await sleep(300);
      expect((await h.book(venue, 'BTC-USD')).version).toBe(got.version);

      ws.send(JSON.stringify({ type: 'replay', action: 'speed', speed: 50 }));
      ws.send(JSON.stringify({ type: 'replay', action: 'resume' }));
      await replayUntilEnded(h, venue);
      const end = rebuildBooks(src, 'sim-a');
      const final = await h.liveBook(venue, 'BTC-USD');
      expect({ bids: final.bids, asks: final.asks }).toEqual(asRest(end.get('BTC-USD')!, inst.tickSize, inst.lotSize));
      // Back to the start after the end (paused, so the position stays put).
      ws.send(JSON.stringify({ type: 'replay', action: 'pause' }));
      ws.send(JSON.stringify({ type: 'replay', action: 'seek', timeUs: 0 }));
      await until(() => messages.some((m) => m.type === 'replay' && m.venues[0]?.paused && !m.venues[0]?.ended && m.venues[0]?.positionUs === m.venues[0]?.startUs), 5000, 'a replay back at its start');
      const replayStart = (await h.venues()).find((v) => v.id === venue)!.replay.startUs as number; // sim-a's first row
      expect(replayStart).toBeGreaterThanOrEqual(startUs);
      const first = asRest(rebuildBooks(src, 'sim-a', replayStart).get('BTC-USD')!, inst.tickSize, inst.lotSize);
      await h.liveBook(venue, 'BTC-USD', (b) => JSON.stringify(b.bids) === JSON.stringify(first.bids) && JSON.stringify(b.asks) === JSON.stringify(first.asks));
    } finally {
      ws.terminate();
      await h.stop();
    }
  }, 60_000);
});

describe('recording on a full disk', () => {
  it('stops recording with a clear error; the feed and order entry go on; files already written still open', () => {
    const out = dir('full');
    const data = dir('full-data');
    const harness = new URL('../testing/engine-harness.ts', import.meta.url).pathname;
    // A child process with a 128 KiB file-size limit (ulimit -f; SIGXFSZ ignored so writes fail
    // with EFBIG). Recording starts slowly (small files, rotated at 32 KiB), then the rate jumps
    // so one batch is larger than the limit.
    const script = `
      import { startHarness } from ${JSON.stringify(harness)};
      const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
      const h = await startHarness({
        enabled: ['sim-a'], symbols: ['BTC-USD', 'ETH-USD'], dataDir: ${JSON.stringify(data)},
        simulator: { seed: 3, updatesPerSecond: 300, levelsPerSide: 10 },
        record: { dir: ${JSON.stringify(out)}, batchRows: 4096, flushMs: 100, maxFileMB: 0.03 },
      });
      const engine = h.pulse.engine;
      await h.liveBook('sim-a', 'BTC-USD');
      await sleep(2500);
      const filesBefore = engine.recorder.status.files;
      engine.host('sim-a').send({ type: 'set-rate', updatesPerSecond: 200000 });
      for (let i = 0; i < 100 && engine.recorder.status.state !== 'failed'; i++) await sleep(100);
      engine.host('sim-a').send({ type: 'set-rate', updatesPerSecond: 300 });
      const v0 = engine.findBook('sim-a', 'BTC-USD').version;
      await sleep(500);
      const v1 = engine.findBook('sim-a', 'BTC-USD').version;
      const placed = engine.desk.handle({ type: 'place-order', order: { clientOrderId: 'after-full-1', venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'market', qty: '0.001', tif: 'IOC' } }, 'trader');
      await sleep(200);
      const order = engine.desk.snapshot().orders.find((o) => o.clientOrderId === 'after-full-1');
      const venues = await h.venues();
      await h.stop();
      console.log(JSON.stringify({ filesBefore, status: engine.recorder.status, v0, v1, placed: placed.ok, order: order?.state, rest: venues[0].recording }));
      process.exit(0);
    `;
    const file = join(data, 'child.mts');
    writeFileSync(file, script);
    const res = spawnSync('bash', ['-c', `ulimit -f 128; trap '' XFSZ; exec ${process.execPath} --import tsx ${file}`], { encoding: 'utf8', cwd: process.cwd(), timeout: 60_000 });
    const last = res.stdout.trim().split('\n').at(-1) ?? '';
    let out2: Record<string, any>;
    try {
      out2 = JSON.parse(last);
    } catch {
      throw new Error(`child failed (${res.status} ${res.signal}): ${res.stderr.slice(-2000)} ${res.stdout.slice(-2000)}`);
    }
    expect(out2.status).toMatchObject({ state: 'failed', error: { code: 'EFBIG', message: expect.stringMatching(/recording to .* stopped: the disk is full .*EFBIG.*files completed before this are intact/) } });
    expect(out2.rest).toMatchObject({ state: 'failed', error: { code: 'EFBIG' } });
    expect(out2.filesBefore).toBeGreaterThan(0);
    expect(out2.v1).toBeGreaterThan(out2.v0); // the feed went on
    expect(out2.placed).toBe(true);
    expect(out2.order).toBe('filled'); // and so did order entry
    const manifest = readManifest(out);
    expect(manifest.complete).toBe(false);
    expect(manifest.error).toMatchObject({ code: 'EFBIG' });
    expect(manifest.files.length).toBeGreaterThanOrEqual(out2.filesBefore);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    for (const f of manifest.files) {
      const table = tableFromIPC(readFileSync(join(out, f.name)));
      expect(table.numRows).toBe(f.rows);
    }
    expect(readdirSync(out).filter((f) => f.endsWith('.arrow')).sort()).toEqual(manifest.files.map((f) => f.name).sort());
  }, 90_000);
});
