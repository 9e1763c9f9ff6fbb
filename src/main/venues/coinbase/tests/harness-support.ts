// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/** The real engine (harness) on a CoinbaseMock, and the checks every integration test makes. */
import { startHarness, type Harness, type RestBook } from '../../../testing/engine-harness';
import { until } from '../../../testing/book-client';
import { parsePrice, parseQty } from '../../../../shared/instruments';
import type { CoinbaseMock } from './mock-server';

/** Small timeouts so recovery takes well under a second or two. */
export const TEST_RESILIENCE = {
  heartbeatTimeoutMs: 700,
  backoffInitialMs: 20,
  backoffMaxMs: 200,
  breakerFailures: 5,
  breakerHalfOpenMs: 300,
  maxMessageBytes: 512 * 1024,
};

export function startCoinbase(mock: CoinbaseMock, opts: { symbols?: string[]; settings?: Record<string, unknown> } = {}): Promise<Harness> {
  return startHarness({
    enabled: ['coinbase'],
    symbols: opts.symbols,
    venues: { coinbase: { wsUrl: mock.wsUrl, restUrl: mock.restUrl, resilience: TEST_RESILIENCE, ...opts.settings } },
  });
}

/** Whether the engine's book (REST, full depth) equals the mock's reference book level by level. */
export function sameBook(rest: RestBook, mock: CoinbaseMock, symbol: string): boolean {
  const ref = mock.books.get(symbol)!;
  const p = ref.precision;
  const side = (levels: [string, string][], want: Array<[number, number]>) =>
    levels.length === want.length && levels.every(([price, qty], i) => parsePrice(price, p) === want[i]![0] && parseQty(qty, p) === want[i]![1]);
  return side(rest.bids, ref.sorted(0)) && side(rest.asks, ref.sorted(1));
}

/** Pauses the mock's stream, waits until every book is live and equal to the mock's, resumes. */
export async function expectExact(h: Harness, mock: CoinbaseMock, symbols: string[], ms = 5000): Promise<void> {
  mock.pause();
  try {
    for (const s of symbols) await h.liveBook('coinbase', s, (b) => sameBook(b, mock, s), ms);
  } finally {
    mock.resume();
  }
}

export async function status(h: Harness): Promise<Record<string, any>> {
  return (await h.venues()).find((v) => v.id === 'coinbase')!;
}

/** Waits until the venue's counters (posted once a second) satisfy `check`. */
export async function counters(h: Harness, check: (c: Record<string, number>) => boolean, what: string): Promise<Record<string, number>> {
  let last: Record<string, number> = {};
  await until(() => {
    void status(h).then((s) => (last = s.counters), () => {});
    return check(last);
  }, 4000, `counters: ${what}`).catch((err: Error) => {
    throw new Error(`${err.message}; last: ${JSON.stringify(last)}`);
  });
  return last;
}

export type LogMark = object | undefined;

/** The newest log entry now: pass it to logs()/logLine() to see only what was logged after it. */
export function logMark(h: Harness): LogMark {
  return h.pulse.engine.hosts[0]!.recentLogs.at(-1);
}

export function logs(h: Harness, since?: LogMark): string[] {
  const all = h.pulse.engine.hosts[0]!.recentLogs;
  return all.slice(since ? all.indexOf(since as never) + 1 : 0).map((l) => l.msg);
}

export async function logLine(h: Harness, pattern: RegExp, since?: LogMark): Promise<string> {
  await until(() => logs(h, since).some((l) => pattern.test(l)), 3000, `a log line matching ${pattern}`);
  return logs(h, since).find((l) => pattern.test(l))!;
}

/** How many times each engine book has gone from exact to stale (shown stale to clients). */
export function staleEvents(h: Harness): number[] {
  return h.pulse.engine.hosts[0]!.books.map((b) => b.staleEvents);
}

/**
 * Watches the engine's books every 2 ms while a test runs: a book shown live (not stale) must
 * never be crossed. Returns what it saw wrong.
 */
export function watchBooks(h: Harness): { stop(): string[] } {
  const seen: string[] = [];
  const timer = setInterval(() => {
    for (const b of h.pulse.engine.hosts[0]?.books ?? []) {
      if (!b.stale && b.book.isCrossed()) seen.push(`${b.symbol} live and crossed at version ${b.version}`);
    }
  }, 2);
  return {
    stop: () => {
      clearInterval(timer);
      return seen;
    },
  };
}
