/**
 * Placement when the venue does not answer cleanly. What must hold in every case: exactly one
 * order with the cl_ord_id exists at the venue afterwards (or none, when the adapter reports it
 * as not placed), the adapter reports what the venue says (never a guess), and after a timeout,
 * dropped connection, 5xx or EService error it asks the venue (OpenOrders/ClosedOrders by
 * cl_ord_id) before it sends anything again. Rate limits are waited out (measured at the mock).
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { KrakenExecMock } from './tests/mock-exec-server';
import { cl, kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: KrakenExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await KrakenExecMock.start({ heartbeatMs: 100 })), () => rig);

/** The placements and lookups by cl_ord_id of one order since `from`, as "POST" / "LOOKUP". */
function trail(from: number, clOrdId: string): string[] {
  return mock.requests
    .slice(from)
    .filter((r) => r.params.cl_ord_id === clOrdId && (r.method === 'AddOrder' || r.method === 'OpenOrders'))
    .map((r) => (r.method === 'AddOrder' ? 'POST' : 'LOOKUP'));
}

/**
 * A rig whose private stream is refused and whose fallback polling is slow, so that after a
 * doubtful placement only the lookup by cl_ord_id can learn what happened.
 */
async function blindRig(options = {}): Promise<Rig> {
  mock.refuseStream(true);
  return startRig({ mock, options: { pollIntervalMs: 60_000, ...options } });
}

describe('no answer to the placement (timeout)', () => {
  it('the request reached the venue: the adapter looks it up, acks the venue\'s order and never sends it again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: true }); // injected: order made, answer never sent
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack from the lookup');
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
    expect(rig.reportsOf(o.id)[0]).toMatchObject({ type: 'ack', venueOrderId: mock.byClOrdId(cl(o)).txid });
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP']);
    expect(rig.logs.some((l) => /placement outcome unknown \(AddOrder: no answer within 400 ms\)/.test(l.msg))).toBe(true);
  });

  it('the request reached the venue and the stream reported the order first: acked from the stream, not sent again', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    await waitFor(() => rig.logs.some((l) => /placement outcome unknown/.test(l.msg)), 'the placement to time out');
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.state === 'filled', 'fill');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(trail(from, cl(o)).filter((t) => t === 'POST')).toHaveLength(1);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('the request never reached the venue: two lookups find nothing, then one resend with the same cl_ord_id', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: false }); // injected: lost on the way, nothing made
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack after the resend');
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    // each lookup searched the closed orders too (an order can fill and close at once)
    expect(mock.requests.slice(from).filter((r) => r.method === 'ClosedOrders' && r.params.cl_ord_id === cl(o))).toHaveLength(2);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack']);
  });

  it('the order reached the venue and filled at once (so it is closed): found among the closed orders, fill reported', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: true }); // injected
    const o = rig.submit({ type: 'market', price: undefined, tif: 'IOC' });
    await waitFor(() => mock.ordersWith(cl(o)).length === 1, 'order at the venue');
    mock.fill(cl(o), { vol: '0.001', price: '64001.0', maker: false }); // before the adapter looks
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('no answer to any attempt and nothing at the venue: rejected as not placed; an order that turns up late is cancelled', async () => {
    rig = await blindRig({ placeAttempts: 1 });
    mock.failPlace({ kind: 'timeout', create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'rejected', 'rejected');
    expect(o.reason).toBe('not placed after 1 attempts (rate limited or no answer; the venue has no such order)');
    expect(mock.ordersWith(cl(o))).toHaveLength(0);
    // injected: the lost request is processed after all, long after the adapter gave up on it
    mock.refuseStream(false);
    await rig.live();
    const late = mock.createOrder({ ordertype: 'limit', type: 'buy', volume: '0.001', pair: 'XBTUSD', price: '64000.0', cl_ord_id: cl(o) });
    await waitFor(() => late.status === 'canceled', 'the late order cancelled');
    expect(rig.logs.some((l) => l.level === 'error' && /reported as not placed turned up at the venue late; cancelling it/.test(l.msg))).toBe(true);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['rejected']);
  });
});

describe('5xx, EService errors and dropped connections', () => {
  it('5xx, order not made: lookups find nothing, the resend succeeds, one order', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'server-error', status: 502, create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('5xx, order made anyway: found by the lookup, not sent again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'server-error', status: 500, create: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('EService:Unavailable with HTTP 200, order made anyway: treated as unknown, found, not sent again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'kraken-error', error: 'EService:Unavailable', create: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, cl(o))).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('connection cut after the venue made the order, which filled before the lookup: ack then the fill', async () => {
    rig = await blindRig();
    mock.failPlace({ kind: 'drop', create: true }); // injected
    const o = rig.submit({ type: 'market', price: undefined, tif: 'IOC' });
    await waitFor(() => mock.ordersWith(cl(o)).length === 1, 'order at the venue');
    mock.fill(cl(o), { vol: '0.001', price: '64001.0', maker: false });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });
});

describe('not processed: sent again', () => {
  it('EAPI:Invalid nonce: signed with a new nonce and sent again at once, one order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'kraken-error', error: 'EAPI:Invalid nonce', create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from, cl(o))).toEqual(['POST', 'POST']);
    const [first, second] = mock.requests.slice(from).filter((r) => r.method === 'AddOrder');
    expect(BigInt(second!.params.nonce!)).toBeGreaterThan(BigInt(first!.params.nonce!));
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('HTTP 429 with Retry-After: no request of any kind reaches the venue before it has passed; then placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'rate-limit', retryAfterS: 1 }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const posts = mock.requests.slice(from).filter((r) => r.method === 'AddOrder');
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    const limited = posts[0]!;
    // measured at the mock: the first request after the 429 (of any kind) came a full second after it was answered
    const next = mock.requests[mock.requests.indexOf(limited) + 1]!;
    expect(next.at - limited.answeredAt).toBeGreaterThanOrEqual(1000);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
    expect(rig.logs.some((l) => /rate limited on AddOrder \(HTTP 429\); no request before Retry-After \(1000 ms\)/.test(l.msg))).toBe(true);
  });

  it('a 429 on another call (a cancel) is honoured the same way', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.inject({ kind: 'rate-limit', retryAfterS: 1 }, /^CancelOrder$/); // injected
    const at = mock.requests.length;
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    const after = mock.requests.slice(at);
    expect(after.filter((r) => r.method === 'CancelOrder').map((r) => r.status)).toEqual([429, 200]);
    const limited = after.find((r) => r.status === 429)!;
    const following = after[after.indexOf(limited) + 1]!;
    expect(following.at - limited.answeredAt).toBeGreaterThanOrEqual(1000);
  });

  it('EAPI:Rate limit exceeded (HTTP 200, no Retry-After): the gate stays shut for rateLimitPauseMs, then placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'kraken-error', error: 'EAPI:Rate limit exceeded', create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const [limited, sent] = mock.requests.slice(from).filter((r) => r.method === 'AddOrder');
    expect(limited!.errors).toEqual(['EAPI:Rate limit exceeded']);
    expect(sent!.at - limited!.answeredAt).toBeGreaterThanOrEqual(300);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('EService: Throttled: <unix time> (too many concurrent requests): nothing is sent before that time, then placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    const until = Math.floor(Date.now() / 1000) + 1;
    mock.failPlace({ kind: 'kraken-error', error: `EService: Throttled: ${until}`, create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const [throttled, sent] = mock.requests.slice(from).filter((r) => r.method === 'AddOrder');
    expect(throttled!.errors).toEqual([`EService: Throttled: ${until}`]);
    expect(sent!.at).toBeGreaterThanOrEqual(until * 1000);
    expect(mock.ordersWith(cl(o))).toHaveLength(1);
  });

  it('EGeneral:Temporary lockout: rejected as not placed, and nothing is sent while the lockout pause lasts', async () => {
    rig = await startRig({ mock, options: { lockoutPauseMs: 800 } });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'kraken-error', error: 'EGeneral:Temporary lockout', create: false }); // injected
    const a = rig.submit();
    await waitFor(() => a.state === 'rejected', 'rejected');
    expect(a.reason).toBe('not placed: AddOrder: EGeneral:Temporary lockout');
    const lockedAt = mock.requests.slice(from).find((r) => r.method === 'AddOrder')!.answeredAt;
    const b = rig.submit();
    await waitFor(() => b.state === 'working', 'the next order, once the pause is over');
    const next = mock.requests.slice(from).filter((r) => r.method === 'AddOrder')[1]!;
    expect(next.at - lockedAt).toBeGreaterThanOrEqual(800);
  });
});

describe('circuit breaker', () => {
  it('after repeated failures it opens: a placement meanwhile is rejected as not placed, without reaching the venue', async () => {
    rig = await blindRig({ lookupDelayMs: 20 });
    for (let i = 0; i < 5; i++) mock.failPlace({ kind: 'server-error', create: false }); // injected: a 5xx on placement…
    for (let i = 0; i < 60; i++) mock.inject({ kind: 'server-error' }, /^OpenOrders$/); // …and on every lookup after it
    const first = rig.submit();
    await waitFor(() => rig.logs.some((l) => /circuit open/.test(l.msg)), 'the breaker to open');
    const posts = mock.calls('AddOrder').length;
    const second = rig.submit();
    await waitFor(() => second.state === 'rejected', 'second rejected');
    expect(second.reason).toBe('not placed: kraken REST circuit open after repeated failures; nothing sent');
    expect(mock.calls('AddOrder')).toHaveLength(posts);
    expect(mock.ordersWith(cl(second))).toHaveLength(0);
    expect(first.state).toBe('pending'); // still being looked up: its fate is not known yet, so nothing is reported
    mock.clearFaults();
    await sleep(50);
  });
});
