/**
 * What belongs to the process, not to one engine: prom-client's default metrics (heap, RSS, GC,
 * handles, CPU) under their standard names, so stock Node.js dashboards work, and the event
 * loop's lag. Created once per process, on first use.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { LatencyFigures } from '../../shared/protocol';
import { LatencyStat, NO_FIGURES, QUANTILES } from './latency';

/** monitorEventLoopDelay samples every RESOLUTION_MS; a sample is that interval plus the lag. */
const RESOLUTION_MS = 10;
const RESOLUTION_NS = RESOLUTION_MS * 1e6;

/**
 * Event-loop lag from perf_hooks.monitorEventLoopDelay, read and reset once a second. Node's
 * histograms cannot be merged with one another's kind, so each second's distribution (about 100
 * samples) is carried into the 30–60 s window as its 100 percentiles.
 */
export class EventLoopLag {
  /** figures (µs) of the second closed by the latest tick */
  last: LatencyFigures = NO_FIGURES;
  /** samples and summed lag (µs) since start */
  count = 0;
  sumUs = 0;
  /** each second's percentiles, for window quantiles */
  readonly window = new LatencyStat();
  private readonly monitor = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;

  constructor() {
    this.monitor.enable();
    this.timer = setInterval(() => this.tick(), 1000);
    this.timer.unref();
  }

  private tick(): void {
    const m = this.monitor;
    if (m.count > 0) {
      this.last = { count: m.count, p50Us: lagUs(m.percentile(50)), p99Us: lagUs(m.percentile(99)), maxUs: lagUs(m.max) };
      this.count += m.count;
      this.sumUs += lagUs(m.mean) * m.count;
      for (let k = 1; k <= 100; k++) this.window.record(lagUs(m.percentile(k)));
    } else {
      this.last = NO_FIGURES;
    }
    this.window.tick();
    m.reset();
  }
}

const lagUs = (ns: number) => Math.round(Math.max(0, ns - RESOLUTION_NS) / 1000);

export interface ProcessMetrics {
  readonly registry: Registry;
  readonly eventLoop: EventLoopLag;
}

let instance: ProcessMetrics | null = null;

export function processMetrics(): ProcessMetrics {
  if (instance) return instance;
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const eventLoop = new EventLoopLag();
  registry.registerMetric({
    name: 'pulse_event_loop_lag_seconds',
    get: () => {
      const q = eventLoop.window.windowQuantiles();
      const name = 'pulse_event_loop_lag_seconds';
      return {
        name,
        help: 'Event-loop delay beyond the 10 ms sampling interval (perf_hooks.monitorEventLoopDelay), quantiles over the last 30-60 s',
        type: 'summary',
        aggregator: 'sum',
        values: [
          ...QUANTILES.map((quantile, i) => ({ labels: { quantile: String(quantile) }, value: q[i]! / 1e6 })),
          { metricName: `${name}_sum`, labels: {}, value: eventLoop.sumUs / 1e6 },
          { metricName: `${name}_count`, labels: {}, value: eventLoop.count },
        ],
      };
    },
  } as never);
  instance = { registry, eventLoop };
  return instance;
}
