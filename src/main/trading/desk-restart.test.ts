import { afterEach, describe, expect, it } from 'vitest';
import { OrderRequestSchema } from '../../shared/trading';
import type { TradingDesk } from './desk';
import { verifyJournalFile } from './journal';
import { oid, testBook, testDesk } from './test-support';
import { join } from 'node:path';

const desks: TradingDesk[] = [];
afterEach(() => desks.splice(0).forEach((d) => d.stop()));
const req = (o: object) => OrderRequestSchema.parse({ clientOrderId: oid(), venue: 'paper-test', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '1', price: '99.90', ...o });

describe('desk restart from the journal', () => {
  it('rebuilds orders, fills and positions, restores working orders, and never creates an order twice', () => {
    const book = testBook();
    const first = testDesk({ book });
    const filled = req({ qty: '1.5', price: '100.02' });
    const working = req({ qty: '0.4', price: '99.95' });
    const rejected = req({ qty: '500' });
    first.desk.setKillSwitch(true, 'drill');
    first.desk.setKillSwitch(false, '');
    for (const r of [filled, working, rejected]) first.desk.place(r);
    expect(first.desk.orders.get(working.clientOrderId)!.state).toBe('working');
    const before = { orders: [...first.desk.orders.values()].map((o) => o.view()), positions: first.desk.positionViews(), fills: first.desk.fills };
    const entries = first.desk.journal.length;
    first.desk.stop();

    const second = testDesk({ book, journalDir: first.dir });
    desks.push(second.desk);
    expect(second.desk.torn).toBeNull();
    expect([...second.desk.orders.values()].map((o) => o.view())).toEqual(before.orders);
    expect(second.desk.positionViews()).toEqual(before.positions);
    expect(second.desk.fills).toEqual(before.fills);

    // A retried submission (same client order id) answers with the existing order: nothing new is journaled or sent.
    for (const r of [filled, working, rejected]) {
      const again = second.desk.place(r);
      expect(again).toMatchObject({ ok: true, order: { clientOrderId: r.clientOrderId } });
    }
    expect(second.desk.journal.length).toBe(entries);

    // The working order came back to the paper venue and still fills.
    second.desk.onTrade(book, 9990, 10, 1);
    expect(second.desk.orders.get(working.clientOrderId)!.state).toBe('filled');
    expect(verifyJournalFile(join(first.dir, 'journal.ndjson')).ok).toBe(true);
  });

  it('expires an order journaled but never acknowledged, and does not send it again', () => {
    const first = testDesk();
    const lost = req({ qty: '0.1' });
    // injected: the engine died after journaling the order and before the venue acknowledged it
    first.desk.journal.append('order', { req: lost, precision: first.book.precision, lots: 100, priceTicks: 9990, stopTicks: null, state: 'pending', reason: null });
    first.desk.stop();
    const second = testDesk({ book: first.book, journalDir: first.dir });
    desks.push(second.desk);
    const o = second.desk.orders.get(lost.clientOrderId)!.view();
    expect(o).toMatchObject({ state: 'expired', reason: 'engine restarted before the venue acknowledged it; not re-sent' });
    expect(second.desk.venues.get('paper-test')?.restingCount ?? 0).toBe(0);
    // and the expiry itself is journaled, so a third start agrees
    second.desk.stop();
    desks.pop();
    const third = testDesk({ book: first.book, journalDir: first.dir });
    desks.push(third.desk);
    expect(third.desk.orders.get(lost.clientOrderId)!.state).toBe('expired');
  });
});
