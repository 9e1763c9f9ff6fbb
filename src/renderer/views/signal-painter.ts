import type { LinkState } from '../../shared/bridge';
import { SIGNAL_CLASSES } from '../../shared/signals';
import { argmaxIndex, DEFAULT_MARK_RULE } from '../data/signal-marks';
import { describeInference, fmtAge, usToMs } from '../data/signal-status';
import type { SignalStore } from '../data/signal-store';

/** A signal older than this is greyed: the model, the feed or the link has gone quiet. */
export const SIGNAL_STALE_MS = 5000;
/** Probabilities and ages are for reading, not for watching flicker: ~8 repaints a second. */
const PAINT_EVERY_MS = 125;

interface RowCells {
  bars: HTMLElement[];
  call: HTMLElement;
  age: HTMLElement;
}

interface DetailCells {
  fills: HTMLElement[];
  pcts: HTMLElement[];
  call: HTMLElement;
  age: HTMLElement;
  latency: HTMLElement;
}

/**
 * Fills the signal panel in place: provider badge and runtime figures when the status changed,
 * rows and the selected symbol's detail at most every PAINT_EVERY_MS while visible. It reads the
 * store and writes the DOM; it never sends anything.
 */
export class SignalPainter {
  private statusKey = '';
  private rowsKey = '';
  private nextPaint = 0;
  private wasVisible = false;
  private readonly rowCells = new WeakMap<HTMLElement, RowCells>();
  private detailCells: DetailCells | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly store: SignalStore,
    private readonly link: () => LinkState,
    private readonly visible: () => boolean,
  ) {}

  paint(now: number): void {
    const visible = this.visible();
    const shown = visible && !this.wasVisible;
    this.wasVisible = visible;
    if (!visible) return;
    const link = this.link();
    const statusKey = `${this.store.statusVersion}|${link}`;
    if (statusKey !== this.statusKey || shown) {
      this.statusKey = statusKey;
      this.paintStatus(link);
    }
    if (!shown && now < this.nextPaint) return;
    const rows = this.root.querySelectorAll<HTMLElement>('[data-testid="signal-row"]');
    const detail = this.root.querySelector<HTMLElement>('[data-testid="signal-detail"]');
    let rowsKey = detail?.dataset.symbol ?? '';
    for (const r of rows) rowsKey += `,${r.dataset.symbol}`;
    // ages move with time, so repaint on the timer even without new signals
    this.nextPaint = now + PAINT_EVERY_MS;
    if (rowsKey !== this.rowsKey) {
      this.rowsKey = rowsKey;
      this.detailCells = null;
    }
    const venue = this.root.dataset.venue ?? '';
    for (const row of rows) this.paintRow(row, venue);
    if (detail) this.paintDetail(detail, venue);
  }

  private paintStatus(link: LinkState): void {
    const v = describeInference(this.store.status, link);
    const root = this.root;
    root.dataset.state = v.state;
    const badge = root.querySelector<HTMLElement>('[data-testid="signal-provider"]')!;
    setText(badge, v.badge);
    badge.title = v.tooltip;
    badge.dataset.provider = this.store.status?.provider ?? '';
    badge.dataset.fallback = String(v.fellBack);
    badge.classList.toggle('fallback', v.fellBack);
    badge.classList.toggle('skipped', !v.fellBack && v.skippedAny);
    const notice = root.querySelector<HTMLElement>('.sg-notice')!;
    setText(notice, v.notice);
    notice.hidden = v.notice === '';
    notice.dataset.level = v.state === 'error' || v.state === 'off' ? 'bad' : v.fellBack ? 'warn' : 'info';
    for (const [name, text] of [['horizon', v.horizon], ['p50', v.p50], ['p99', v.p99], ['runs', v.runs]] as const) {
      const cell = root.querySelector<HTMLElement>(`[data-f="${name}"]`);
      if (cell) setText(cell, text);
    }
  }

  private paintRow(row: HTMLElement, venue: string): void {
    let cells = this.rowCells.get(row);
    if (!cells) {
      cells = {
        bars: [...row.querySelectorAll<HTMLElement>('.sg-stack > i')],
        call: row.querySelector<HTMLElement>('.sg-call')!,
        age: row.querySelector<HTMLElement>('.sg-age')!,
      };
      this.rowCells.set(row, cells);
    }
    const sym = this.store.of(venue, row.dataset.symbol ?? '');
    const latest = sym?.latest ?? null;
    const age = this.store.ageMs(venue, row.dataset.symbol ?? '');
    // a data attribute, not a class: React owns className and rewrites it when the selection moves
    setFlag(row, 'stale', !(age <= SIGNAL_STALE_MS));
    setText(cells.age, fmtAge(age));
    if (!latest) {
      if (row.dataset.class !== '') row.dataset.class = '';
      for (const b of cells.bars) b.style.width = '0%';
      setText(cells.call, '–');
      return;
    }
    const k = argmaxIndex(latest.probs);
    const cls = SIGNAL_CLASSES[k];
    if (row.dataset.class !== cls) row.dataset.class = cls;
    row.dataset.call = sym?.call ?? '';
    for (let i = 0; i < 3; i++) cells.bars[i].style.width = `${(latest.probs[i] * 100).toFixed(1)}%`;
    setText(cells.call, `${cls.toUpperCase()} ${pct(latest.probs[k])}`);
    cells.call.classList.toggle('strong', k !== 1 && latest.probs[k] >= DEFAULT_MARK_RULE.enter);
    row.title = SIGNAL_CLASSES.map((c, i) => `${c} ${pct(latest.probs[i])}`).join(' · ');
  }

  private paintDetail(detail: HTMLElement, venue: string): void {
    let cells = this.detailCells;
    if (!cells) {
      cells = {
        fills: [...detail.querySelectorAll<HTMLElement>('.sg-fill')],
        pcts: [...detail.querySelectorAll<HTMLElement>('.sg-pct')],
        call: detail.querySelector<HTMLElement>('.sg-bigcall')!,
        age: detail.querySelector<HTMLElement>('[data-f="age"]')!,
        latency: detail.querySelector<HTMLElement>('[data-f="latency"]')!,
      };
      this.detailCells = cells;
    }
    const symbol = detail.dataset.symbol ?? '';
    const latest = this.store.of(venue, symbol)?.latest ?? null;
    const age = this.store.ageMs(venue, symbol);
    setFlag(detail, 'stale', !(age <= SIGNAL_STALE_MS));
    setText(cells.age, Number.isFinite(age) ? `${fmtAge(age)} ago` : '');
    if (!latest) {
      detail.dataset.class = '';
      for (const f of cells.fills) f.style.transform = 'scaleX(0)';
      for (const p of cells.pcts) setText(p, '–');
      setText(cells.call, 'no signal yet');
      setText(cells.latency, '–');
      return;
    }
    const k = argmaxIndex(latest.probs);
    detail.dataset.class = SIGNAL_CLASSES[k];
    for (let i = 0; i < 3; i++) {
      cells.fills[i].style.transform = `scaleX(${latest.probs[i]})`;
      setText(cells.pcts[i], pct(latest.probs[i]));
    }
    setText(cells.call, `${SIGNAL_CLASSES[k].toUpperCase()} ${pct(latest.probs[k])}`);
    cells.call.classList.toggle('strong', k !== 1 && latest.probs[k] >= DEFAULT_MARK_RULE.enter);
    setText(cells.latency, `${usToMs(latest.latencyUs)} ms · ${latest.provider}`);
  }
}

const pct = (p: number): string => `${Math.round(p * 100)}%`;

function setFlag(el: HTMLElement, name: string, on: boolean): void {
  const v = on ? 'true' : 'false';
  if (el.dataset[name] !== v) el.dataset[name] = v;
}

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
