/**
 * Metrics read at scrape time. The engine already counts what matters (collector counters, ring
 * headers, publisher and desk state), so most metrics are views computed when Prometheus asks,
 * not values pushed on the hot path. prom-client's own classes hold their values; these objects
 * implement the registry's `get()` contract instead and are registered as they are.
 */
import type { Metric, Registry } from 'prom-client';
import { QUANTILES, type LatencyStat } from './latency';

export type Labels = Record<string, string>;
export type Sample = { labels?: Labels; value: number };

interface ScrapeMetric {
  readonly name: string;
  get(): { name: string; help: string; type: string; aggregator: 'sum'; values: Array<{ metricName?: string; labels?: Labels; value: number }> };
}

function register(registry: Registry, metric: ScrapeMetric): void {
  registry.registerMetric(metric as unknown as Metric);
}

/** A counter or gauge whose samples come from `collect` at every scrape. */
export function viewMetric(registry: Registry, type: 'counter' | 'gauge', name: string, help: string, collect: () => Iterable<Sample>): void {
  register(registry, {
    name,
    get: () => ({ name, help, type, aggregator: 'sum', values: [...collect()] }),
  });
}

/**
 * A Prometheus summary backed by HDR histograms: `{quantile="0.5|0.95|0.99|0.999"}` over the
 * last 30–60 s, with `_sum` and `_count` since start. Values in seconds.
 */
export function latencySummary(registry: Registry, name: string, help: string, stats: () => Iterable<[Labels, LatencyStat]>): void {
  register(registry, {
    name,
    get: () => {
      const values: Array<{ metricName?: string; labels?: Labels; value: number }> = [];
      for (const [labels, stat] of stats()) {
        const q = stat.windowQuantiles();
        QUANTILES.forEach((quantile, i) => values.push({ labels: { ...labels, quantile: String(quantile) }, value: q[i]! / 1e6 }));
        values.push({ metricName: `${name}_sum`, labels, value: stat.sumUs / 1e6 });
        values.push({ metricName: `${name}_count`, labels, value: stat.count });
      }
      return { name, help, type: 'summary', aggregator: 'sum', values };
    },
  });
}
