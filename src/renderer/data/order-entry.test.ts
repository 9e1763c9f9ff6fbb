import { describe, expect, it } from 'vitest';
import { precisionOf } from '../../shared/instruments';
import { BookSide } from './book-side';
import { checkTicket, hotkeyIntent, limitRequest, needsConfirm, ticketRequest, type BookView, type TicketForm } from './order-entry';

const P = precisionOf({ tickSize: '0.01', lotSize: '0.00001' });

function book(bids: Array<[string, number]>, asks: Array<[string, number]>, stale = false): BookView {
  const b = new BookSide(1);
  const a = new BookSide(-1);
  for (const [px, lots] of bids) b.set(Math.round(Number(px) * 100), lots);
  for (const [px, lots] of asks) a.set(Math.round(Number(px) * 100), lots);
  return { bids: b, asks: a, stale };
}

const form = (over: Partial<TicketForm> = {}): TicketForm => ({
  side: 'buy', type: 'limit', tif: 'GTC', postOnly: false, reduceOnly: false, qtyMode: 'lots', qty: '0.01', price: '99.00', stopPrice: '', ...over,
});

const BOOK = book([['99.99', 1000], ['99.98', 5000]], [['100.01', 600], ['100.02', 5000]]);
const OPTS = { warnBps: 200 };

describe('ticket check', () => {
  it('a resting limit: maker fee, no warnings, the request on the grid', () => {
    const c = checkTicket(form({ price: '99.5' }), P, BOOK, OPTS);
    expect(c.errors).toEqual([]);
    expect(c.warnings).toEqual([]);
    expect(c.lots).toBe(1000);
    expect(c.liquidity).toBe('maker');
    expect(c.notional).toBeCloseTo(0.995, 9);
    expect(c.fee).toBeCloseTo(0.995 * 1e-4, 12);
    expect(ticketRequest(form({ price: '99.5' }), c, 'sim-a', 'BTC-USD', P)).toEqual({
      venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'limit', qty: '0.01000', price: '99.50', tif: 'GTC', postOnly: false, reduceOnly: false,
    });
  });

  it('a marketable limit takes what the book shows up to the limit, then rests', () => {
    const c = checkTicket(form({ price: '100.01' }), P, BOOK, OPTS);
    expect(c.liquidity).toBe('mixed');
    expect(c.warnings[0]).toBe('marketable: takes 0.00600 now, rests 0.00400');
    const post = checkTicket(form({ price: '100.01', postOnly: true }), P, BOOK, OPTS);
    expect(post.warnings[0]).toMatch(/post-only but marketable/);
  });

  it('a market order walks the book: taker fee, IOC, no price', () => {
    const f = form({ type: 'market', price: '', qty: '0.02' });
    const c = checkTicket(f, P, BOOK, OPTS);
    expect(c.errors).toEqual([]);
    expect(c.liquidity).toBe('taker');
    expect(c.notional).toBeCloseTo(0.006 * 100.01 + 0.014 * 100.02, 9);
    expect(c.fee).toBeCloseTo(c.notional * 5e-4, 12);
    expect(c.warnings.join()).toMatch(/walks the book to 100.02/);
    const req = ticketRequest(f, c, 'sim-a', 'BTC-USD', P)!;
    expect(req.price).toBeUndefined();
    expect(req.tif).toBe('IOC');
  });

  it('notional mode converts at the limit (or the far side for a market order)', () => {
    expect(checkTicket(form({ qtyMode: 'notional', qty: '990', price: '99.00' }), P, BOOK, OPTS).lots).toBe(1_000_000);
    expect(checkTicket(form({ type: 'market', qtyMode: 'notional', qty: '100.01', price: '' }), P, BOOK, OPTS).lots).toBe(100_000);
    expect(checkTicket(form({ qtyMode: 'notional', qty: '100', price: '' }), P, BOOK, OPTS).errors).toContain('a price is needed to convert the notional');
  });

  it('says what is missing or contradictory', () => {
    expect(checkTicket(form({ price: '' }), P, BOOK, OPTS).errors).toContain('price needed');
    expect(checkTicket(form({ qty: '' }), P, BOOK, OPTS).errors).toContain('quantity needed');
    expect(checkTicket(form({ qty: '0.000001' }), P, BOOK, OPTS).errors).toContain('quantity below one lot (0.00001)');
    expect(checkTicket(form({ type: 'stop-limit' }), P, BOOK, OPTS).errors).toContain('stop price needed');
    expect(checkTicket(form({ postOnly: true, tif: 'IOC' }), P, BOOK, OPTS).errors[0]).toMatch(/post-only/);
    expect(checkTicket(form({ type: 'market', postOnly: true, price: '' }), P, BOOK, OPTS).errors[0]).toMatch(/market order cannot be post-only/);
    expect(checkTicket(form(), null, BOOK, OPTS).errors).toEqual(['no instrument details yet']);
  });

  it('pre-check: far from the mid, stale book, kill switch, stop through the market', () => {
    expect(checkTicket(form({ price: '90.00' }), P, BOOK, OPTS).warnings.join()).toMatch(/1000 bps from the mid 100.00/);
    expect(checkTicket(form(), P, null, OPTS).warnings).toContain('book not live: estimates unreliable');
    expect(checkTicket(form(), P, BOOK, { warnBps: 200, killSwitch: true }).warnings[0]).toMatch(/kill switch/);
    const stop = checkTicket(form({ type: 'stop-limit', stopPrice: '100.00', price: '100.50' }), P, BOOK, OPTS);
    expect(stop.warnings.join()).toMatch(/stop is at or through the market/);
    expect(ticketRequest(form({ type: 'stop-limit', stopPrice: '100.00', price: '100.50' }), stop, 'v', 'BTC-USD', P)).toMatchObject({ stopPrice: '100.00', price: '100.50' });
  });
});

describe('hotkey intents', () => {
  const q = { bid: 9999, ask: 10001, stale: false };
  it('price the order off the touch', () => {
    expect(hotkeyIntent('buyAsk', q)).toEqual({ side: 'buy', priceTicks: 10001, tif: 'IOC' });
    expect(hotkeyIntent('sellBid', q)).toEqual({ side: 'sell', priceTicks: 9999, tif: 'IOC' });
    expect(hotkeyIntent('joinBid', q)).toEqual({ side: 'buy', priceTicks: 9999, tif: 'GTC' });
    expect(hotkeyIntent('joinAsk', q)).toEqual({ side: 'sell', priceTicks: 10001, tif: 'GTC' });
    expect(hotkeyIntent('improveBid', q)).toEqual({ side: 'buy', priceTicks: 10000, tif: 'GTC' });
    expect(hotkeyIntent('improveAsk', q)).toEqual({ side: 'sell', priceTicks: 10000, tif: 'GTC' });
  });

  it('refuse without a live touch or room to improve', () => {
    expect(hotkeyIntent('improveBid', { bid: 10000, ask: 10001, stale: false })).toEqual({ error: 'the spread is one tick: no room to improve' });
    expect(hotkeyIntent('buyAsk', { bid: 1, ask: NaN, stale: false })).toEqual({ error: 'no best ask in the book' });
    expect(hotkeyIntent('joinBid', { ...q, stale: true })).toEqual({ error: 'the book is not live' });
    expect(hotkeyIntent('cancelAll', q)).toHaveProperty('error');
  });

  it('a ladder/hotkey limit snaps the size down to the lot', () => {
    expect(limitRequest('v', 'BTC-USD', 'buy', 9999, '0.012345', 'GTC', P)).toMatchObject({ qty: '0.01234', price: '99.99', type: 'limit' });
    expect(limitRequest('v', 'BTC-USD', 'buy', 9999, '0', 'GTC', P)).toEqual({ error: 'size "0" is below one lot (0.00001)' });
  });
});

describe('confirmation threshold', () => {
  it('asks at or above the threshold, or when the notional is unknown, unless switched off', () => {
    const on = { confirmEnabled: true, confirmAbove: 50_000 };
    expect(needsConfirm(on, 49_999)).toBe(false);
    expect(needsConfirm(on, 50_000)).toBe(true);
    expect(needsConfirm(on, NaN)).toBe(true);
    expect(needsConfirm({ ...on, confirmEnabled: false }, 1e9)).toBe(false);
  });
});
