/**
 * The executions stream and reconciliation. Injected: the stream cut (and refused for a while),
 * more fills while it was down than its snapshot carries, a lost message, the stream down
 * altogether, and a restart of the adapter. What must hold: every fill made at the venue is
 * reported exactly once (by exec_id / trade txid), before the order's final state, whichever path
 * learned of it (stream update, resubscription snapshot, REST reconciliation, polling, restore).
 */
import { describe, expect, it } from 'vitest';
import { mockVenueHooks } from '../../../trading/live/testing/mock-hooks';
import { KrakenExecMock } from './tests/mock-exec-server';
import { cl, fillIds, fromJournal, kinds, sleep, startRig, waitFor, type Rig } from './tests/support';

let mock: KrakenExecMock;
let rig: Rig;
mockVenueHooks(async () => (mock = await KrakenExecMock.start({ heartbeatMs: 100 })), () => rig);

/** Cuts the stream and keeps it out until `back()`. */
async function cutStream(): Promise<{ back(): void }> {
  mock.refuseStream(true);
  mock.dropStream();
  await waitFor(() => rig.logs.some((l) => /executions stream down/.test(l.msg)), 'the adapter to notice');
  return { back: () => mock.refuseStream(false) };
}

describe('reconnect with reconciliation', () => {
  it('fills and a cancel that happened while the stream was down are reported once, on resubscription', async () => {
    // slow polling: only the resubscription can learn what happened meanwhile
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const a = rig.submit({ qty: '0.003' });
    const b = rig.submit({ qty: '0.001' });
    const c = rig.submit({ qty: '0.001' });
    await waitFor(() => [a, b, c].every((o) => o.state === 'working'), 'acks');
    mock.fill(cl(a), { vol: '0.001', price: '64000.0' });
    await waitFor(() => a.filledLots === 100_000, 'first fill over the stream');

    const cut = await cutStream(); // injected: the stream drops and cannot come back for now
    const connects = mock.streamConnections;
    const fa = mock.fill(cl(a), { vol: '0.001', price: '64000.0' }); // a: another partial, still open
    const fb = mock.fill(cl(b), { vol: '0.001', price: '63999.0' }); // b: filled (closed)
    mock.endAtVenue(cl(c), 'canceled', 'Cannot trade with self'); // c: ended by the venue
    await sleep(300);
    expect(rig.reports).toHaveLength(4); // nothing learned while disconnected (3 acks + 1 fill)

    cut.back();
    await waitFor(() => b.state === 'filled' && c.state === 'cancelled' && a.filledLots === 200_000, 'reconciliation after reconnect');
    expect(mock.streamConnections).toBeGreaterThan(connects);
    expect(kinds(rig.reportsOf(a.id))).toEqual(['ack', 'fill', 'fill']);
    expect(kinds(rig.reportsOf(b.id))).toEqual(['ack', 'fill']);
    expect(kinds(rig.reportsOf(c.id))).toEqual(['ack', 'cancelled']);
    expect(fillIds(rig.reportsOf(a.id))[1]).toBe(fa.id);
    expect(fillIds(rig.reportsOf(b.id))).toEqual([fb.id]);
    expect(c.reason).toBe('Cannot trade with self');

    // another cut and reconnect: the snapshot repeats those fills, and nothing is reported twice
    const count = rig.reports.length;
    const again = mock.streamConnections;
    mock.dropStream();
    await waitFor(() => mock.streamConnections > again && mock.liveStreams > 0, 'second reconnect');
    await sleep(300);
    expect(rig.reports).toHaveLength(count);
    const ids = fillIds(rig.reports);
    expect(new Set(ids).size).toBe(ids.length);

    mock.fill(cl(a), { vol: '0.001', price: '64000.0' }); // and the stream works again
    await waitFor(() => a.state === 'filled', 'a filled');
  });

  it('more fills while down than the snapshot carries (50): the rest come from the trade history, each once', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit({ qty: '0.08' });
    await waitFor(() => o.state === 'working', 'ack');
    const cut = await cutStream(); // injected
    const made = [];
    for (let i = 0; i < 60; i++) made.push(mock.fill(cl(o), { vol: '0.001', price: (64000 - i / 10).toFixed(1) }));
    const histories = mock.calls('TradesHistory').length;
    cut.back();
    await waitFor(() => o.filledLots === 6_000_000, 'all 60 fills');
    await sleep(200);
    const reported = fillIds(rig.reportsOf(o.id));
    expect(reported).toHaveLength(60);
    expect(new Set(reported)).toEqual(new Set(made.map((t) => t.id)));
    expect(o.state).toBe('partially-filled');
    // the snapshot brought the latest 50; the REST read found the cumulative volume ahead and paged the history
    expect(mock.calls('TradesHistory').slice(histories).map((r) => r.params.ofs)).toEqual(['0', '50']);
  });

  it('a lost message (sequence jumps): reconciled over REST, the fill reported once', async () => {
    rig = await startRig({ mock, options: { pollIntervalMs: 60_000 } });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    mock.loseNextUpdates(1); // injected: the update carrying the fill never arrives
    const f = mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.state === 'filled', 'fill via reconciliation');
    expect(rig.logs.some((l) => /message lost \(sequence jumped to \d+\); reconciling over REST/.test(l.msg))).toBe(true);
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill']);
    expect(fillIds(rig.reportsOf(o.id))).toEqual([f.id]);
  });

  it('no stream at all: REST polling reports fills and cancels', async () => {
    mock.refuseStream(true); // injected: the stream never connects
    rig = await startRig({ mock });
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack from the placement answer');
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.filledLots === 100_000, 'fill by polling');
    rig.venue.cancel(o);
    await waitFor(() => o.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id))).toEqual(['ack', 'fill', 'cancelled']);
  });
});

describe('restore after a restart', () => {
  it('reports the fills made while the engine was down (not the ones the journal has), then the final state', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.filledLots === 100_000, 'first fill');
    const journaled = [...rig.reportsOf(o.id)];

    rig.venue.stop(); // injected: the engine goes away…
    const f2 = mock.fill(cl(o), { vol: '0.0015', price: '64000.0' }); // …and the order fills meanwhile
    const f3 = mock.fill(cl(o), { vol: '0.0005', price: '63998.0', maker: false });

    const restored = fromJournal(o, journaled);
    expect(restored).toMatchObject({ state: 'partially-filled', filledLots: 100_000, venueOrderId: mock.byClOrdId(cl(o)).txid });
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => restored.state === 'filled', 'restored order filled');
    const after = rig.reportsOf(o.id).slice(journaled.length);
    expect(kinds(after)).toEqual(['fill', 'fill']);
    expect(fillIds(after)).toEqual([f2.id, f3.id]);
    expect(after[1]).toMatchObject({ liquidity: 'taker', priceTicks: 639_980, lots: 50_000 });
    expect(restored.filledLots).toBe(300_000);
  });

  it('an order cancelled at the venue meanwhile, after one more fill: fill, then cancelled', async () => {
    rig = await startRig({ mock });
    const o = rig.submit({ qty: '0.003' });
    await waitFor(() => o.state === 'working', 'ack');
    const journaled = [...rig.reportsOf(o.id)];
    rig.venue.stop();
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    mock.endAtVenue(cl(o), 'canceled', 'User requested');
    const restored = fromJournal(o, journaled);
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => restored.state === 'cancelled', 'cancelled');
    expect(kinds(rig.reportsOf(o.id).slice(journaled.length))).toEqual(['fill', 'cancelled']);
    expect(restored.reason).toBe('User requested');
    expect(restored.filledLots).toBe(100_000);
  });

  it('a partly filled order unchanged meanwhile: nothing reported on restore, and later fills still arrive once', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit({ qty: '0.002' });
    await waitFor(() => o.state === 'working', 'ack');
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => o.filledLots === 100_000, 'first fill');
    const journaled = [...rig.reportsOf(o.id)];
    rig.venue.stop();
    const restored = fromJournal(o, journaled);
    rig.orders.set(o.id, restored);
    const reads = mock.calls('QueryOrders').length;
    rig.restart().restore(restored);
    await rig.live();
    await waitFor(() => mock.calls('QueryOrders').length > reads, 'the order re-read');
    await sleep(200);
    expect(rig.reportsOf(o.id)).toHaveLength(journaled.length);
    const f = mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    await waitFor(() => restored.state === 'filled', 'fill after restore');
    expect(fillIds(rig.reportsOf(o.id).slice(journaled.length))).toEqual([f.id]);
  });

  it('an order the journal has no txid for: found by cl_ord_id, acked, its fills reported', async () => {
    rig = await startRig({ mock });
    await rig.live();
    const o = rig.submit();
    await waitFor(() => o.state === 'working', 'ack');
    rig.venue.stop();
    mock.fill(cl(o), { vol: '0.001', price: '64000.0' });
    const restored = fromJournal(o, []); // injected: the ack never reached the journal
    rig.orders.set(o.id, restored);
    rig.restart().restore(restored);
    await waitFor(() => restored.state === 'filled', 'filled');
    expect(kinds(rig.reportsOf(o.id).slice(1))).toEqual(['ack', 'fill']);
    expect(restored.venueOrderId).toBe(mock.byClOrdId(cl(o)).txid);
  });
});
