/**
 * Placement when the venue does not answer cleanly. What must hold in every case: exactly one
 * order with the client order id exists at the venue afterwards, the adapter reports what the
 * venue says (never a guess), and after a timeout, a cut connection, a 5xx or -1007 it asks the
 * venue (GET /api/v3/order by origClientOrderId) before it sends anything again; a resend goes
 * only once the lost request's timestamp + recvWindow has passed (the venue refuses it from then
 * on). 429/418 gate every request until Retry-After, measured at the mock; -1021 is fixed by
 * measuring the venue's clock and signing again.
 *
 * Most tests run "blind": the private stream is refused and polling is slow, so only the lookup
 * by client order id can learn what happened to a doubtful placement.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import type { BinanceUsExecutionOptions } from './execution';
import { BinanceUsExecMock } from './tests/mock-exec-server';
import { kinds, startRig, waitFor, type Rig } from './tests/support';

const ORDER = '/api/v3/order';

let mock: BinanceUsExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await BinanceUsExecMock.start()), () => rig);

/** The placements and lookups by client order id since `from`, as "POST" / "LOOKUP". */
function trail(from: number, clientOrderId: string): string[] {
  return mock.requests
    .slice(from)
    .filter((r) => r.path === ORDER && r.params.newClientOrderId === clientOrderId || (r.method === 'GET' && r.path === ORDER && r.params.origClientOrderId === clientOrderId))
    .map((r) => (r.method === 'POST' ? 'POST' : 'LOOKUP'));
}

async function blindRig(options: Partial<BinanceUsExecutionOptions> = {}): Promise<Rig> {
  mock.refuseStream(true);
  return startRig({ mock, options: { pollIntervalMs: 60_000, ...options } });
}

describe('no answer to the placement (timeout)', () => {
  it('the request reached the venue: looked up, acked with the venue\'s order, never sent again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.inject({ kind: 'timeout', process: true }, ORDER, 'POST'); // injected: order made, answer never sent
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack from the lookup');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.reportsOf(o.id)).toMatchObject([{ type: 'ack', venueOrderId: String(mock.byClientId(o.id)!.orderId) }]);
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP']);
    expect(rig.logs.some((l) => /placement outcome unknown \(POST \/api\/v3\/order: no answer within 400 ms\)/.test(l.msg))).toBe(true);
  });

  it('the request never reached the venue: two "no such order" answers, the second after recvWindow, then one resend', async () => {
    rig = await blindRig({ recvWindowMs: 1_200 }); // longer than the 400 ms timeout: the adapter must wait it out
    const from = mock.requests.length;
    mock.inject({ kind: 'timeout', process: false }, ORDER, 'POST'); // injected: lost on the way
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack after the resend');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    const [first, , lastLookup, resend] = mock.requests.slice(from).filter((r) => r.path === ORDER);
    // measured at the mock: the lost request's timestamp + recvWindow had passed before the confirming lookup and the resend
    expect(lastLookup!.at).toBeGreaterThan(Number(first!.params.timestamp) + 1_200);
    expect(resend!.at).toBeGreaterThan(Number(first!.params.timestamp) + 1_200);
    expect(resend!.params.newClientOrderId).toBe(o.id);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack']);
  });

  it('the request arrives late but inside its recvWindow: the second lookup finds it, nothing is resent', async () => {
    rig = await blindRig({ recvWindowMs: 1_500 });
    const from = mock.requests.length;
    mock.inject({ kind: 'late', afterMs: 700 }, ORDER, 'POST'); // injected: queued on the way, acted on 700 ms later
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP', 'LOOKUP']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });
});

describe('5xx, -1007 and cut connections', () => {
  it('5xx, order not made: lookups find nothing, one resend, one order', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.inject({ kind: 'server-error', status: 503 }, ORDER, 'POST'); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('5xx, order made anyway ("execution status UNKNOWN"): found by the lookup, not sent again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.inject({ kind: 'server-error', status: 500, process: true }, ORDER, 'POST'); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('-1007 "execution status unknown" is doubtful whatever its HTTP status: looked up, not reported as a reject', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.inject({ kind: 'error', status: 400, code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.', process: true }, ORDER, 'POST');
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, o.id)).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('connection cut after the venue made a market order that filled at once: ack, then the fill from myTrades', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.inject({ kind: 'drop', process: true }, ORDER, 'POST'); // injected: the FULL answer with its fill is lost
    const o = rig.submit({ type: 'market', price: undefined, tif: 'IOC', qty: '0.002' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(rig.reportsOf(o.id)[1]).toMatchObject({ fillId: `BTCUSD-${mock.trades.at(-1)!.id}`, lots: 200, liquidity: 'taker' });
    expect(mock.requestsTo('GET', '/api/v3/myTrades', from).map((r) => r.params)).toMatchObject([{ symbol: 'BTCUSD', orderId: String(mock.byClientId(o.id)!.orderId), fromId: '0' }]);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('lookups failing too (5xx): retried until the venue answers, still one order', async () => {
    rig = await blindRig();
    mock.inject({ kind: 'timeout', process: true }, ORDER, 'POST'); // injected: no answer to the placement…
    for (let i = 0; i < 3; i++) mock.inject({ kind: 'server-error' }, ORDER, 'GET'); // …nor to the next three lookups
    const from = mock.requests.length;
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack', 10_000);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(trail(from, o.id).filter((t) => t === 'POST')).toHaveLength(1);
    expect(mock.requestsTo('GET', ORDER, from).map((r) => r.status)).toEqual([503, 503, 503, 200]);
  });
});

describe('429 / 418 with Retry-After', () => {
  /** the gap (mock clock) between the limited answer and the next request of any kind */
  function gapAfter(from: number, status: number): number {
    const after = mock.requests.slice(from);
    const limited = after.findIndex((r) => r.status === status);
    return after[limited + 1]!.at - after[limited]!.at;
  }

  it('429 on the placement: no request of any kind before Retry-After has passed; then the order is placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.inject({ kind: 'rate-limit', retryAfterS: 1 }, ORDER, 'POST'); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.requestsTo('POST', ORDER, from).map((r) => r.status)).toEqual([429, 200]);
    expect(gapAfter(from, 429)).toBeGreaterThanOrEqual(1000);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.logs.some((l) => /rate limited on POST \/api\/v3\/order \(-1003 Too much request weight used.*\); no request before Retry-After \(1000 ms\)/.test(l.msg))).toBe(true);
  });

  it('418 (IP ban) on a query: the gate holds every request until the ban ends', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const from = mock.requests.length;
    mock.inject({ kind: 'ban', retryAfterS: 1 }, ORDER, 'DELETE'); // injected: the cancel meets a ban
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(gapAfter(from, 418)).toBeGreaterThanOrEqual(1000);
    expect(mock.requestsTo('DELETE', ORDER, from).map((r) => r.status)).toEqual([418, 200]);
  });

  it('429 without Retry-After (the order-count limit sends none): the default pause is honoured', async () => {
    rig = await startRig({ mock, options: { defaultRetryAfterMs: 600 } });
    await rig.live();
    const from = mock.requests.length;
    mock.inject({ kind: 'rate-limit' }, ORDER, 'POST');
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(gapAfter(from, 429)).toBeGreaterThanOrEqual(600);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });
});

describe('timestamps and the breaker', () => {
  it('-1021 (our clock 10 s behind the venue): server time measured, the order signed again and placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.skewMs = 10_000; // injected: the venue's clock runs 10 s ahead of ours
    const from = mock.requests.length;
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const placed = mock.requestsTo('POST', ORDER, from);
    expect(placed.map((r) => r.status)).toEqual([400, 200]);
    expect(mock.requestsTo('GET', '/api/v3/time', from)).toHaveLength(1);
    expect(Math.abs(Number(placed[1]!.params.timestamp) - placed[1]!.at)).toBeLessThan(300);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.logs.some((l) => /refused for its timestamp \(-1021\); clock offset to the venue now/.test(l.msg))).toBe(true);
    expect(mock.authFailures.splice(0)).toEqual(['POST /api/v3/order: timestamp outside recvWindow']);
  });

  it('after repeated failures the breaker opens: a placement meanwhile is rejected as not placed, without reaching the venue', async () => {
    rig = await startRig({ mock, options: { placeAttempts: 1 } });
    await rig.live(); // from here on only the order path talks to the venue
    for (let i = 0; i < 6; i++) mock.inject({ kind: 'server-error' }, ORDER); // injected: the placement and every lookup after it
    const first = rig.submit();
    await waitFor(() => mock.requestsTo('GET', ORDER).length >= 4, 'lookups failing');
    await waitFor(() => rig.logs.some((l) => /circuit open/.test(l.msg)), 'the breaker to open');
    const posts = mock.requestsTo('POST', ORDER).length;
    const second = rig.submit();
    await waitFor(() => second.state === 'rejected', 'second rejected');
    expect(second.reason).toBe('not placed: binanceus REST circuit open after repeated failures; nothing sent');
    expect(mock.requestsTo('POST', ORDER)).toHaveLength(posts);
    expect(mock.ordersWithClientId(second.id)).toHaveLength(0);
    await waitFor(() => first.state === 'rejected', 'the first, once the venue answers again: not there, no attempt left', 5_000);
    expect(mock.ordersWithClientId(first.id)).toHaveLength(0);
  });
});
