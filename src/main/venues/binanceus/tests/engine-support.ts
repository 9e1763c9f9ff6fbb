/**
 * The real engine (collector worker and all, via the harness) on the Binance.US mock, with the
 * checks every fault test makes: the venue's counters and log lines, the engine's book stale marks,
 * no crossed live book ever sampled, and the engine's book equal to the mock's once it is paused.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import { expect } from 'vitest';
import { startHarness, type Harness, type RestBook } from '../../../testing/engine-harness';
import { MockBinanceUs, type MockOptions } from './mock-server';

/** small timeouts so every recovery takes well under a few seconds */
export const TEST_RESILIENCE = {
  heartbeatTimeoutMs: 1000,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  breakerFailures: 5,
  breakerHalfOpenMs: 300,
  pingIntervalMs: 200,
  maxMessageBytes: 256 * 1024,
};

export const venueSymbol = (symbol: string) => symbol.replace('-', '');

export interface VenueUnderTest {
  mock: MockBinanceUs;
  h: Harness;
  counters(): Promise<Record<string, number>>;
  /** the counters of the collector's next report (they are posted once a second) */
  freshCounters(): Promise<Record<string, number>>;
  staleBooks(): Promise<string[]>;
  /** log lines of the collector since `from` (an index from logMark()) */
  logs(from?: number): string[];
  logMark(): number;
  /** times the engine's book went from exact to stale */
  staleEvents(symbol: string): number;
  /** crossed books the background monitor saw shown as live (must stay empty) */
  crossedLive: string[];
  /** pauses the mock, waits until the engine's book is live and equal to it level by level, resumes */
  expectMatch(symbol: string, ms?: number): Promise<RestBook>;
  eventually(check: () => Promise<boolean> | boolean, what: string, ms?: number): Promise<void>;
  /** waits until the engine's book has taken `n` more live updates (past any first-event-after-snapshot) */
  settle(symbol: string, n?: number): Promise<void>;
  stop(): Promise<void>;
}

const sameLevels = (a: [string, string][], b: [string, string][]) => a.length === b.length && a.every((l, i) => l[0] === b[i]![0] && l[1] === b[i]![1]);

export async function startVenue(opts: { symbols?: string[]; settings?: Record<string, unknown>; resilience?: Record<string, number>; mock?: MockOptions } = {}): Promise<VenueUnderTest> {
  const symbols = opts.symbols ?? ['BTC-USD', 'ETH-USD'];
  const mock = await MockBinanceUs.start(opts.mock);
  const h = await startHarness({
    enabled: ['binanceus'],
    symbols,
    venues: {
      binanceus: {
        wsUrl: mock.wsUrl,
        restUrl: mock.restUrl,
        snapshotWaitMs: 100,
        rateLimitCooldownMs: 1000,
        ...opts.settings,
        resilience: { ...TEST_RESILIENCE, ...opts.resilience },
      },
    },
  });
  const host = () => h.pulse.engine.hosts[0]!;
  const status = async () => (await h.venues()).find((v) => v.id === 'binanceus')!;
  const crossedLive: string[] = [];
  let monitoring = true;
  const monitor = (async () => {
    while (monitoring) {
      for (const s of symbols) {
        const mb = h.pulse.engine.findBook('binanceus', s);
        if (mb && !mb.stale && mb.book.depth(0) > 0 && mb.book.depth(1) > 0 && mb.book.bestPrice(0) >= mb.book.bestPrice(1)) {
          crossedLive.push(`${s} v${mb.version}: bid ${mb.book.bestPrice(0)} >= ask ${mb.book.bestPrice(1)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const eventually = async (check: () => Promise<boolean> | boolean, what: string, ms = 8000) => {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}; logs: ${host().recentLogs.slice(-8).map((l) => l.msg).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const vut: VenueUnderTest = {
    mock,
    h,
    crossedLive,
    eventually,
    counters: async () => (await status()).counters,
    async freshCounters() {
      const first = (await status()).counters;
      let next = first;
      await eventually(async () => (next = (await status()).counters).updates !== first.updates, 'a counters report');
      return next;
    },
    staleBooks: async () => (await status()).staleBooks,
    logMark: () => host().recentLogs.length,
    logs: (from = 0) => host().recentLogs.slice(from).map((l) => l.msg),
    staleEvents: (symbol) => h.pulse.engine.findBook('binanceus', symbol)?.staleEvents ?? 0,
    async settle(symbol, n = 5) {
      const at = h.pulse.engine.findBook('binanceus', symbol)!.version;
      await eventually(() => {
        const mb = h.pulse.engine.findBook('binanceus', symbol)!;
        return !mb.stale && mb.version >= at + n;
      }, `${n} live updates of ${symbol}`);
    },
    async expectMatch(symbol, ms = 8000) {
      mock.paused = true;
      try {
        const view = mock.book(venueSymbol(symbol)).view();
        const book = await h.liveBook('binanceus', symbol, (b) => sameLevels(b.bids, view.bids) && sameLevels(b.asks, view.asks), ms);
        expect(book.bids.length).toBeGreaterThan(10);
        expect(Number(book.bids[0]![0])).toBeLessThan(Number(book.asks[0]![0]));
        return book;
      } finally {
        mock.paused = false;
      }
    },
    async stop() {
      monitoring = false;
      await monitor;
      await h.stop();
      await mock.close();
    },
  };
  return vut;
}
