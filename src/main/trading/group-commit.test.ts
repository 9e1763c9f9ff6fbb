/**
 * Group commit: the venue reports one command or market event causes share one fdatasync, and
 * no client sees them before it. Tried: deferred journal appends; a paper order that fills
 * across three levels; an order to a live venue. Must hold: deferred entries are on disk in order
 * after a flush; the paper order costs one sync (nothing leaves the process before it, so its
 * entry shares it with its reports); a live order's entry is synced before the venue is called;
 * every event a client receives was synced before it was sent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OrderRequestSchema, type TradingEvent } from '../../shared/trading';
import { scratchDir } from '../testing/scratch-dir';
import { TradingDesk } from './desk';
import { Journal } from './journal';
import { RiskLimitsSchema } from './limits';
import { oid, testBook } from './test-support';

const desks: TradingDesk[] = [];
afterEach(() => desks.splice(0).forEach((d) => d.stop()));

describe('journal group commit', () => {
  it('writes deferred entries at once and syncs them with the next flush or synced append', () => {
    const path = join(scratchDir('pulse-group-'), 'j.ndjson');
    const { journal } = Journal.open(path);
    journal.append('order', { a: 1 });
    expect(journal.syncs).toBe(1);
    journal.append('report', { a: 2 }, Date.now(), false);
    journal.append('report', { a: 3 }, Date.now(), false);
    expect(journal.syncs).toBe(1);
    journal.flush();
    expect(journal.syncs).toBe(2);
    journal.flush(); // nothing deferred: no sync
    expect(journal.syncs).toBe(2);
    journal.append('report', { a: 4 }, Date.now(), false);
    journal.append('order', { a: 5 }); // a synced append covers the deferred one before it
    expect(journal.syncs).toBe(3);
    journal.flush();
    expect(journal.syncs).toBe(3);
    journal.close();
    expect(Journal.open(path).entries.map((e) => (e.data as { a: number }).a)).toEqual([1, 2, 3, 4, 5]);
  });

  it('a paper order filled at three levels costs one sync, and clients see its events only after it', () => {
    const book = testBook();
    const seen: Array<{ type: TradingEvent['type']; syncs: number }> = [];
    const desk: TradingDesk = new TradingDesk({
      journalPath: join(scratchDir('pulse-group-'), 'journal.ndjson'),
      limits: RiskLimitsSchema.parse({ symbols: {} }),
      fees: { takerFeeBps: 10, makerFeeBps: 2 },
      findBook: (venue, symbol) => (venue === book.venue && symbol === book.symbol ? book : undefined),
      broadcast: (e) => seen.push({ type: e.type, syncs: desk.journal.syncs }),
    });
    desks.push(desk);
    desk.start();
    const before = desk.journal.syncs;
    const req = OrderRequestSchema.parse({ clientOrderId: oid(), venue: book.venue, symbol: book.symbol, side: 'buy', type: 'limit', qty: '2.5', price: '100.03' });
    const r = desk.handle({ type: 'place-order', order: req }, 'trader');
    expect(r.ok).toBe(true);
    expect(desk.fills).toHaveLength(3);
    expect(desk.journal.syncs - before).toBe(1);
    const fills = seen.filter((e) => e.type === 'fill');
    expect(fills).toHaveLength(3);
    // every event of the command went out after the command's sync
    expect(seen.every((e) => e.syncs === before + 1)).toBe(true);
    // and the journal holds the order entry and every report (ack + 3 fills), in order
    desk.stop();
    desks.pop();
    const kinds = Journal.open(desk.journal.path).entries.map((e) => (e.kind === 'report' ? (e.data as { type: string }).type : e.kind));
    expect(kinds.slice(-5)).toEqual(['order', 'ack', 'fill', 'fill', 'fill']);
  });

  it("a live order's entry is on disk before the venue hears of it", () => {
    const book = testBook();
    const path = join(scratchDir('pulse-group-'), 'journal.ndjson');
    const atSubmit: Array<{ syncs: number; onDisk: string[] }> = [];
    const desk: TradingDesk = new TradingDesk({
      journalPath: path,
      limits: RiskLimitsSchema.parse({ symbols: {} }),
      fees: { takerFeeBps: 10, makerFeeBps: 2 },
      findBook: (venue, symbol) => (venue === book.venue && symbol === book.symbol ? book : undefined),
      broadcast: () => {},
      // a stand-in live venue: what the desk has done by the time it is called is the point
      live: () => ({
        mode: 'live',
        submit: () => {
          const entries = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; data: { req?: { clientOrderId: string } } });
          atSubmit.push({ syncs: desk.journal.syncs, onDisk: entries.filter((e) => e.kind === 'order').map((e) => e.data.req!.clientOrderId) });
        },
        cancel: () => {},
        restore: () => {},
        stop: () => {},
      }),
    });
    desks.push(desk);
    desk.start();
    const before = desk.journal.syncs;
    const req = OrderRequestSchema.parse({ clientOrderId: oid(), venue: book.venue, symbol: book.symbol, side: 'buy', type: 'limit', qty: '1', price: '99.00' });
    expect(desk.handle({ type: 'place-order', order: req }, 'trader').ok).toBe(true);
    expect(atSubmit).toEqual([{ syncs: before + 1, onDisk: [req.clientOrderId] }]);
  });
});
