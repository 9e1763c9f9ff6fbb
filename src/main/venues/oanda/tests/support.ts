/**
 * https://developer.oanda.com/rest-live-v20/pricing-ep/
 * Shared set-up for the OANDA engine tests: a mock, a real engine on it, and the checks every fault test makes. */
import { expect } from 'vitest';
import { startHarness, type Harness, type RestBook } from '../../../testing/engine-harness';
import { until } from '../../../testing/book-client';
import { OandaMock, type MockOptions } from './mock-server';

export const SYMBOLS = ['EUR-USD', 'GBP-USD', 'USD-JPY'] as const;
export const RESILIENCE = { heartbeatTimeoutMs: 800, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 3, breakerHalfOpenMs: 300 };
export const nameOf = (symbol: string) => symbol.replace('-', '_');

export interface Rig {
  mock: OandaMock;
  h: Harness;
  watch: BookWatch;
  close(): Promise<void>;
}

export async function startRig(mockOptions: MockOptions = {}, before?: (mock: OandaMock) => void): Promise<Rig> {
  const mock = await OandaMock.start({ intervalMs: 5, burst: 2, heartbeatMs: 200, ...mockOptions });
  before?.(mock);
  const h = await startHarness({
    enabled: ['oanda'],
    venues: { oanda: { streamUrl: mock.url, restUrl: mock.url, accountId: mock.accountId, token: mock.token, symbols: [...SYMBOLS], resilience: RESILIENCE } },
  });
  const watch = new BookWatch(h, mock);
  return {
    mock,
    h,
    watch,
    close: async () => {
      await watch.stop();
      await h.stop();
      await mock.close();
    },
  };
}

export const venue = async (h: Harness): Promise<Record<string, any>> => (await h.venues()).find((v) => v.id === 'oanda')!;
export const counters = async (h: Harness): Promise<Record<string, number>> => (await venue(h)).counters;
export const logs = (h: Harness): string[] => h.pulse.engine.hosts[0]!.recentLogs.map((l) => l.msg);

export async function untilLog(h: Harness, pattern: RegExp, ms = 5000): Promise<void> {
  await until(() => logs(h).some((l) => pattern.test(l)), ms, `a log line matching ${pattern}`);
}

export async function untilCounter(h: Harness, name: string, atLeast: number, ms = 5000): Promise<void> {
  let last: Record<string, number> | undefined;
  await until(() => {
    void counters(h).then((c) => (last = c), () => {});
    return (last?.[name] ?? -1) >= atLeast;
  }, ms, `counter ${name} >= ${atLeast} (last ${JSON.stringify(last)})`);
}

/** Pauses the mock (heartbeats go on), waits until every engine book is live and equals the mock's level by level, resumes. */
export async function expectExact(rig: Rig, symbols: readonly string[] = SYMBOLS, ms = 8000, keepPaused = false): Promise<void> {
  rig.mock.pause();
  try {
    for (const symbol of symbols) {
      const want = rig.mock.book(nameOf(symbol));
      const got = await rig.h.liveBook('oanda', symbol, (b) => JSON.stringify([b.bids, b.asks]) === JSON.stringify([want.bids, want.asks]), ms);
      expect(got.bids).toEqual(want.bids);
      expect(got.asks).toEqual(want.asks);
    }
  } finally {
    if (!keepPaused) rig.mock.resume();
  }
}

/**
 * Polls the engine's books through REST for as long as a test runs and records every breach of
 * the two invariants: a book is never crossed, and a book shown live is one the venue sent.
 */
export class BookWatch {
  readonly violations: string[] = [];
  samples = 0;
  private timer: NodeJS.Timeout;
  private busy = false;

  constructor(private readonly h: Harness, private readonly mock: OandaMock) {
    this.timer = setInterval(() => void this.poll(), 20);
  }

  /** Throws if any breach was seen since the last call. */
  assertClean(): void {
    const seen = this.violations.splice(0);
    expect(seen, seen.slice(0, 3).join('\n')).toEqual([]);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await until(() => !this.busy, 2000, 'the last poll');
  }

  private async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const books = await Promise.all(SYMBOLS.map((s) => this.h.book('oanda', s).catch(() => null)));
      books.forEach((b, k) => b && this.check(SYMBOLS[k]!, b));
      this.samples++;
    } finally {
      this.busy = false;
    }
  }

  private check(symbol: string, b: RestBook): void {
    if (b.bids.length && b.asks.length && Number(b.bids[0]![0]) >= Number(b.asks[0]![0])) this.violations.push(`${symbol} crossed: ${JSON.stringify(b).slice(0, 200)}`);
    if (!b.stale && !this.mock.sentBefore(nameOf(symbol), b)) this.violations.push(`${symbol} live but never sent: ${JSON.stringify(b).slice(0, 300)}`);
  }
}
