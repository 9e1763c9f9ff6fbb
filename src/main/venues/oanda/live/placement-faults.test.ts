/**
 * Placement when OANDA does not answer clearly. Injected at the mock: no answer (the order made
 * or not), a reset connection, 5xx (the order made or not), 429 with Retry-After, a late
 * duplicate send, a revoked token, an open breaker. What must hold: the adapter never sends an
 * order again before OANDA has said it has no order with that client id; OANDA ends up with
 * exactly one order per client order id (or none, when the answer was a clear "no"); every
 * report is what OANDA says is true; nothing leaves before a Retry-After has passed.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { retryAfterMs } from './http';
import { OandaExecMock } from './tests/mock-exec-server';
import { everything, kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: OandaExecMock;
let rig: Rig | undefined;
mockVenueHooks(async () => (mock = await OandaExecMock.start({ heartbeatMs: 100 })), () => rig);

const posts = (id: string) => mock.requestsTo('POST', /\/orders$/).filter((r) => r.body?.includes(`"${id}"`));
const lookups = (id: string) => mock.requestsTo('GET', new RegExp(`/orders/@${id}$`));

describe('no clear answer to the create', () => {
  it('no answer, but the order reached OANDA: looked up by client id, acked with OANDA\'s id, replayed from its creation, never sent again', async () => {
    mock.streamDown(); // injected: no stream, and no polling, so only the lookup can find it
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    mock.failNext('place', { kind: 'timeout', reach: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack after the lookup');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(rig.reportsOf(o.id)[0]).toMatchObject({ type: 'ack', venueOrderId: mock.byClientId(o.id).id });
    expect(posts(o.id)).toHaveLength(1);
    expect(lookups(o.id).length).toBeGreaterThanOrEqual(1);
    expect(lookups(o.id)[0]!.at).toBeGreaterThan(posts(o.id)[0]!.at);
    // it goes on as any order: a fill made while the stream is down is reported once it is back
    mock.fill(o.id, { units: 1000, price: '1.10000' });
    mock.streamUp();
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    await sleep(300);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(posts(o.id)).toHaveLength(1);
  });

  it('no answer, and the stream is up: the create comes down the stream, so that is the answer; never sent again', async () => {
    rig = await startRig({ mock });
    await rig.live();
    mock.failNext('place', { kind: 'timeout', reach: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(rig.reportsOf(o.id)[0]).toMatchObject({ type: 'ack', venueOrderId: mock.byClientId(o.id).id });
    await sleep(600); // past the timeout and the lookup
    expect(posts(o.id)).toHaveLength(1);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack']);
  });

  it('no answer, and the order never reached OANDA: two "no such order" answers, then sent again with the same client id: one order', async () => {
    rig = await startRig({ mock });
    mock.failNext('place', { kind: 'timeout', reach: false }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack after the resend');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    const [first, second] = posts(o.id);
    expect(posts(o.id)).toHaveLength(2);
    const between = lookups(o.id).filter((r) => r.at >= first!.at && r.at <= second!.at);
    expect(between).toHaveLength(2); // lookupConfirmations
    expect(JSON.parse(second!.body!)).toEqual(JSON.parse(first!.body!));
    expect(rig.logs.some((l) => /placement outcome unknown \(POST .*no answer within 400 ms\)/.test(l.msg))).toBe(true);
  });

  it('the connection reset after the order reached OANDA: found by client id, not sent again', async () => {
    rig = await startRig({ mock });
    mock.failNext('place', { kind: 'drop', reach: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(posts(o.id)).toHaveLength(1);
  });

  it('the first send arrives late, after the lookups said "none": the resend is refused (CLIENT_ORDER_ID_ALREADY_EXISTS), the order is looked up and acked: one order', async () => {
    mock.streamDown(); // so that only the placement path can learn of it
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    mock.failNext('place', { kind: 'timeout', reach: false }); // injected: lost for now …
    mock.failNext('get', { kind: 'status', status: 404 }, { kind: 'status', status: 404 }); // … the lookups see nothing …
    const o = rig.submit();
    await waitFor(() => lookups(o.id).length >= 1, 'the first lookup');
    mock.deliverLate(posts(o.id)[0]!); // … and then it gets through
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(posts(o.id)).toHaveLength(2);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack']);
    expect(rig.reportsOf(o.id)[0]).toMatchObject({ venueOrderId: mock.byClientId(o.id).id });
  });
});

describe('5xx', () => {
  it('503 before the order was made: looked up, "none" twice, sent again: one order', async () => {
    rig = await startRig({ mock });
    mock.failNext('place', { kind: 'status', status: 503 }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(posts(o.id)).toHaveLength(2);
  });

  it('500 after the order was made: found by client id, never sent again', async () => {
    rig = await startRig({ mock });
    mock.failNext('place', { kind: 'status', status: 500, reach: true }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(posts(o.id)).toHaveLength(1);
  });

  it('5xx on the catch-up reads, then success: retried with backoff, the fill reported once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.failNext('since', { kind: 'status', status: 502 }, { kind: 'status', status: 503 }); // injected
    mock.hideFromStream(1); // the fill is only in the log: the next heartbeat says so
    mock.fill(o.id, { units: 1000, price: '1.10000' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(rig.logs.some((l) => /retrying .*HTTP 502/.test(l.msg))).toBe(true);
  });
});

describe('429', () => {
  it('Retry-After: 1 — the order is sent again, and no REST request of any kind reaches OANDA before the second is up', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 50 } });
    mock.failNext('place', { kind: 'status', status: 429, retryAfter: '1' }); // injected
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack', 5_000);
    const limited = posts(o.id)[0]!;
    const after = mock.requests.slice(mock.requests.indexOf(limited) + 1).filter((r) => !r.path.endsWith('/transactions/stream'));
    expect(after.length).toBeGreaterThan(0);
    // The resend can only follow the 429 it answers: strictly after Retry-After.
    expect(posts(o.id)[1]!.at - limited.at).toBeGreaterThanOrEqual(1000);
    // A poll (every 50 ms here) may already be on the wire when the 429 comes back; one that
    // arrives within 100 ms of it was sent before the client could know. Nothing later may come early.
    for (const r of after) {
      if (r.at - limited.at < 100 && r.method === 'GET') continue;
      expect(r.at - limited.at, `${r.method} ${r.path}`).toBeGreaterThanOrEqual(1000);
    }
    expect(posts(o.id)).toHaveLength(2);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    expect(lookups(o.id)).toHaveLength(0); // a 429 was not processed: nothing to look up
  });

  it('Retry-After is read as seconds or as an HTTP date; 1 s when absent', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:02 GMT', now)).toBe(2000);
    expect(retryAfterMs(null, now)).toBe(1000);
    expect(retryAfterMs('soon', now)).toBe(1000);
  });
});

describe('refusals that end the order at once', () => {
  it('a revoked token (401): rejected with "OANDA rejected the token", one send, the stream stops, the token nowhere', async () => {
    const token = 'revoked0123456789abcdef-0123456789abcdef';
    rig = await startRig({ mock, credentials: { token, accountId: mock.accountId } });
    const before = mock.streamRequests;
    const o = rig.submit();
    await waitFor(() => o.state === 'rejected', 'rejected');
    expect(o.reason).toMatch(/^not placed: OANDA rejected the token \(HTTP 401 on POST \/v3\/accounts\/.*\/orders\)$/);
    expect(posts(o.id)).toHaveLength(1);
    await waitFor(() => rig!.logs.some((l) => /transaction stream stopped: OANDA rejected the token \(HTTP 401/.test(l.msg)), 'the stream to stop');
    await sleep(300);
    expect(mock.streamRequests - before).toBe(1);
    expect(everything(rig)).not.toContain(token);
    // the order, the stream and the first read were refused for the token: injected, so not misuse
    expect(mock.authFailures).toBeGreaterThanOrEqual(2);
    mock.authFailures = 0;
  });

  it('an open breaker (repeated 5xx on reads): the order is rejected without being sent', async () => {
    mock.failNext('pending', ...Array.from({ length: 12 }, () => ({ kind: 'status' as const, status: 503 }))); // injected
    rig = await startRig({ mock, settings: { resilience: { heartbeatTimeoutMs: 1_500, backoffInitialMs: 5, backoffMaxMs: 20, breakerFailures: 5, breakerHalfOpenMs: 10_000, maxMessageBytes: 1 << 20 } } });
    await waitFor(() => rig!.logs.some((l) => /circuit breaker is open/.test(l.msg)), 'the breaker to open');
    const o = rig.submit();
    await waitFor(() => o.state === 'rejected', 'rejected');
    expect(o.reason).toBe('not placed: oanda REST circuit open after repeated failures; nothing sent');
    expect(posts(o.id)).toHaveLength(0);
  });
});
