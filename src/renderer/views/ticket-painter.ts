import type { Precision } from '../../shared/instruments';
import { checkTicket, type BookView, type TicketForm } from '../data/order-entry';
import { lotsToText } from '../data/order-math';
import type { Market } from '../data/market';

export interface TicketEstimateElements {
  qtyConv: HTMLElement;
  notional: HTMLElement;
  fee: HTMLElement;
  check: HTMLElement;
}

export interface TicketInputs {
  form: TicketForm;
  venue: string;
  symbol: string;
  p: Precision | null;
  warnBps: number;
  killSwitch: boolean;
}

/** How often the estimate follows the book: often enough to read, rarely enough to cost nothing. */
const EVERY_MS = 200;

export function bookViewOf(market: Market, venue: string, symbol: string): BookView | null {
  const b = market.book(venue, symbol);
  return b ? { bids: b.bids, asks: b.asks, stale: b.stale } : null;
}

const money = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : '–');

/**
 * The ticket's live lines (estimated notional and fee, the pre-check) follow the book from the
 * frame loop, a few times a second, without re-rendering the form.
 */
export class TicketEstimatePainter {
  private next = 0;
  private shownKey = '';

  constructor(
    private readonly els: TicketEstimateElements,
    private readonly market: Market,
    private readonly inputs: () => TicketInputs | null,
  ) {}

  /** Paint at the next frame (the form changed). */
  poke(): void {
    this.next = 0;
  }

  paint(now: number): void {
    if (now < this.next) return;
    this.next = now + EVERY_MS;
    const inp = this.inputs();
    if (!inp) return;
    const { form, p } = inp;
    const quote = inp.symbol.split('-')[1] ?? '';
    const base = inp.symbol.split('-')[0] ?? '';
    const c = checkTicket(form, p, bookViewOf(this.market, inp.venue, inp.symbol), { warnBps: inp.warnBps, killSwitch: inp.killSwitch });
    const conv = form.qtyMode === 'notional' && p && c.lots >= 1 ? `= ${lotsToText(c.lots, p)} ${base}` : '';
    const notional = Number.isFinite(c.notional) ? `${money(c.notional)} ${quote}` : '–';
    const bps = c.liquidity === 'maker' ? ' 1bp' : c.liquidity === 'taker' ? ' 5bp' : '';
    const fee = Number.isFinite(c.fee) ? `${c.fee < 1 ? c.fee.toFixed(4) : money(c.fee)} · ${c.liquidity}${bps}` : '–';
    const problems = [...c.errors, ...c.warnings];
    const check = problems.length ? problems.join(' · ') : 'pre-check ok';
    const level = c.errors.length ? 'error' : c.warnings.length ? 'warn' : 'ok';
    const key = `${conv}|${notional}|${fee}|${check}|${level}`;
    if (key === this.shownKey) return;
    this.shownKey = key;
    this.els.qtyConv.textContent = conv;
    this.els.notional.textContent = notional;
    this.els.fee.textContent = fee;
    this.els.check.textContent = check;
    this.els.check.dataset.level = level;
    this.els.check.title = check;
  }
}
