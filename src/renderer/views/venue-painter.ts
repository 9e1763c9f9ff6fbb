import { emptyFields } from '../data/venue-board';
import { fmtCount, fmtMs } from '../data/format';
import type { Market } from '../data/market';
import type { Session } from '../data/session';
import { perf, recentPercentile } from './frame-loop';

/** Metric cells of one venue card, keyed by data-metric. */
export const VENUE_METRICS = [
  ['msgsPerSec', 'msg/s'],
  ['updates', 'updates'],
  ['trades', 'trades'],
  ['gaps', 'gaps'],
  ['resyncs', 'resyncs'],
  ['overflows', 'overflows'],
  ['reconnects', 'reconn'],
  ['checksumFailures', 'crc fail'],
  ['badMessages', 'bad msg'],
  ['latencyP50Us', 'p50 ms'],
  ['latencyP99Us', 'p99 ms'],
] as const;

export const CLIENT_METRICS = [
  ['fps', 'fps'],
  ['work', 'paint p99'],
  ['rtt', 'rtt ms'],
  ['age', 'frame age'],
  ['rate', 'frames/s'],
  ['kbps', 'KiB/s'],
  ['gaps', 'gaps'],
  ['snaps', 'snap req'],
  ['bad', 'bad frames'],
] as const;

/** Updates the venue cards when a status frame arrived, and the client card twice a second. */
export class VenuePainter {
  private version = -1;
  private cardsKey = '';
  private nextClient = 0;
  private lastFrames = 0;
  private lastBytes = 0;
  private lastAt = 0;
  private readonly cells = new WeakMap<HTMLElement, Map<string, HTMLElement>>();

  constructor(
    private readonly root: HTMLElement,
    private readonly session: Session,
  ) {}

  paint(now: number): void {
    const market = this.session.market;
    const tick = now >= this.nextClient;
    if (market.venues.version === this.version && !tick) return;
    const cards = this.root.querySelectorAll<HTMLElement>('[data-venue]');
    let key = '';
    for (const c of cards) key += `${c.dataset.venue},`;
    if (market.venues.version !== this.version || key !== this.cardsKey) {
      this.version = market.venues.version;
      this.cardsKey = key;
      for (const card of cards) this.paintVenue(card, market);
    }
    if (tick) {
      this.nextClient = now + 500;
      this.paintClient(now, market);
    }
  }

  private paintVenue(card: HTMLElement, market: Market): void {
    const e = market.venues.entries.get(card.dataset.venue ?? '');
    const state = e ? e.stateName : 'no status';
    const f = e ? e.fields : emptyFields();
    if (card.dataset.state !== state) {
      card.dataset.state = state;
      card.querySelector('.vstate')!.textContent = state;
    }
    const cells = this.metricCells(card);
    for (const [name] of VENUE_METRICS) {
      const cell = cells.get(name);
      if (!cell) continue;
      const v = f[name];
      const text = !e ? '–' : name.startsWith('latency') ? fmtMs(v / 1000) : fmtCount(v);
      if (cell.textContent !== text) cell.textContent = text;
      if (name === 'gaps' || name === 'overflows' || name === 'resyncs') cell.classList.toggle('warn', v > 0);
    }
  }

  private paintClient(now: number, market: Market): void {
    const card = this.root.querySelector<HTMLElement>('[data-client]');
    if (!card) return;
    const s = market.stats;
    const dt = (now - this.lastAt) / 1000;
    const rate = this.lastAt > 0 && dt > 0 ? (s.frames - this.lastFrames) / dt : NaN;
    const kbps = this.lastAt > 0 && dt > 0 ? (s.bytes - this.lastBytes) / 1024 / dt : NaN;
    this.lastAt = now;
    this.lastFrames = s.frames;
    this.lastBytes = s.bytes;
    const interval = recentPercentile(perf.frameIntervalsMs, 0.5);
    const values: Record<(typeof CLIENT_METRICS)[number][0], string> = {
      fps: Number.isFinite(interval) && interval > 0 ? String(Math.round(1000 / interval)) : '–',
      work: fmtMs(recentPercentile(perf.workMs, 0.99)),
      rtt: fmtMs(this.session.rttMs()),
      age: fmtMs(s.ageMs),
      rate: Number.isFinite(rate) ? fmtCount(rate) : '–',
      kbps: Number.isFinite(kbps) ? kbps.toFixed(1) : '–',
      gaps: fmtCount(s.gaps),
      snaps: fmtCount(s.snapshotRequests),
      bad: fmtCount(s.badFrames),
    };
    const cells = this.metricCells(card);
    for (const [name] of CLIENT_METRICS) {
      const cell = cells.get(name);
      if (cell && cell.textContent !== values[name]) cell.textContent = values[name];
    }
    cells.get('bad')?.classList.toggle('warn', s.badFrames > 0);
  }

  private metricCells(card: HTMLElement): Map<string, HTMLElement> {
    let map = this.cells.get(card);
    if (!map) {
      map = new Map();
      for (const el of card.querySelectorAll<HTMLElement>('[data-metric]')) map.set(el.dataset.metric!, el);
      this.cells.set(card, map);
    }
    return map;
  }
}
