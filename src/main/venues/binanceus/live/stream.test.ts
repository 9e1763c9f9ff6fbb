/**
 * The user data stream and reconciliation. Injected: the stream cut (and refused for a while), a
 * lost executionReport, the stream down altogether, a listen key that expires (with the venue's
 * `listenKeyExpired`) or is forgotten (the keepalive gets -1125), an unreadable event, and a
 * restart of the adapter while orders trade at the venue. What must hold: every fill made at the
 * venue is reported exactly once, in trade order, before the order's final state, whichever path
 * learned of it (stream, reconnect reconciliation via myTrades from the last known trade id,
 * polling, restore), and nothing is ever sent to the venue twice.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import type { ExecutionReport } from '../../../trading/execution';
import { BinanceUsExecMock } from './tests/mock-exec-server';
import { kinds, pendingOrder, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: BinanceUsExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await BinanceUsExecMock.start()), () => rig);

const fillIds = (rs: ExecutionReport[]) => rs.flatMap((r) => (r.type === 'fill' ? [r.fillId] : []));

describe('reconnect with reconciliation', () => {
  it('fills and a cancel that happened while the stream was down are reported once, on reconnect', async () => {
    // slow polling: only the reconciliation on reconnect can learn what happened meanwhile
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const a = rig.submit({ qty: '0.003' });
    const b = rig.submit({ qty: '0.001' });
    const c = rig.submit({ qty: '0.001' });
    await waitFor(() => [a, b, c].every((o) => o.state === 'working'), 'acks');
    const first = mock.fill(a.id, { qty: '0.001' });
    await waitFor(() => a.filledLots === 100, 'first fill over the stream');

    mock.refuseStream(true); // injected: the stream drops and cannot come back for now
    const connects = mock.streamConnections;
    mock.dropStream();
    await waitFor(() => rig.logs.some((l) => /user stream down/.test(l.msg)), 'the adapter to notice');
    const second = mock.fill(a.id, { qty: '0.001', price: '65999.00' }); // a: another partial, still open
    mock.fill(b.id, { qty: '0.001', price: '65998.00' }); // b: filled
    mock.endAtVenue(c.id, 'CANCELED'); // c: cancelled elsewhere (the web UI)
    await sleep(300);
    expect(rig.reports).toHaveLength(4); // nothing learned while disconnected (3 acks + 1 fill)

    const from = mock.requests.length;
    mock.refuseStream(false);
    await waitFor(() => b.state === 'filled' && c.state === 'cancelled' && a.filledLots === 200, 'reconciliation after reconnect');
    expect(mock.streamConnections).toBeGreaterThan(connects);
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack', 'fill', 'fill']);
    expect(kinds(rig.reportsOf(b.id))).toEqual(['ack', 'fill']);
    expect(kinds(rig.reportsOf(c.id))).toEqual(['ack', 'cancelled']);
    expect(c.reason).toBe('cancelled at the venue');
    expect(fillIds(rig.reportsOf(a.id))).toEqual([`BTCUSD-${first.id}`, `BTCUSD-${second.id}`]);
    // a's missing trade was asked for from the last trade id known for it
    const aTrades = mock.requestsTo('GET', '/api/v3/myTrades', from).filter((r) => r.params.orderId === String(mock.byClientId(a.id)!.orderId));
    expect(aTrades.map((r) => r.params.fromId)).toContain(String(first.id + 1));

    // another cut and reconnect: nothing is reported twice
    const count = rig.reports.length;
    const again = mock.streamConnections;
    mock.dropStream();
    await waitFor(() => mock.streamConnections > again && mock.liveStreams > 0, 'second reconnect');
    await sleep(300);
    expect(rig.reports).toHaveLength(count);
    const ids = fillIds(rig.reports);
    expect(new Set(ids).size).toBe(ids.length);

    mock.fill(a.id, { qty: '0.001' }); // and the stream works again
    await waitFor(() => a.state === 'filled', 'a filled');
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack', 'fill', 'fill', 'fill']);
  });

  it('a lost executionReport: the next one shows the gap in the cumulative quantity; both fills reported once, in trade order', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.loseEvents = 1; // injected: the TRADE event of the first fill never arrives
    const t1 = mock.fill(o.id, { qty: '0.001', price: '66000.00' });
    const t2 = mock.fill(o.id, { qty: '0.001', price: '65999.00' });
    await waitFor(() => o.filledLots === 200, 'both fills');
    expect(fillIds(rig.reportsOf(o.id))).toEqual([`BTCUSD-${t1.id}`, `BTCUSD-${t2.id}`]);
    mock.fill(o.id, { qty: '0.001' });
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'fill', 'fill']);
  });

  it('the stream down for good: orders are followed by polling', async () => {
    mock.refuseStream(true); // injected: no stream at all
    rig = await startRig({ mock, options: { pollIntervalMs: 100 } });
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack (from the placement answer)');
    mock.fill(o.id, { qty: '0.001' });
    await waitFor(() => o.state === 'partially-filled', 'fill by polling');
    mock.endAtVenue(o.id, 'EXPIRED');
    await waitFor(() => o.state === 'expired', 'expired by polling');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'expired']);
  });

  it('an unreadable executionReport leads to a reconciliation that reports what happened', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit({ qty: '0.001' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.loseEvents = 1;
    mock.fill(o.id, { qty: '0.001' }); // its event is lost…
    mock.sendRaw('{"e":"executionReport","s":"BTCUSD","c":42}'); // …and a garbled one arrives
    await waitFor(() => o.state === 'filled', 'filled via reconciliation');
    expect(rig.logs.some((l) => /executionReport not understood .*; reconciling over REST/.test(l.msg))).toBe(true);
  });
});

describe('listen keys', () => {
  it('listenKeyExpired: a new key, a new connection, reconciliation; events flow again', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    const keys = mock.listenKeys.length;
    const connects = mock.streamConnections;
    mock.expireListenKey(rig.apiKey); // injected
    await waitFor(() => mock.streamConnections > connects && rig.logs.filter((l) => /user stream live/.test(l.msg)).length >= 2, 'reconnected');
    expect(mock.listenKeys.length).toBe(keys + 1);
    expect(rig.logs.some((l) => /listen key expired; reconnecting with a new one/.test(l.msg))).toBe(true);
    mock.fill(o.id, { qty: '0.002' });
    await waitFor(() => o.state === 'filled', 'filled over the new stream');
  });

  it('keepalive: PUT with the listen key; a key the venue no longer knows (-1125) means a new key and a reconnect', async () => {
    rig = await startRig({ mock, options: { keepaliveMs: 150 } });
    await rig.live();
    await waitFor(() => mock.requestsTo('PUT', '/api/v3/userDataStream').some((r) => r.status === 200), 'a keepalive');
    const connects = mock.streamConnections;
    mock.forgetListenKey(rig.apiKey); // injected
    await waitFor(() => mock.streamConnections > connects, 'reconnected with a new key', 3_000);
    expect(mock.requestsTo('PUT', '/api/v3/userDataStream').some((r) => r.status === 400)).toBe(true);
    expect(rig.logs.some((l) => /listen key is no longer valid; reconnecting with a new one/.test(l.msg))).toBe(true);
  });
});

describe('restore after a restart', () => {
  it('reports the fills and end states that happened at the venue meanwhile, once, and sends nothing again', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const a = rig.submit({ qty: '0.003' });
    const b = rig.submit({ qty: '0.002' });
    const c = rig.submit({ qty: '0.001' });
    const d = rig.submit({ qty: '0.001' });
    await waitFor(() => [a, b, c, d].every((o) => o.state === 'working'), 'acks');
    mock.fill(a.id, { qty: '0.001' });
    mock.fill(b.id, { qty: '0.001' });
    await waitFor(() => a.filledLots === 100 && b.filledLots === 100, 'first fills');
    const before = rig.reports.length;

    rig.venue.stop(); // injected: the engine goes away
    await sleep(50);
    const a2 = mock.fill(a.id, { qty: '0.001', price: '65990.00' }); // a: partially filled further, still open
    const b2 = mock.fill(b.id, { qty: '0.001', price: '65980.00' }); // b: filled
    mock.endAtVenue(c.id, 'CANCELED'); // c: cancelled elsewhere
    // d: unchanged

    const from = mock.requests.length;
    const venue = rig.restart();
    for (const o of [a, b, c, d]) venue.restore(o); // the desk restores what its journal says is working
    await waitFor(() => a.filledLots === 200 && b.state === 'filled' && c.state === 'cancelled', 'restored');
    await rig.live();
    await sleep(200);
    const after = rig.reports.slice(before);
    expect(after.map((r) => `${r.clientOrderId === a.id ? 'a' : r.clientOrderId === b.id ? 'b' : r.clientOrderId === c.id ? 'c' : 'd'}:${r.type}`).sort()).toEqual(['a:fill', 'b:fill', 'c:cancelled']);
    expect(fillIds(after).sort()).toEqual([`BTCUSD-${a2.id}`, `BTCUSD-${b2.id}`].sort());
    expect(d.state).toBe('working');
    expect(mock.requestsTo('POST', '/api/v3/order', from)).toHaveLength(0);
    for (const o of [a, b, c, d]) expect(mock.ordersWithClientId(o.id)).toHaveLength(1);

    mock.fill(d.id, { qty: '0.001' }); // and restored orders follow the new stream
    await waitFor(() => d.state === 'filled', 'd filled');
  });

  it('an order sent just before the engine stopped (journaled pending, never answered): found by client id, acked, its fill reported', async () => {
    rig = await startRig({ mock, options: { lookupDelayMs: 10_000 } }); // the first adapter would look it up too late
    await rig.live();
    mock.symbols.get('BTCUSD')!.askQty = '0.001';
    mock.inject({ kind: 'timeout', process: true }, '/api/v3/order', 'POST'); // injected: made at the venue (filling 0.001 at once), never answered…
    mock.loseEvents = 2; // …and its NEW and TRADE events never reach this engine
    const o = rig.submit({ side: 'buy', qty: '0.003', price: '67000.01' });
    await waitFor(() => mock.ordersWithClientId(o.id).length === 1, 'the order at the venue');
    const from = mock.requests.length;
    rig.restart(); // injected: the engine stops and starts again
    expect(o.state).toBe('pending');
    rig.venue.restore(o);
    await waitFor(() => o.state === 'partially-filled', 'ack and fill');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(mock.requestsTo('POST', '/api/v3/order', from)).toHaveLength(0);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
    mock.symbols.get('BTCUSD')!.askQty = '0.5';
  });

  it('a pending order the venue never got is expired, not re-sent, once its request can no longer arrive', async () => {
    rig = await startRig({ mock });
    const lost = pendingOrder(); // journaled and (perhaps) sent, then the engine stopped
    rig.orders.set(lost.id, lost);
    rig.venue.restore(lost);
    await waitFor(() => lost.state === 'expired', 'expired');
    expect(lost.reason).toBe('not at the venue: the engine stopped before the venue acknowledged it; not re-sent');
    expect(rig.reportsOf(lost.id)[0]!.at).toBeGreaterThanOrEqual(lost.createdAt + 300); // recvWindow 300 ms in these tests
    expect(mock.ordersWithClientId(lost.id)).toHaveLength(0);
    expect(mock.requestsTo('POST', '/api/v3/order').filter((r) => r.params.newClientOrderId === lost.id)).toHaveLength(0);
  });

  it('an order the venue no longer knows is expired with that reason', async () => {
    rig = await startRig({ mock });
    const ghost = pendingOrder();
    ghost.transition('working', Date.now()); // journaled as acked, but the venue has no such order
    rig.orders.set(ghost.id, ghost);
    rig.venue.restore(ghost);
    await waitFor(() => ghost.state === 'expired', 'expired');
    expect(ghost.reason).toBe('the venue has no order with this client order id');
  });
});
