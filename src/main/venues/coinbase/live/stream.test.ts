/**
 * The private stream and reconciliation. Injected: the stream cut (and refused for a while), a
 * lost message, the stream down altogether, and a restart of the adapter. What must hold: every
 * fill made at the venue is reported exactly once, before the order's final state, whichever path
 * learned of it (stream, reconnect reconciliation, gap reconciliation, polling, restore).
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { Order } from '../../../trading/order';
import type { ExecutionReport } from '../../../trading/execution';
import { CoinbaseExecMock } from './tests/mock-exec-server';
import { applyLikeDesk, kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: CoinbaseExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await CoinbaseExecMock.start({ heartbeatMs: 100 })), () => rig);

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
    mock.fill(a.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => a.filledLots === 100_000, 'first fill over the stream');

    mock.refuseStream(true); // injected: the stream drops and cannot come back for now
    const connects = mock.streamConnections;
    mock.dropStream();
    await waitFor(() => rig.logs.some((l) => /user stream down/.test(l.msg)), 'the adapter to notice');
    mock.fill(a.id, { size: '0.001', price: '64000.00' }); // a: another partial, still open
    mock.fill(b.id, { size: '0.001', price: '63999.00' }); // b: filled
    mock.endAtVenue(c.id, 'CANCELLED', 'Self trade prevention'); // c: ended by the venue
    await sleep(300);
    expect(rig.reports).toHaveLength(4); // nothing learned while disconnected (3 acks + 1 fill)

    mock.refuseStream(false);
    await waitFor(() => b.state === 'filled' && c.state === 'cancelled' && a.filledLots === 200_000, 'reconciliation after reconnect');
    expect(mock.streamConnections).toBeGreaterThan(connects);
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack', 'fill', 'fill']);
    expect(kinds(rig.reportsOf(b.id))).toEqual(['ack', 'fill']);
    expect(kinds(rig.reportsOf(c.id))).toEqual(['ack', 'cancelled']);
    expect(c.reason).toBe('Self trade prevention');

    // another cut and reconnect: nothing is reported twice
    const count = rig.reports.length;
    const again = mock.streamConnections;
    mock.dropStream();
    await waitFor(() => mock.streamConnections > again && mock.liveStreams > 0, 'second reconnect');
    await sleep(300);
    expect(rig.reports).toHaveLength(count);
    const ids = fillIds(rig.reports);
    expect(new Set(ids).size).toBe(ids.length);

    mock.fill(a.id, { size: '0.001', price: '64000.00' }); // and the stream works again
    await waitFor(() => a.state === 'filled', 'a filled');
  });

  it('a lost message (sequence_num jumps): reconciled over REST, the fill reported once', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.loseNextUpdates(1); // injected: the update carrying the fill never arrives
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => o.state === 'filled', 'fill via reconciliation');
    expect(rig.logs.some((l) => /message lost \(sequence \d+ expected, \d+ received\)/.test(l.msg))).toBe(true);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
  });

  it('no stream at all: REST polling reports fills and cancels', async () => {
    mock.refuseStream(true); // injected: the stream never connects
    rig = await startRig({ mock });
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack from the placement answer');
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => o.filledLots === 100_000, 'fill by polling');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
  });
});

describe('restore after a restart', () => {
  /** The order as the desk rebuilds it from its journal: the request, then every report journaled. */
  function fromJournal(o: Order, journaled: ExecutionReport[]): Order {
    const copy = new Order(o.req, o.precision, o.lots, o.priceTicks, o.stopTicks, o.createdAt);
    copy.transition('pending', o.createdAt);
    for (const r of journaled) applyLikeDesk(copy, r);
    return copy;
  }

  it('reports the fills made while the engine was down (not the ones the journal has), then the final state', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => o.filledLots === 100_000, 'first fill');
    const journaled = [...rig.reportsOf(o.id)];

    rig.venue.stop(); // injected: the engine goes away…
    const f2 = mock.fill(o.id, { size: '0.0015', price: '64000.00' }); // …and the order fills meanwhile
    const f3 = mock.fill(o.id, { size: '0.0005', price: '63998.00', liquidity: 'TAKER' });

    const restored = fromJournal(o, journaled);
    expect(restored).toMatchObject({ state: 'partially-filled', filledLots: 100_000, venueOrderId: mock.byClientId(o.id).order_id });
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => restored.state === 'filled', 'restored order filled');
    const after = rig.reportsOf(o.id).slice(journaled.length);
    expect(kinds(after)).toEqual(['fill', 'fill']);
    expect(fillIds(after)).toEqual([f2.entry_id, f3.entry_id]);
    expect(restored.filledLots).toBe(300_000);
  });

  it('an order cancelled at the venue meanwhile, after one more fill: fill, then cancelled', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    const journaled = [...rig.reportsOf(o.id)];
    rig.venue.stop();
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    mock.endAtVenue(o.id, 'CANCELLED', 'User requested cancel');
    const restored = fromJournal(o, journaled);
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => restored.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id).slice(journaled.length))).toEqual(['fill', 'cancelled']);
    expect(restored.filledLots).toBe(100_000);
  });

  it('an order unchanged meanwhile: nothing reported on restore, and later fills still arrive', async () => {
    rig = await startRig({ mock });
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    const journaled = [...rig.reportsOf(o.id)];
    rig.venue.stop();
    const restored = fromJournal(o, journaled);
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => mock.liveStreams > 0 && mock.requests.some((r) => r.path.endsWith(`/historical/${restored.venueOrderId}`)), 'the order re-read');
    await sleep(200);
    expect(rig.reportsOf(o.id)).toHaveLength(journaled.length);
    mock.fill(o.id, { size: '0.001', price: '64000.00' });
    await waitFor(() => restored.state === 'filled', 'fill after restore');
  });
});
