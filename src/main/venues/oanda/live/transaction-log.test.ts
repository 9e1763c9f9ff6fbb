/**
 * The transaction log's ordering invariant, by property (fast-check). Injected: a stream that
 * delivers any subsequence of the account's log, in any order, with duplicates, interleaved with
 * heartbeats naming the latest id, and a sinceid that answers in pages of random size. What must
 * hold: every transaction after the baseline is applied exactly once, in strictly increasing id
 * order, with nothing skipped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Transaction } from './messages';
import { TransactionLog } from './transaction-log';

const tx = (id: number): Transaction => ({ id: String(id), type: 'ORDER_FILL', time: '2024-01-02T03:04:05.000000000Z' });

describe('TransactionLog', () => {
  it('applies every transaction after the baseline once, in id order, whatever the stream does', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.array(fc.tuple(fc.oneof(fc.record({ push: fc.nat(60) }), fc.record({ beat: fc.constant(true) }), fc.record({ grow: fc.integer({ min: 1, max: 5 }) })), fc.boolean()), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        async (initial, events, page) => {
          const base = 1000;
          let last = base + initial;
          const applied: number[] = [];
          const log = new TransactionLog({
            baseline: async () => base,
            since: async (id) => {
              await Promise.resolve();
              const ids = [];
              for (let n = id + 1; n <= last && ids.length < page; n++) ids.push(n);
              return { transactions: ids.map(tx), last };
            },
            apply: (t) => applied.push(Number(t.id)),
            replays: () => null,
            failed: () => null,
            log: () => {},
          }, 5_000);
          for (const [e, yieldNow] of events) {
            if ('grow' in e) last += e.grow;
            else if ('beat' in e) log.heard(last);
            else if (base + 1 + e.push <= last) log.push(tx(base + 1 + e.push));
            if (yieldNow) await Promise.resolve();
          }
          await log.caughtUp(last);
          log.stop();
          const want = Array.from({ length: last - base }, (_, k) => base + 1 + k);
          expect(applied).toEqual(want);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a replay reads from the earliest waiting order (before the cursor) to the end, and the cursor follows', async () => {
    const last = 120;
    const seen: number[] = [];
    let pending = true;
    const log = new TransactionLog({
      baseline: async () => 100,
      since: async (id) => ({ transactions: Array.from({ length: Math.max(0, Math.min(last, id + 10) - id) }, (_, k) => tx(id + 1 + k)), last }),
      apply: (t) => seen.push(Number(t.id)),
      replays: () => (pending ? { from: 90, begin: () => {}, end: (complete) => void (pending = !complete) } : null),
      failed: () => null,
      log: () => {},
    }, 5_000);
    await log.caughtUp(last);
    expect(seen).toEqual(Array.from({ length: 30 }, (_, k) => 91 + k));
    expect(log.applied).toBe(last);
    expect(pending).toBe(false);
    log.stop();
  });
});
