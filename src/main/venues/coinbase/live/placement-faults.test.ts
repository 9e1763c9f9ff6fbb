/**
 * Placement when the venue does not answer cleanly. What must hold in every case: exactly one
 * order with the client order id exists at the venue afterwards, the adapter reports what the
 * venue says (never a guess), and after a timeout, dropped connection or 5xx it asks the venue
 * (list orders, by client order id) before it sends anything again.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { CoinbaseExecMock } from './tests/mock-exec-server';
import { kinds, startRig, waitFor, type Rig } from './tests/support';

const PLACE = '/api/v3/brokerage/orders';
const LIST = '/api/v3/brokerage/orders/historical/batch';

let mock: CoinbaseExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await CoinbaseExecMock.start({ heartbeatMs: 100 })), () => rig);

/** The placements and lookups by client order id since `from`, as "POST" / "LOOKUP". */
function trail(from: number): string[] {
  return mock.requests
    .slice(from)
    .filter((r) => r.path === PLACE || (r.path === LIST && r.query.includes('product_ids=BTC-USD')))
    .map((r) => (r.path === PLACE ? 'POST' : 'LOOKUP'));
}

/**
 * A rig whose private stream is refused and whose fallback polling is slow, so that after a
 * doubtful placement only the lookup by client order id can learn what happened.
 */
async function blindRig(): Promise<Rig> {
  mock.refuseStream(true);
  return startRig({ mock, options: { pollIntervalMs: 60_000 } });
}

describe('no answer to the placement (timeout)', () => {
  it('the request reached the venue: the adapter looks it up, acks the venue\'s order and never sends it again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: true }); // injected: order made, answer never sent
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack from the lookup');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.reportsOf(o.id)[0]).toMatchObject({ type: 'ack', venueOrderId: mock.byClientId(o.id).order_id });
    expect(trail(from)).toEqual(['POST', 'LOOKUP']);
    expect(rig.logs.some((l) => /placement outcome unknown \(POST \/api\/v3\/brokerage\/orders: no answer within 400 ms\)/.test(l.msg))).toBe(true);

  });

  it('the request reached the venue and the stream reported the order first: acked from the stream, not sent again', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    await waitFor(() => rig.logs.some((l) => /placement outcome unknown/.test(l.msg)), 'the placement to time out');
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => o.state === 'filled', 'fill');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(trail(from).filter((t) => t === 'POST')).toHaveLength(1);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('the request never reached the venue: two lookups find nothing, then one resend with the same client id', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'timeout', create: false }); // injected: lost on the way, nothing made
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack after the resend');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(trail(from)).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack']);
  });
});

describe('5xx and dropped connections', () => {
  it('5xx, order not made: lookup finds nothing, resend succeeds, one order', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'server-error', status: 503, create: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from)).toEqual(['POST', 'LOOKUP', 'LOOKUP', 'POST']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('5xx, order made anyway: found by the lookup, not sent again', async () => {
    rig = await blindRig();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'server-error', status: 500, create: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(trail(from)).toEqual(['POST', 'LOOKUP']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('connection cut after the venue made the order, and the order filled meanwhile: ack then the fill', async () => {
    rig = await blindRig();
    mock.failPlace({ kind: 'drop', create: true }); // injected
    const o = rig.submit({ type: 'market', price: undefined, tif: 'IOC' });
    await waitFor(() => mock.ordersWithClientId(o.id).length === 1, 'order at the venue');
    mock.fill(o.id, { size: '0.001', price: '64001.00', liquidity: 'TAKER' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    // the fill happened before the adapter learned of the order: its time is not before the ack's
    const [ack, fill] = rig.reportsOf(o.id);
    expect(fill!.at).toBeGreaterThanOrEqual(ack!.at);
  });

  it('lookups failing too (5xx): retried until the venue answers, still one order', async () => {
    rig = await blindRig();
    mock.failPlace({ kind: 'timeout', create: true }); // injected: no answer to the placement…
    for (let i = 0; i < 5; i++) mock.inject({ kind: 'server-error' }, /historical\/batch$/); // …nor to the next 5 list requests
    const from = mock.requests.length;
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack', 10_000);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(trail(from).filter((t) => t === 'POST')).toHaveLength(1);
    expect(mock.requests.slice(from).filter((r) => r.path === LIST && r.status === 500)).toHaveLength(5);
    expect(trail(from).at(-1)).toBe('LOOKUP');
  });
});

describe('429 with Retry-After', () => {
  it('no request of any kind reaches the venue before Retry-After has passed; then the order is placed once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const from = mock.requests.length;
    mock.failPlace({ kind: 'rate-limit', retryAfterS: 1 }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const posts = mock.requests.slice(from).filter((r) => r.path === PLACE);
    expect(posts.map((r) => r.status)).toEqual([429, 200]);
    const limitedAt = posts[0]!.at;
    // measured at the mock: the first request after the 429 (of any kind) came a full second later
    const next = mock.requests.slice(mock.requests.indexOf(posts[0]!) + 1)[0]!;
    expect(next.at - limitedAt).toBeGreaterThanOrEqual(1000);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.logs.some((l) => /rate limited on POST \/api\/v3\/brokerage\/orders; no request before Retry-After \(1000 ms\)/.test(l.msg))).toBe(true);
  });

  it('a 429 on a query is honoured the same way', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.inject({ kind: 'rate-limit', retryAfterS: 1 }, /orders\/historical\/[^/]+$/, 'GET'); // the next order read
    const at = mock.requests.length;
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => o.state === 'filled', 'fill', 5_000);
    const after = mock.requests.slice(at);
    const limited = after.find((r) => r.status === 429)!;
    const following = after[after.indexOf(limited) + 1]!;
    expect(following.at - limited.at, after.map((r) => `${r.at - limited.at} ${r.method} ${r.path}${r.query} ${r.status}`).join('\n')).toBeGreaterThanOrEqual(1000);
  });
});

describe('circuit breaker', () => {
  it('after repeated failures it opens: a placement meanwhile is rejected as not placed, without reaching the venue', async () => {
    rig = await startRig({ mock, resilience: { breakerHalfOpenMs: 10_000 } });
    await rig.live();
    mock.failPlace({ kind: 'server-error', create: false }); // injected: a 5xx on placement…
    for (let i = 0; i < 50; i++) mock.inject({ kind: 'server-error' }, /historical\/batch$/); // …and on every lookup after it
    const first = rig.submit();
    await waitFor(() => rig.logs.some((l) => /circuit breaker is open/.test(l.msg)), 'the breaker to open');
    const posts = mock.placements().length;
    const second = rig.submit();
    await waitFor(() => second.state === 'rejected', 'second rejected');
    expect(second.reason).toBe('not placed: coinbase REST circuit open after repeated failures; nothing sent');
    expect(mock.placements()).toHaveLength(posts);
    expect(mock.ordersWithClientId(second.id)).toHaveLength(0);
    expect(first.state).toBe('pending'); // still being looked up: its fate is not known yet, so nothing is reported
  });
});
