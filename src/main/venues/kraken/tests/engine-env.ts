// The real engine (worker threads, rings, REST API) against the Kraken mock, and the checks every
// engine-level Kraken test shares: the book equals the mock's, and no live book is ever crossed or
// one the venue never had.
import { expect } from 'vitest';
import { startHarness, type Harness, type RestBook } from '../../../testing/engine-harness';
import { until } from '../../../testing/book-client';
import type { CollectorCounters } from '../../../collectors/messages';
import { KrakenMock, type MockOptions } from './mock-server';
import { viewKey } from './mock-book';

export const DEPTH = 25;
export const SYMBOLS = ['BTC-USD', 'ETH-USD'];
export const ws = (symbol: string) => symbol.replace('-', '/');

export interface Env {
  mock: KrakenMock;
  h: Harness;
  counters(): Promise<CollectorCounters & Record<string, number>>;
  venue(): Promise<Record<string, any>>;
  logs(): string[];
  close(): Promise<void>;
}

export interface EnvOptions {
  mock?: MockOptions;
  restFailures?: number;
  resilience?: Record<string, number>;
}

export async function startEnv(opts: EnvOptions = {}): Promise<Env> {
  const mock = await KrakenMock.start({ symbols: SYMBOLS.map(ws), ...opts.mock });
  if (opts.restFailures) mock.failRest(opts.restFailures);
  let h: Harness;
  try {
    h = await startHarness({
      enabled: ['kraken'],
      symbols: SYMBOLS,
      venues: {
        kraken: {
          wsUrl: mock.wsUrl,
          restUrl: mock.restUrl,
          depth: DEPTH,
          resyncTimeoutMs: 2000,
          resilience: { heartbeatTimeoutMs: 1000, backoffInitialMs: 20, backoffMaxMs: 200, breakerFailures: 5, breakerHalfOpenMs: 300, ...opts.resilience },
        },
      },
    });
  } catch (err) {
    await mock.close();
    throw err;
  }
  const venue = async () => (await h.venues()).find((v) => v.id === 'kraken')!;
  return {
    mock,
    h,
    venue,
    counters: async () => (await venue()).counters,
    logs: () => h.pulse.engine.hosts[0]!.recentLogs.map((l) => l.msg),
    close: async () => {
      await h.stop();
      await mock.close();
    },
  };
}

const sameLevels = (b: RestBook, e: { bids: [string, string][]; asks: [string, string][] }) =>
  JSON.stringify(b.bids) === JSON.stringify(e.bids) && JSON.stringify(b.asks) === JSON.stringify(e.asks);

/** Pauses the mock's stream, waits for a live engine book equal to the mock's (full depth), resumes. */
export async function expectExact(env: Env, symbol: string, ms = 8000): Promise<void> {
  env.mock.pause();
  try {
    const book = await env.h.liveBook('kraken', symbol, (b) => sameLevels(b, env.mock.expected(ws(symbol), DEPTH)), ms);
    expect(book.bids).toHaveLength(DEPTH);
    expect(book.asks).toHaveLength(DEPTH);
    expect({ bids: book.bids, asks: book.asks }).toEqual(env.mock.expected(ws(symbol), DEPTH));
  } finally {
    env.mock.resume();
  }
}

/** Waits until a counter has grown past `from`. */
export async function counterAbove(env: Env, name: keyof CollectorCounters, from: number, ms = 5000): Promise<number> {
  let value = from;
  await until(() => {
    void env.counters().then((c) => (value = c[name]), () => {});
    return value > from;
  }, ms, `counter ${name} above ${from}`);
  return value;
}

export async function waitForLog(env: Env, pattern: RegExp, ms = 3000): Promise<string> {
  await until(() => env.logs().some((l) => pattern.test(l)), ms, `a log line matching ${pattern}`);
  return env.logs().find((l) => pattern.test(l))!;
}

/**
 * Samples the engine's REST books while a fault plays out. Holds for every sample: a book shown
 * live is not crossed and is a book the venue actually sent (in the mock's history); a book the
 * handler could not vouch for must be flagged stale.
 */
export function watch(env: Env, symbols = SYMBOLS): { stop(): Promise<{ samples: number; stale: number; violations: string[] }> } {
  let running = true;
  const out = { samples: 0, stale: 0, violations: [] as string[] };
  const loop = (async () => {
    while (running) {
      for (const symbol of symbols) {
        const b = await env.h.book('kraken', symbol).catch(() => null);
        if (!b) continue;
        out.samples++;
        if (b.stale) {
          out.stale++;
          continue;
        }
        if (b.bids.length > 0 && b.asks.length > 0 && Number(b.bids[0]![0]) >= Number(b.asks[0]![0])) out.violations.push(`${symbol} live and crossed: ${b.bids[0]![0]} >= ${b.asks[0]![0]}`);
        if (!env.mock.history.get(ws(symbol))!.has(viewKey(b))) out.violations.push(`${symbol} live at version ${b.version} with a book Kraken never sent`);
      }
      await new Promise((r) => setTimeout(r, 30));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return out;
    },
  };
}

export interface FaultCheck {
  /** the counter that must grow */
  counter: keyof CollectorCounters;
  /** the log line that must appear */
  log: RegExp;
  /** true: a book was shown stale meanwhile (the handler could not vouch for it); false: never */
  goesStale: boolean;
}

/**
 * Injects a fault while watching the books, then checks: the counter grew, the log line is there,
 * no live sample was crossed or a book Kraken never sent, the collector did not crash, and every
 * book is live and equal to the mock's again.
 */
export async function runFault(env: Env, inject: () => void | Promise<void>, check: FaultCheck): Promise<void> {
  const before = await env.counters();
  const w = watch(env);
  try {
    await inject();
    await counterAbove(env, check.counter, before[check.counter], 8000);
    await waitForLog(env, check.log);
    for (const s of SYMBOLS) await expectExact(env, s, 10_000);
  } finally {
    const seen = await w.stop();
    expect(seen.violations).toEqual([]);
    if (check.goesStale) expect(seen.stale).toBeGreaterThan(0);
    else expect(seen.stale).toBe(0);
  }
  const v = await env.venue();
  expect(v.lastError).toBeNull();
  expect(v.staleBooks).toEqual([]);
}
