/**
 * Starts a real engine and web shell in-process (collector workers and all) for integration
 * tests, and reads books back through the public REST API.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, type ConfigInput } from '../config';
import { runServe, type RunningServe } from '../serve/run-serve';
import { until } from './book-client';

export interface RestBook {
  venue: string;
  symbol: string;
  version: number;
  stale: boolean;
  staleReason?: string;
  bids: [string, string][];
  asks: [string, string][];
}

export interface Harness {
  pulse: RunningServe;
  base: string;
  wsUrl: string;
  book(venue: string, symbol: string, depth?: number): Promise<RestBook>;
  venues(): Promise<Array<Record<string, any>>>;
  /** waits until the venue's book is live (not stale) and `check` holds for it */
  liveBook(venue: string, symbol: string, check?: (b: RestBook) => boolean, ms?: number, depth?: number): Promise<RestBook>;
  stop(): Promise<void>;
}

export async function startHarness(config: ConfigInput): Promise<Harness> {
  // Each harness gets its own data dir: journals of parallel test files must never mix.
  const dataDir = config.dataDir ?? mkdtempSync(join(tmpdir(), 'pulse-test-'));
  // Inference runs only in the tests that ask for it (it starts its own worker).
  const pulse = await runServe(parseConfig({ port: 0, inference: { enabled: false }, ...config, dataDir }), () => {});
  const base = pulse.shell.url.replace(/\/$/, '');
  const book = async (venue: string, symbol: string, depth = 1000): Promise<RestBook> => {
    const res = await fetch(`${base}/api/v1/books/${venue}/${symbol}?depth=${depth}`);
    if (!res.ok) throw new Error(`GET book ${venue}/${symbol}: ${res.status} ${await res.text()}`);
    return (await res.json()) as RestBook;
  };
  return {
    pulse,
    base,
    wsUrl: `${base.replace('http', 'ws')}/ws`,
    book,
    venues: async () => (await (await fetch(`${base}/api/v1/venues`)).json()) as Array<Record<string, any>>,
    liveBook: async (venue, symbol, check = () => true, ms = 10_000, depth = 1000) => {
      let last: RestBook | null = null;
      await until(() => {
        void book(venue, symbol, depth).then((b) => (last = b), () => {});
        return last !== null && !last.stale && check(last);
      }, ms, `a live book ${venue}/${symbol}`).catch((err: Error) => {
        throw new Error(`${err.message}; last seen: ${JSON.stringify(last)?.slice(0, 400)}`);
      });
      return last!;
    },
    stop: () => pulse.stop(),
  };
}
