/**
 * Group commit: the venue reports one command or market event causes share one fdatasync, and
 * no client sees them before it. Tried: deferred journal appends, then a paper order that
 * fills across three levels; must hold: deferred entries are on disk in order after a flush,
 * the order costs two syncs (its entry before the send, then one for all its reports), and
 * every event a client receives was synced before it was sent.
 */
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

  it('a paper order filled at three levels costs two syncs, and clients see its events only after the second', () => {
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
    expect(desk.journal.syncs - before).toBe(2);
    const fills = seen.filter((e) => e.type === 'fill');
    expect(fills).toHaveLength(3);
    // every event of the command went out after the last sync of the command
    expect(seen.every((e) => e.syncs === before + 2)).toBe(true);
    // and the journal holds the order entry and every report (ack + 3 fills), in order
    desk.stop();
    desks.pop();
    const kinds = Journal.open(desk.journal.path).entries.map((e) => (e.kind === 'report' ? (e.data as { type: string }).type : e.kind));
    expect(kinds.slice(-5)).toEqual(['order', 'ack', 'fill', 'fill', 'fill']);
  });
});
