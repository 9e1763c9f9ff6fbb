// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
/** One fault-matrix case against the real engine on the mock: inject, then check what must hold. */
import { expect } from 'vitest';
import type { Harness } from '../../../testing/engine-harness';
import type { CoinbaseMock } from './mock-server';
import { counters, expectExact, logLine, logMark, staleEvents, status, watchBooks } from './harness-support';

export const SYMBOLS = ['BTC-USD', 'ETH-USD', 'SOL-USD'];

export interface FaultCase {
  inject(mock: CoinbaseMock): void;
  /** counters that must have gone up (by at least the amount given) */
  counted: Partial<Record<'gaps' | 'badMessages' | 'reconnects' | 'resyncs', number>>;
  /** the log line that says what happened */
  logged: RegExp;
  /** whether the books could not be vouched for: then each must have been shown stale before its recovery */
  stale: boolean;
}

/**
 * What holds after every fault: no crash (the venue serves and recovers), the fault counted and
 * logged, never a live crossed book, stale shown while a book was not exact, and in the end
 * every book live and equal to the mock's, level by level.
 */
export async function expectSurvives(h: Harness, mock: CoinbaseMock, c: FaultCase): Promise<void> {
  await expectExact(h, mock, SYMBOLS);
  const before = (await status(h)).counters as Record<string, number>;
  const staleBefore = staleEvents(h);
  const watch = watchBooks(h);
  const mark = logMark(h);
  c.inject(mock);
  const after = await counters(h, (now) => Object.entries(c.counted).every(([k, n]) => now[k]! >= before[k]! + n!), JSON.stringify(c.counted));
  await logLine(h, c.logged, mark);
  await expectExact(h, mock, SYMBOLS);
  const staleAfter = staleEvents(h);
  if (c.stale) staleAfter.forEach((n, i) => expect(n, `${SYMBOLS[i]} shown stale`).toBeGreaterThan(staleBefore[i]!));
  else expect(staleAfter).toEqual(staleBefore);
  expect(watch.stop()).toEqual([]);
  const s = await status(h);
  expect(s).toMatchObject({ state: 'live', staleBooks: [] });
  if (!c.stale) expect(after.reconnects).toBe(before.reconnects);
}
