/**
 * One engine's metrics (`GET /metrics`, `metrics.port`) and its once-a-second `perf` message to
 * clients. Counters the engine already keeps (collector counters, ring headers, publisher and
 * desk state) are read when Prometheus scrapes; only latencies are recorded as they happen, into
 * HDR histograms (see latency.ts), by the desk and the publisher through hooks.ts.
 *
 * Latencies are Prometheus summaries (quantiles 0.5/0.95/0.99/0.999 over the last 30–60 s,
 * `_sum`/`_count` since start), not histograms: the engine is one process, so nothing needs
 * aggregating across instances, and HDR quantiles stay exact to 2 digits from 1 µs to seconds
 * where fixed buckets would have to guess the range per venue (a co-located feed at 50 µs, a
 * remote one at 80 ms). The same histograms feed the perf panel.
 *
 * Label sets are bounded by the config: venue (enabled venues; an unknown one is `unknown`),
 * symbol (configured instruments), and small fixed enums (state, ring, stage, result, baseline).
 */
import { Registry } from 'prom-client';
import type { CollectorHost, RingStats } from '../collectors/collector-host';
import type { MarketBook } from '../market/market-book';
import type { Publisher } from '../publisher/publisher';
import type { TradingDesk } from '../trading/desk';
import { VENUE_STATE_NAMES, type VenueStateName } from '../../shared/frames';
import type { PerfMessage } from '../../shared/protocol';
import type { Histogram } from 'hdr-histogram-js';
import { ORDER_RESULTS, type DeskMetrics, type OrderPathTimes, type OrderResult, type PublisherMetrics } from './hooks';
import { LatencyStat, WINDOW_TICKS } from './latency';
import { latencySummary, viewMetric, type Labels, type Sample } from './prom';
import { processMetrics } from './process-metrics';

/** What the telemetry reads from the engine. */
export interface TelemetrySource {
  readonly hosts: readonly CollectorHost[];
  readonly publisher: Publisher;
  readonly desk: TradingDesk;
  books(): Iterable<MarketBook>;
  stateOf(h: CollectorHost): VenueStateName;
}

const STAGES = ['validate', 'risk', 'journal', 'send', 'total'] as const;
type Stage = (typeof STAGES)[number];

/** a ring's peak fill over the current and the previous 30 s window, per ring */
interface RingPeaks {
  current: number[];
  previous: number[];
}

export class Telemetry implements DeskMetrics, PublisherMetrics {
  readonly registry = new Registry();
  private readonly exchange = new Map<string, LatencyStat>();
  private readonly toRenderer = new Map<string, LatencyStat>();
  private readonly toRendererAll = new LatencyStat();
  private readonly stages = new Map<Stage, LatencyStat>(STAGES.map((s) => [s, new LatencyStat()]));
  private readonly fsync = new LatencyStat();
  private readonly orders = new Map<string, number>();
  private readonly ringPeaks = new Map<CollectorHost, RingPeaks>();
  private ticks = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly src: TelemetrySource) {
    processMetrics();
    this.define();
  }

  start(): void {
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Prometheus text: this engine's pulse_* metrics, then the process's (heap, RSS, GC, event loop). */
  async metricsText(): Promise<string> {
    const [engine, proc] = await Promise.all([this.registry.metrics(), processMetrics().registry.metrics()]);
    return `${engine}\n${proc}`;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  // ---- hooks ----

  /** A venue's exchange → engine latencies of the last status interval (the collector host's histogram). */
  exchangeLatency(venue: string, h: Histogram): void {
    statOf(this.exchange, venue).addHistogram(h);
  }

  deltaSent(venue: string, latencyUs: number): void {
    statOf(this.toRenderer, venue).record(latencyUs);
    this.toRendererAll.record(latencyUs);
  }

  order(venue: string, result: OrderResult, path?: OrderPathTimes): void {
    const v = this.src.hosts.some((h) => h.venue === venue) ? venue : 'unknown';
    const key = `${v}\n${result}`;
    this.orders.set(key, (this.orders.get(key) ?? 0) + 1);
    if (!path) return;
    const stage = (s: Stage, us: number) => {
      if (us === us) this.stages.get(s)!.record(us);
    };
    stage('validate', path.validateUs);
    stage('risk', path.riskUs);
    stage('journal', path.journalUs);
    stage('send', path.sendUs);
    if (result === 'sent') stage('total', path.validateUs + path.riskUs + path.journalUs + path.sendUs);
  }

  journalSync(us: number): void {
    this.fsync.record(us);
  }

  // ---- perf message ----

  perf(): PerfMessage {
    const mem = process.memoryUsage();
    return {
      type: 'perf',
      ts: Date.now(),
      engineToRenderer: this.toRendererAll.last,
      eventLoopLag: processMetrics().eventLoop.last,
      orderPath: this.stages.get('total')!.windowFigures(),
      journalSync: this.fsync.windowFigures(),
      heapUsedBytes: mem.heapUsed,
      rssBytes: mem.rss,
    };
  }

  private tick(): void {
    for (const s of this.allStats()) s.tick();
    const rotate = ++this.ticks >= WINDOW_TICKS;
    if (rotate) this.ticks = 0;
    for (const h of this.src.hosts) {
      const p = peaksOf(this.ringPeaks, h);
      h.ringStats(true).forEach((r, i) => (p.current[i] = Math.max(p.current[i] ?? 0, r.peak, r.waiting)));
      if (rotate) {
        p.previous = p.current;
        p.current = [];
      }
    }
    const sessions = this.src.publisher.sessions;
    if (sessions.size === 0) return;
    const message = this.perf();
    for (const s of sessions) s.link.sendControl(message);
  }

  private *allStats(): Generator<LatencyStat> {
    yield* this.exchange.values();
    yield* this.toRenderer.values();
    yield this.toRendererAll;
    yield* this.stages.values();
    yield this.fsync;
  }

  // ---- metric definitions ----

  private define(): void {
    const r = this.registry;
    const hosts = () => this.src.hosts;
    const perVenue = (value: (h: CollectorHost) => number) => () => hosts().map((h) => ({ labels: { venue: h.venue }, value: value(h) }));
    const counter = (name: string, help: string, collect: () => Iterable<Sample>) => viewMetric(r, 'counter', name, help, collect);
    const gauge = (name: string, help: string, collect: () => Iterable<Sample>) => viewMetric(r, 'gauge', name, help, collect);

    counter('pulse_venue_messages_total', 'Messages received from the venue (collector counter)', perVenue((h) => h.counters.messages));
    counter('pulse_book_updates_total', 'Book updates (sets of level changes) the collector applied and sent to the engine', perVenue((h) => h.counters.updates));
    counter('pulse_trades_total', 'Trades received from the venue', perVenue((h) => h.counters.trades));
    counter('pulse_gaps_total', 'Sequence gaps seen by the collector or the engine', perVenue((h) => h.counters.gaps + h.books.reduce((n, b) => n + b.gaps, 0)));
    counter('pulse_checksum_failures_total', 'Book checksums that did not match the venue\'s', perVenue((h) => h.counters.checksumFailures));
    counter('pulse_resyncs_total', 'Books rebuilt from a fresh snapshot', perVenue((h) => h.counters.resyncs));
    counter('pulse_reconnects_total', 'Venue connections re-opened', perVenue((h) => h.counters.reconnects));
    counter('pulse_bad_messages_total', 'Venue messages that could not be understood', perVenue((h) => h.counters.badMessages));
    counter('pulse_rest_retries_total', 'Venue REST calls retried after a failure', perVenue((h) => h.counters.restRetries));

    const rings = (value: (r: RingStats, peak: number) => number) => () =>
      hosts().flatMap((h) => {
        const p = peaksOf(this.ringPeaks, h);
        return h.ringStats().map((r, i) => ({ labels: { venue: h.venue, ring: r.ring }, value: value(r, Math.max(r.peak, p.current[i] ?? 0, p.previous[i] ?? 0)) }));
      });
    counter('pulse_ring_overflows_total', 'Records that did not fit in a ring (the book went stale and was resynced; a trade was lost)', rings((r) => r.overflows));
    gauge('pulse_ring_occupancy_ratio', 'Ring records waiting for the engine / capacity, now', rings((r) => r.waiting / r.capacity));
    gauge('pulse_ring_peak_occupancy_ratio', 'Most ring records seen waiting at one drain / capacity, over the last 30-60 s', rings((r, peak) => peak / r.capacity));
    gauge('pulse_ring_capacity_records', 'Ring capacity in records', rings((r) => r.capacity));

    gauge('pulse_venue_state', 'Venue state: 1 for the current state, 0 for the others (breaker-open is the circuit breaker)', () =>
      hosts().flatMap((h) => {
        const state = this.src.stateOf(h);
        return VENUE_STATE_NAMES.map((s) => ({ labels: { venue: h.venue, state: s }, value: s === state ? 1 : 0 }));
      }),
    );
    gauge('pulse_book_stale', '1 while the engine\'s copy of the book is not known to be exact', () =>
      [...this.src.books()].map((b) => ({ labels: { venue: b.venue, symbol: b.symbol }, value: b.stale ? 1 : 0 })),
    );

    const byVenue = (map: Map<string, LatencyStat>) => (): Array<[Labels, LatencyStat]> => hosts().map((h) => [{ venue: h.venue }, statOf(map, h.venue)]);
    latencySummary(r, 'pulse_exchange_to_engine_latency_seconds', 'Venue timestamp of a book update to the engine applying it', byVenue(this.exchange));
    latencySummary(r, 'pulse_engine_to_renderer_latency_seconds', 'Per delta frame: engine receive of its newest change to the frame being sent', byVenue(this.toRenderer));
    latencySummary(r, 'pulse_order_path_latency_seconds', 'desk.place stages: validate (grid), risk, journal (append + fdatasync), send (to the venue); total for orders sent', () =>
      STAGES.map((s): [Labels, LatencyStat] => [{ stage: s }, this.stages.get(s)!]),
    );
    latencySummary(r, 'pulse_journal_fsync_seconds', 'Order journal fdatasync per append', () => [[{}, this.fsync]]);
    counter('pulse_orders_total', 'Orders placed, by outcome: sent to the venue, rejected by risk, invalid (unknown instrument, off the grid), journal-failed', () => {
      const venues = hosts().map((h) => h.venue);
      if ([...this.orders.keys()].some((k) => k.startsWith('unknown\n'))) venues.push('unknown');
      return venues.flatMap((venue) => ORDER_RESULTS.map((result) => ({ labels: { venue, result }, value: this.orders.get(`${venue}\n${result}`) ?? 0 })));
    });

    const deltas = (value: (s: MarketBook['tracker']['stats']) => number) => () => {
      const sums = new Map<string, number>(hosts().map((h) => [h.venue, 0]));
      for (const b of this.src.books()) sums.set(b.venue, (sums.get(b.venue) ?? 0) + value(b.tracker.stats));
      return [...sums].map(([venue, v]) => ({ labels: { venue }, value: v }));
    };
    counter('pulse_delta_frames_total', 'Delta frames encoded (each sent to every client in sync with the book)', deltas((s) => s.deltas));
    counter('pulse_delta_bytes_total', 'Bytes of the delta frames encoded', deltas((s) => s.deltaBytes));
    counter('pulse_snapshot_frames_total', 'Full book snapshot frames encoded', deltas((s) => s.snapshots));
    counter('pulse_snapshot_bytes_total', 'Bytes of the snapshot frames encoded', deltas((s) => s.snapshotBytes));
    counter('pulse_delta_level_changes_total', 'Level changes received (kind=received) and sent after coalescing (kind=sent)', () => [
      ...deltas((s) => s.rawChanges)().map((x) => ({ ...x, labels: { ...x.labels, kind: 'received' } })),
      ...deltas((s) => s.coalescedChanges)().map((x) => ({ ...x, labels: { ...x.labels, kind: 'sent' } })),
    ]);
    counter('pulse_delta_baseline_bytes_total', 'Bytes full snapshots would have cost instead: one per delta frame (baseline=frame) or one per venue update (baseline=update)', () => [
      ...deltas((s) => s.snapshotEquivalentBytes)().map((x) => ({ ...x, labels: { ...x.labels, baseline: 'frame' } })),
      ...deltas((s) => s.snapshotPerUpdateBytes)().map((x) => ({ ...x, labels: { ...x.labels, baseline: 'update' } })),
    ]);
    gauge('pulse_compression_ratio', 'Baseline bytes / delta bytes since start (baseline: a snapshot per frame, or per venue update); NaN before the first delta', () => {
      const bytes = deltas((s) => s.deltaBytes)();
      const frame = deltas((s) => s.snapshotEquivalentBytes)();
      const update = deltas((s) => s.snapshotPerUpdateBytes)();
      return bytes.flatMap((b, i) => [
        { labels: { ...b.labels, baseline: 'frame' }, value: b.value > 0 ? frame[i]!.value / b.value : NaN },
        { labels: { ...b.labels, baseline: 'update' }, value: b.value > 0 ? update[i]!.value / b.value : NaN },
      ]);
    });
    counter('pulse_skipped_frames_total', 'Frames not sent to a client whose link backlog was over the limit (it is resynced with a snapshot)', () => [{ value: this.src.publisher.stats.skippedFrames }]);
    gauge('pulse_clients', 'Renderer connections attached', () => [{ value: this.src.publisher.sessions.size }]);
    gauge('pulse_open_orders', 'Orders not yet filled, cancelled, rejected or expired', () => {
      let n = 0;
      for (const o of this.src.desk.orders.values()) if (o.isOpen) n++;
      return [{ value: n }];
    });
    gauge('pulse_kill_switch_engaged', '1 while the kill switch is engaged', () => [{ value: this.src.desk.risk.killSwitch.engaged ? 1 : 0 }]);
  }
}

function peaksOf(map: Map<CollectorHost, RingPeaks>, h: CollectorHost): RingPeaks {
  let p = map.get(h);
  if (!p) map.set(h, (p = { current: [], previous: [] }));
  return p;
}

function statOf(map: Map<string, LatencyStat>, key: string): LatencyStat {
  let s = map.get(key);
  if (!s) map.set(key, (s = new LatencyStat()));
  return s;
}
