/**
 * Metrics after a scripted session: a real engine on the simulator, one client subscribed to two
 * books, a few paper orders through the desk (sent, rejected by risk, off the grid). The scrape
 * must carry the expected names and labels, counts that match what was done, and plausible
 * values; the perf message must reach the client. No timing is asserted beyond "finite, >= 0".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BookClient, until } from '../testing/book-client';
import { startHarness, type Harness } from '../testing/engine-harness';
import type { PerfMessage } from '../../shared/protocol';

interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseProm(text: string): { samples: PromSample[]; types: Map<string, string> } {
  const samples: PromSample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) types.set(type[1]!, type[2]!);
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return { samples, types };
}

const VENUES = ['sim-a', 'sim-b'];
const SYMBOLS = ['BTC-USD', 'ETH-USD'];
let h: Harness;
let client: BookClient;

beforeAll(async () => {
  h = await startHarness({ enabled: VENUES, symbols: SYMBOLS, simulator: { updatesPerSecond: 200 }, metrics: { port: 0 } });
  client = await BookClient.connect(h.wsUrl);
});
afterAll(async () => {
  await client?.close();
  await h?.stop();
});

const order = (clientOrderId: string, fields: Record<string, unknown>) =>
  client.send({ type: 'place-order', order: { clientOrderId, venue: 'sim-a', symbol: 'BTC-USD', side: 'buy', type: 'market', qty: '0.001', tif: 'IOC', ...fields } });

describe('telemetry after a scripted session', () => {
  it('exports pulse_* metrics with bounded labels and counts that match the session', async () => {
    client.subscribe('sim-a', 'BTC-USD');
    client.subscribe('sim-b', 'ETH-USD');
    const live = await h.liveBook('sim-a', 'BTC-USD');
    await until(() => (client.book('sim-a', 'BTC-USD')?.deltas ?? 0) > 5 && (client.book('sim-b', 'ETH-USD')?.deltas ?? 0) > 5, 10_000, 'deltas on both books');

    const bid = Number(live.bids[0]![0]);
    order('tel-mkt-1', {});
    order('tel-mkt-2', { side: 'sell' });
    order('tel-lmt-1', { type: 'limit', tif: 'GTC', price: (Math.floor(bid * 0.99 * 100) / 100).toFixed(2) }); // rests
    order('tel-big-1', { qty: '6' }); // over maxOrderQty 5: rejected by risk
    order('tel-grid-1', { qty: '0.000001' }); // finer than the lot: refused before risk
    const states = () => new Map(client.control.filter((m) => m.type === 'order').map((m) => [m.order.clientOrderId, m.order.state]));
    await until(() => {
      const s = states();
      return ['filled', 'partially-filled', 'cancelled', 'expired'].includes(s.get('tel-mkt-1') ?? '') && ['filled', 'partially-filled', 'cancelled', 'expired'].includes(s.get('tel-mkt-2') ?? '')
        && s.get('tel-lmt-1') === 'working' && s.get('tel-big-1') === 'rejected';
    }, 10_000, 'orders to settle');
    await until(() => client.control.some((m) => m.type === 'error' && m.clientOrderId === 'tel-grid-1'), 5000, 'the off-grid refusal');
    // two status intervals: exchange latencies merged, ring peaks sampled, perf messages sent
    await until(() => client.control.filter((m) => m.type === 'perf').length >= 2, 5000, 'perf messages');

    const engine = h.pulse.engine;
    const res = await fetch(`${h.base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const { samples, types } = parseProm(await res.text());
    const one = (name: string, labels: Record<string, string> = {}) => {
      const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
      expect(found.length, `${name} ${JSON.stringify(labels)}`).toBe(1);
      return found[0]!.value;
    };

    // names and labels
    const ours = samples.filter((s) => s.name.startsWith('pulse_'));
    const allowed = new Set(['venue', 'symbol', 'quantile', 'stage', 'state', 'ring', 'result', 'baseline', 'kind']);
    for (const s of ours) for (const l of Object.keys(s.labels)) expect(allowed, `${s.name} label ${l}`).toContain(l);
    for (const s of ours) if (s.labels.venue) expect([...VENUES, 'unknown']).toContain(s.labels.venue);
    for (const s of samples) expect(s.name, 'every metric is pulse_*, or a standard process_/nodejs_ one').toMatch(/^(pulse_|process_|nodejs_)/);
    for (const f of ['pulse_exchange_to_engine_latency_seconds', 'pulse_engine_to_renderer_latency_seconds', 'pulse_order_path_latency_seconds', 'pulse_journal_fsync_seconds', 'pulse_event_loop_lag_seconds']) {
      expect(types.get(f), f).toBe('summary');
    }
    expect(types.get('pulse_venue_messages_total')).toBe('counter');
    expect(types.get('pulse_ring_occupancy_ratio')).toBe('gauge');

    for (const venue of VENUES) {
      expect(one('pulse_venue_messages_total', { venue })).toBeGreaterThan(0);
      expect(one('pulse_book_updates_total', { venue })).toBeGreaterThan(0);
      expect(one('pulse_gaps_total', { venue })).toBe(0);
      expect(one('pulse_checksum_failures_total', { venue })).toBe(0);
      expect(one('pulse_reconnects_total', { venue })).toBe(0);
      expect(one('pulse_venue_state', { venue, state: 'live' })).toBe(1);
      expect(samples.filter((s) => s.name === 'pulse_venue_state' && s.labels.venue === venue).reduce((n, s) => n + s.value, 0)).toBe(1);
      for (const ring of ['book', 'trade']) {
        expect(one('pulse_ring_overflows_total', { venue, ring })).toBe(0);
        const occupancy = one('pulse_ring_occupancy_ratio', { venue, ring });
        expect(occupancy).toBeGreaterThanOrEqual(0);
        expect(occupancy).toBeLessThanOrEqual(1);
        const peak = one('pulse_ring_peak_occupancy_ratio', { venue, ring });
        expect(peak).toBeGreaterThanOrEqual(0);
        expect(peak).toBeLessThanOrEqual(1);
      }
      expect(one('pulse_ring_capacity_records', { venue, ring: 'book' })).toBe(engine.config.rings.bookSlots);
      for (const symbol of SYMBOLS) expect(one('pulse_book_stale', { venue, symbol })).toBe(0);

      expect(one('pulse_exchange_to_engine_latency_seconds_count', { venue })).toBeGreaterThan(0);
      const q = ['0.5', '0.95', '0.99', '0.999'].map((quantile) => one('pulse_exchange_to_engine_latency_seconds', { venue, quantile }));
      for (const v of q) expect(Number.isFinite(v) && v >= 0).toBe(true);
      expect(q).toEqual([...q].sort((a, b) => a - b));
    }

    // engine → renderer: one observation per delta frame that carried changes
    for (const venue of VENUES) {
      const frames = one('pulse_delta_frames_total', { venue });
      expect(frames).toBeGreaterThan(0);
      expect(one('pulse_engine_to_renderer_latency_seconds_count', { venue })).toBe(frames);
      expect(one('pulse_engine_to_renderer_latency_seconds', { venue, quantile: '0.99' })).toBeGreaterThanOrEqual(0);
      expect(one('pulse_compression_ratio', { venue, baseline: 'frame' })).toBeGreaterThan(1);
      expect(one('pulse_delta_bytes_total', { venue })).toBeGreaterThan(0);
      expect(one('pulse_snapshot_frames_total', { venue })).toBeGreaterThanOrEqual(1);
    }

    // the order path: 3 sent, 1 rejected by risk (journaled), 1 invalid (never reached risk)
    expect(one('pulse_orders_total', { venue: 'sim-a', result: 'sent' })).toBe(3);
    expect(one('pulse_orders_total', { venue: 'sim-a', result: 'rejected' })).toBe(1);
    expect(one('pulse_orders_total', { venue: 'sim-a', result: 'invalid' })).toBe(1);
    expect(one('pulse_orders_total', { venue: 'sim-a', result: 'journal-failed' })).toBe(0);
    expect(one('pulse_orders_total', { venue: 'sim-b', result: 'sent' })).toBe(0);
    for (const stage of ['validate', 'risk', 'journal']) expect(one('pulse_order_path_latency_seconds_count', { stage })).toBe(4);
    for (const stage of ['send', 'total']) expect(one('pulse_order_path_latency_seconds_count', { stage })).toBe(3);
    expect(one('pulse_order_path_latency_seconds', { stage: 'total', quantile: '0.99' })).toBeGreaterThan(0);
    expect(one('pulse_journal_fsync_seconds_count')).toBe(engine.desk.journal.syncs);
    expect(one('pulse_journal_fsync_seconds_count')).toBeGreaterThanOrEqual(4);
    expect(one('pulse_journal_fsync_seconds_sum')).toBeGreaterThan(0);
    expect(one('pulse_open_orders')).toBe(1);
    expect(one('pulse_kill_switch_engaged')).toBe(0);
    expect(one('pulse_clients')).toBe(1);

    // the process: heap, RSS, event loop
    expect(one('process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(one('nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(one('pulse_event_loop_lag_seconds_count')).toBeGreaterThan(0);
    expect(one('pulse_event_loop_lag_seconds', { quantile: '0.99' })).toBeGreaterThanOrEqual(0);

    // the same families on the metrics.port listener (loopback), and nothing else there
    const url = engine.metricsServer!.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    const other = parseProm(await (await fetch(url)).text());
    expect([...other.types.keys()].sort()).toEqual([...types.keys()].sort());
    expect((await fetch(url.replace('/metrics', '/api/v1/venues'))).status).toBe(404);

    // per-book delta stats on REST
    const stats = (await (await fetch(`${h.base}/api/v1/delta-stats/sim-a/BTC-USD`)).json()) as Record<string, number>;
    expect(stats.deltas).toBeGreaterThan(0);
    expect(stats.compressionRatio).toBeGreaterThan(1);
    expect(stats.avgChangesPerUpdate).toBeGreaterThan(0);
    expect(stats.bytesSaved).toBeGreaterThan(0);
    expect(stats.lastUpdateLatencyUs).toBeGreaterThanOrEqual(0);
  });

  it('sends a perf message once a second with the engine figures', async () => {
    const perf = client.control.filter((m): m is PerfMessage => m.type === 'perf');
    expect(perf.length).toBeGreaterThanOrEqual(2);
    const last = perf.at(-1)!;
    expect(last.ts).toBeGreaterThan(perf.at(-2)!.ts);
    expect(last.engineToRenderer.count).toBeGreaterThan(0);
    expect(last.engineToRenderer.p99Us).toBeGreaterThanOrEqual(last.engineToRenderer.p50Us);
    expect(last.eventLoopLag.count).toBeGreaterThan(0);
    expect(last.orderPath.count).toBe(3);
    expect(last.orderPath.p99Us).toBeGreaterThan(0);
    expect(last.journalSync.count).toBeGreaterThanOrEqual(4);
    expect(last.heapUsedBytes).toBeGreaterThan(0);
    expect(last.rssBytes).toBeGreaterThan(last.heapUsedBytes / 2);
  });
});
