/**
 * The engine's tap (`shm.enabled`, `--shm`) end to end: a real engine and web shell with the
 * simulator (engine-harness), the Python example reader as a separate process, real files.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type RestBook } from '../testing/engine-harness';
import { parseCommandLine } from '../options';
import { RestSchemas } from '../serve/openapi';
import { loadAddon } from './addon';
import type { ShmStatus } from './status';
import { removeShm, skipReason, spawnReader, testShmPath, type Proc } from './test-support';

const getShm = async (h: Harness): Promise<ShmStatus> => (await (await fetch(`${h.base}/api/v1/shm`)).json()) as ShmStatus;

const BOOKS = [['sim-a', 'BTC-USD'], ['sim-a', 'ETH-USD'], ['sim-b', 'BTC-USD'], ['sim-b', 'ETH-USD']] as const;
const DEPTH = 10;
const RING = 256;

/**
 * Polls GET /api/v1/books for every book and looks, in the reader's JSON lines from `from` on,
 * for the same book at the same version; every such pair must be equal (top DEPTH levels, as
 * decimal strings). Resolves once each book matched at `want` distinct versions.
 */
async function matchEngineBooks(h: Harness, reader: Proc, from: number, want: number, ms: number): Promise<number> {
  const rest = new Map<string, RestBook>();
  const matched = new Map<string, Set<number>>(BOOKS.map(([v, s]) => [`${v}/${s}`, new Set<number>()]));
  const deadline = Date.now() + ms;
  for (;;) {
    for (const [venue, symbol] of BOOKS) {
      const b = await h.book(venue, symbol, DEPTH);
      if (!b.stale) rest.set(`${venue}/${symbol}@${b.version}`, b);
    }
    for (const line of reader.lines.slice(from)) {
      if (line.type !== 'books') continue;
      for (const b of line.books as Array<{ venue: string; symbol: string; version: number; valid: boolean; bids: unknown; asks: unknown }>) {
        const engine = b.valid ? rest.get(`${b.venue}/${b.symbol}@${b.version}`) : undefined;
        if (!engine) continue;
        expect({ bids: b.bids, asks: b.asks }, `${b.venue}/${b.symbol} at version ${b.version}`).toEqual({ bids: engine.bids, asks: engine.asks });
        matched.get(`${b.venue}/${b.symbol}`)?.add(b.version);
      }
    }
    if ([...matched.values()].every((s) => s.size >= want)) return [...matched.values()].reduce((n, s) => n + s.size, 0);
    if (Date.now() > deadline) throw new Error(`books matched at too few versions: ${JSON.stringify([...matched].map(([k, s]) => [k, s.size]))}; reader stderr: ${reader.stderr().slice(-300)}`);
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe.skipIf(skipReason !== null)(`the engine's shm tap with the simulator${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  const path = testShmPath('engine');
  const readers: Proc[] = [];
  let h: Harness;

  beforeAll(async () => {
    // A 256-slot book ring: small enough that a reader stalled for 2 s is lapped (≈600 records
    // written meanwhile), large enough for a full snapshot round (4 books × 7 records + 2 markers)
    // and for a healthy reader descheduled for most of a second.
    h = await startHarness({
      enabled: ['sim-a', 'sim-b'],
      symbols: ['BTC-USD', 'ETH-USD'],
      simulator: { updatesPerSecond: 150, levelsPerSide: 40 },
      shm: { enabled: true, path, bookSlots: RING, tradeSlots: RING },
    });
  });
  afterAll(async () => {
    for (const r of readers) r.kill('SIGKILL');
    await h?.stop();
    removeShm(path);
  });

  it('lets a Python reader rebuild every book equal to GET /api/v1/books at the same version', async () => {
    // Tried: the reader attaches to the running engine (it asks for full books on attach) and
    // prints its top 10 levels every 50 ms while the test polls the REST API. Must hold: wherever
    // both saw a book at the same version, the levels are equal, for every book, several times.
    expect(existsSync(path)).toBe(true);
    const reader = spawnReader(path, ['--json', '--depth', String(DEPTH), '--interval', '0.05', '--name', 'healthy']);
    readers.push(reader);
    expect(await matchEngineBooks(h, reader, 0, 3, 15_000)).toBeGreaterThanOrEqual(12);
    expect(reader.lines.filter((l) => l.event === 'overrun')).toEqual([]);
    const last = reader.lines.filter((l) => l.type === 'books').at(-1);
    expect(last.books.map((b: { venue: string; symbol: string }) => `${b.venue}/${b.symbol}`).sort()).toEqual(BOOKS.map(([v, s]) => `${v}/${s}`).sort());
  }, 30_000);

  it('lets a reader that fell behind detect the overrun, ask for full books and get them equal to the engine\'s', async () => {
    // Tried: a second reader stalls for 2 s after its first 20 records while the engine keeps
    // writing (it never waits). Must hold: the reader reports a book-ring overrun, asks for a
    // snapshot, and its books after that match the engine's again; the healthy reader is unaffected.
    const reader = spawnReader(path, ['--json', '--depth', String(DEPTH), '--interval', '0.05', '--name', 'laggard', '--stall-after', '20', '--stall-ms', '2000']);
    readers.push(reader);
    const overrun = await reader.waitFor((l) => l.event === 'overrun' && l.ring === 'book', 10_000, 'a book-ring overrun');
    expect(overrun.missed).toBeGreaterThan(RING);
    const from = reader.lines.indexOf(overrun);
    expect(await matchEngineBooks(h, reader, from, 2, 15_000)).toBeGreaterThanOrEqual(8);
    const status = await getShm(h);
    const laggard = status.readers.find((r) => r.name === 'laggard')!;
    expect(laggard).toMatchObject({ alive: true, state: 'active' });
    expect(laggard.overruns).toBeGreaterThanOrEqual(1);
    expect(laggard.snapshotsServed).toBe(laggard.snapshotRequests);
    expect(readers[0]!.lines.filter((l) => l.event === 'overrun')).toEqual([]);
  }, 30_000);

  it('reports the tap in GET /api/v1/shm and the About panel: records written, readers and their lag', async () => {
    // Must hold: the answer fits the OpenAPI schema with readers present; running, the configured path, records of both kinds written, snapshot rounds for
    // the two readers' requests, the instrument directory filled, both readers alive with small lag.
    const status = await getShm(h);
    expect(RestSchemas.ShmStatus.safeParse(status).error?.issues ?? []).toEqual([]);
    expect(status).toMatchObject({ enabled: true, state: 'running', reason: null, path, layoutVersion: 1, bookSlots: RING, tradeSlots: RING, instruments: 4 });
    expect(status.records.book).toBeGreaterThan(100);
    expect(status.records.trade).toBeGreaterThan(0);
    expect(status.snapshots.rounds).toBeGreaterThanOrEqual(2);
    expect(status.readers.map((r) => r.name).sort()).toEqual(['healthy', 'laggard']);
    for (const r of status.readers) expect(r.bookLag).toBeLessThan(RING);
    expect(h.pulse.engine.about().shmTap).toBe(`on: ${path}, 2 readers`);
  });
});

describe('the engine without the addon', () => {
  it('starts, serves books and reports the tap unavailable, with the reason', async () => {
    // Tried: PULSE_SHM_ADDON pointing at a file that does not exist, shm.enabled true.
    // Must hold: the engine starts and its books go live; GET /api/v1/shm says unavailable and
    // why; no shared-memory file is made.
    const path = testShmPath('no-addon');
    const missing = join(tmpdir(), 'pulse-no-addon', 'pulse_shm.node');
    process.env.PULSE_SHM_ADDON = missing;
    let h: Harness | undefined;
    try {
      h = await startHarness({ enabled: ['sim-a'], symbols: ['BTC-USD'], shm: { enabled: true, path } });
      await h.liveBook('sim-a', 'BTC-USD');
      const status = await getShm(h);
      expect(status).toMatchObject({ enabled: true, state: 'unavailable', path, readers: [], records: { book: 0, trade: 0 } });
      expect(status.reason).toContain(`the pulse_shm addon is not built (${missing} is missing`);
      expect(h.pulse.engine.about().shmTap).toMatch(/^unavailable: the pulse_shm addon is not built/);
      expect(existsSync(path)).toBe(false);
    } finally {
      delete process.env.PULSE_SHM_ADDON;
      await h?.stop();
    }
  }, 20_000);

  it('says so when the addon file exists but cannot be loaded', () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'pulse-bad-addon-')), 'pulse_shm.node');
    writeFileSync(bad, 'not a shared object');
    const load = loadAddon({ PULSE_SHM_ADDON: bad });
    expect(load.ok).toBe(false);
    expect(!load.ok && load.reason).toMatch(/failed to load: .*(invalid ELF|too short|not a mach-o)/i);
  });
});

describe('--shm on the command line', () => {
  it('turns the tap on, with the configured path or the one given', () => {
    expect(parseCommandLine(['serve']).config.shm).toMatchObject({ enabled: false, path: 'pulse-shm' });
    expect(parseCommandLine(['serve', '--shm']).config.shm).toMatchObject({ enabled: true, path: 'pulse-shm' });
    expect(parseCommandLine(['--shm', 'serve'])).toMatchObject({ command: 'serve', config: { shm: { enabled: true, path: 'pulse-shm' } } });
    expect(parseCommandLine(['serve', '--shm', '/dev/shm/desk-feed', '--port', '0']).config.shm).toMatchObject({ enabled: true, path: '/dev/shm/desk-feed' });
    expect(parseCommandLine(['serve', '--shm=feed']).config.shm.path).toBe('feed');
    expect(() => parseCommandLine(['serve', '--shm'], {}).config.shm.bookSlots).not.toThrow();
  });
});
