import { fmtMs } from '../data/format';
import type { Session } from '../data/session';
import type { LatencyFigures, PerfMessage } from '../../shared/protocol';

/** Cells of the engine's performance card: [data-metric, label, tooltip]. */
export const PERF_METRICS = [
  ['e2rP50', 'eng→ui p50', 'engine receive of the newest change → frame sent, last second, ms'],
  ['e2rP99', 'eng→ui p99', 'engine receive of the newest change → frame sent, last second, ms'],
  ['loopP99', 'loop p99', 'event-loop lag, last second, ms'],
  ['loopMax', 'loop max', 'event-loop lag, last second, ms'],
  ['orderP99', 'order p99', 'order path: validate → risk → journal sync → venue send, last 30-60 s, ms'],
  ['orders', 'orders', 'orders placed in the last 30-60 s'],
  ['fsyncP99', 'fsync p99', 'journal fdatasync, last 30-60 s, ms'],
  ['heap', 'heap MiB', 'engine heap used'],
  ['rss', 'rss MiB', 'engine resident memory'],
] as const;

type PerfMetric = (typeof PERF_METRICS)[number][0];

/** A message older than this (no new one arrived) is shown as unknown. */
const STALE_MS = 3000;

const ms = (f: LatencyFigures, us: number) => (f.count > 0 ? fmtMs(us / 1000) : '–');
const mib = (bytes: number) => (bytes / 1048576).toFixed(0);

export function perfCells(m: PerfMessage | null): Record<PerfMetric, string> {
  if (!m) return Object.fromEntries(PERF_METRICS.map(([name]) => [name, '–'])) as Record<PerfMetric, string>;
  return {
    e2rP50: ms(m.engineToRenderer, m.engineToRenderer.p50Us),
    e2rP99: ms(m.engineToRenderer, m.engineToRenderer.p99Us),
    loopP99: ms(m.eventLoopLag, m.eventLoopLag.p99Us),
    loopMax: ms(m.eventLoopLag, m.eventLoopLag.maxUs),
    orderP99: ms(m.orderPath, m.orderPath.p99Us),
    orders: String(m.orderPath.count),
    fsyncP99: ms(m.journalSync, m.journalSync.p99Us),
    heap: mib(m.heapUsedBytes),
    rss: mib(m.rssBytes),
  };
}

/** Fills the card's cells when a new perf message arrived, and blanks them when none came for a while. */
export class PerfPainter {
  private last: PerfMessage | null = null;
  private lastAt = 0;
  private stale = true;
  private cells: Map<string, HTMLElement> | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly session: Session,
  ) {}

  paint(now: number): void {
    const m = this.session.enginePerf();
    if (m !== this.last) {
      this.last = m;
      this.lastAt = now;
      this.stale = false;
      this.fill(perfCells(m));
    } else if (!this.stale && now - this.lastAt > STALE_MS) {
      this.stale = true;
      this.fill(perfCells(null));
    }
  }

  private fill(values: Record<PerfMetric, string>): void {
    if (!this.cells) {
      this.cells = new Map();
      for (const el of this.root.querySelectorAll<HTMLElement>('[data-metric]')) this.cells.set(el.dataset.metric!, el);
    }
    for (const [name] of PERF_METRICS) {
      const cell = this.cells.get(name);
      if (cell && cell.textContent !== values[name]) cell.textContent = values[name];
    }
    this.root.dataset.perf = this.stale || !this.last ? '' : String(this.last.ts);
  }
}
