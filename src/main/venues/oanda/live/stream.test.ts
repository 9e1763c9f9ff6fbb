/**
 * The transaction stream, its outages, and restarts. Injected at the mock: the stream cut and
 * refused while OANDA fills and cancels; transactions left off a live stream; an unreadable
 * line; and an adapter restart (a new adapter, the desk's journaled orders handed to restore())
 * while OANDA went on filling and cancelling. What must hold: every fill is reported exactly
 * once (by its ORDER_FILL id), fills before the cancel that followed them, a restored order's
 * journaled fills are not reported again, and the desk can apply every report.
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { OandaExecMock } from './tests/mock-exec-server';
import { kinds, pendingOrder, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: OandaExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await OandaExecMock.start({ heartbeatMs: 100 })), () => rig);

const fillIds = (r: Rig, id: string) => r.reportsOf(id).flatMap((x) => (x.type === 'fill' ? [x.fillId] : []));

describe('stream outage', () => {
  it('fills and a cancel made while the stream was down come in on reconnect, once each, fills before the cancel', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } }); // no polling: only the reconnect can tell
    await rig.live();
    const a = rig.submit({ qty: '1000' });
    const b = rig.submit({ qty: '500', side: 'sell', price: '1.10100' });
    await waitFor(() => a.state === 'working' && b.state === 'working', 'acks');

    mock.streamDown(); // injected: cut, and refused until streamUp
    await waitFor(() => rig.logs.some((l) => /transaction stream down/.test(l.msg)), 'the adapter to notice');
    const fa1 = mock.fill(a.id, { units: 400, price: '1.10000' });
    const fb = mock.fill(b.id, { units: 200, price: '1.10100' });
    const fa2 = mock.fill(a.id, { units: 300, price: '1.09999' });
    mock.cancelAtVenue(b.id, 'MARKET_HALTED');
    await sleep(300);
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack']); // nothing known yet

    mock.streamUp();
    await waitFor(() => a.filledLots === 700 && b.isTerminal, 'catch-up after the reconnect');
    await sleep(400); // heartbeats, a second reconciliation: nothing more
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack', 'fill', 'fill']);
    expect(fillIds(rig, a.id)).toEqual([fa1.id, fa2.id]);
    expect(kinds(rig.reportsOf(b.id))).toEqual(['ack', 'fill', 'cancelled']);
    expect(fillIds(rig, b.id)).toEqual([fb.id]);
    expect(b.reason).toBe('cancelled by OANDA: MARKET_HALTED');
    expect(rig.logs.filter((l) => /transaction stream live/.test(l.msg)).length).toBeGreaterThanOrEqual(2);
    expect(mock.requestsTo('GET', /\/transactions\/sinceid\?id=\d+$/).length).toBeGreaterThan(0);
  });

  it('while the stream is down, polling (pendingOrders + sinceid) reports fills; the stream coming back repeats none', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 100 } });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.streamDown(); // injected, and left down
    await waitFor(() => rig.logs.some((l) => /transaction stream down/.test(l.msg)), 'the adapter to notice');
    const f1 = mock.fill(o.id, { units: 600, price: '1.10000' });
    await waitFor(() => o.filledLots === 600, 'the fill, by polling');
    mock.streamUp();
    await rig.live(2);
    const f2 = mock.fill(o.id, { units: 400, price: '1.10000' });
    await waitFor(() => o.state === 'filled', 'filled');
    await sleep(300);
    expect(fillIds(rig, o.id)).toEqual([f1.id, f2.id]);
  });

  it('a live stream that skips transactions: the next heartbeat names a later id, the gap is read from sinceid, reported once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const since = mock.requestsTo('GET', /\/transactions\/sinceid/).length;
    mock.hideFromStream(1); // injected
    const f = mock.fill(o.id, { units: 1000, price: '1.10000' });
    await waitFor(() => o.state === 'filled', 'filled');
    await sleep(250);
    expect(fillIds(rig, o.id)).toEqual([f.id]);
    expect(mock.requestsTo('GET', /\/transactions\/sinceid/).length).toBeGreaterThan(since);
  });

  it('an unreadable line on the stream: logged, and a reconciliation runs; nothing is lost', async () => {
    rig = await startRig({ mock, options: { safetyPollMs: 60_000 } });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const pendingBefore = mock.requestsTo('GET', /\/pendingOrders$/).length;
    mock.sendRaw('{"type":"ORDER_FILL","id":'); // injected
    await waitFor(() => rig.logs.some((l) => /unreadable transaction stream line/.test(l.msg)), 'the log line');
    await waitFor(() => mock.requestsTo('GET', /\/pendingOrders$/).length > pendingBefore, 'a reconciliation');
    mock.fill(o.id, { units: 1000, price: '1.10000' });
    await waitFor(() => o.state === 'filled', 'filled');
  });
});

describe('restore after a restart', () => {
  it('reports what OANDA did meanwhile: new fills only (not the journaled one), fills then cancel, nothing for an untouched order', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const a = rig.submit({ qty: '1000' });
    const b = rig.submit({ qty: '800' });
    const c = rig.submit({ qty: '300' });
    await waitFor(() => [a, b, c].every((o) => o.state === 'working'), 'acks');
    const fa1 = mock.fill(a.id, { units: 400, price: '1.10000' });
    await waitFor(() => a.filledLots === 400, 'the first fill (journaled by the desk)');

    rig.venue.stop(); // the engine stops; OANDA goes on
    const fa2 = mock.fill(a.id, { units: 600, price: '1.09990' });
    const fb = mock.fill(b.id, { units: 200, price: '1.10000' });
    mock.cancelAtVenue(b.id, 'CLIENT_REQUEST'); // e.g. from OANDA's own platform
    const before = rig.reports.length;

    const v = rig.restart(); // the desk replays its journal and restores the open orders
    for (const o of [a, b, c]) v.restore(o);
    await waitFor(() => a.state === 'filled' && b.isTerminal, 'the restore');
    await sleep(300);
    const after = rig.reports.slice(before);
    expect(after.filter((r) => r.clientOrderId === a.id)).toMatchObject([{ type: 'fill', fillId: fa2.id, lots: 600, priceTicks: 109_990 }]);
    expect(after.filter((r) => r.clientOrderId === b.id)).toMatchObject([{ type: 'fill', fillId: fb.id, lots: 200 }, { type: 'cancelled', reason: 'cancelled at OANDA by a client request (not from this session)' }]);
    expect(after.filter((r) => r.clientOrderId === c.id)).toEqual([]);
    expect(fillIds(rig, a.id)).toEqual([fa1.id, fa2.id]);

    // the untouched order is tracked again: a later fill is reported
    await rig.live(2);
    mock.fill(c.id, { units: 300, price: '1.10000' });
    await waitFor(() => c.state === 'filled', 'filled after the restore');
  });

  it('an order the journal knows without OANDA\'s id: found by client id, then replayed', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '900' });
    await waitFor(() => o.state === 'working', 'ack');
    rig.venue.stop();
    const f = mock.fill(o.id, { units: 900, price: '1.10000' });
    o.venueOrderId = null; // injected: the journal lost it
    const v = rig.restart();
    v.restore(o);
    await waitFor(() => o.state === 'filled', 'filled');
    expect(fillIds(rig, o.id)).toEqual([f.id]);
    expect(mock.requestsTo('GET', new RegExp(`/orders/@${o.id}$`)).length).toBeGreaterThanOrEqual(1);
  });

  it('an order journaled but never acknowledged (the engine stopped mid-send) that OANDA did make: acked, and its fill reported', async () => {
    mock.streamDown(); // so that nothing but the create answer could tell this adapter
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    mock.failNext('place', { kind: 'timeout', reach: true }); // injected: made at OANDA, no answer …
    const o = rig.submit({ qty: '700' });
    await waitFor(() => mock.ordersWithClientId(o.id).length === 1, 'the order at OANDA');
    rig.venue.stop(); // … and the engine stops before learning of it
    const f = mock.fill(o.id, { units: 700, price: '1.10000' });
    expect(o.state).toBe('pending');
    mock.streamUp();
    const v = rig.restart();
    v.restore(o);
    await waitFor(() => o.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(fillIds(rig, o.id)).toEqual([f.id]);
    expect(mock.ordersWithClientId(o.id)).toHaveLength(1);
  });

  it('a restored order OANDA has never heard of: expired, with the reason', async () => {
    rig = await startRig({ mock });
    const posts = mock.requestsTo('POST', /\/orders$/).length;
    const ghost = pendingOrder({ clientOrderId: `ghost-${Date.now().toString(36)}` }); // injected: journaled as working, unknown to OANDA
    ghost.transition('working', Date.now());
    rig.orders.set(ghost.id, ghost);
    rig.venue.restore(ghost);
    await waitFor(() => ghost.state === 'expired', 'expired');
    expect(ghost.reason).toBe('OANDA has no order with this client id');
    expect(mock.requestsTo('POST', /\/orders$/)).toHaveLength(posts); // nothing sent
    expect(mock.ordersWithClientId(ghost.id)).toHaveLength(0);
  });
});
