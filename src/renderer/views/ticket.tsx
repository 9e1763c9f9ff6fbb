import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { OrderType, TimeInForce } from '../../shared/trading';
import { executionMode } from '../data/execution-mode';
import { instrumentPrecision } from '../data/format';
import { checkTicket, ticketRequest, type TicketForm } from '../data/order-entry';
import { priceTextToTicks, snapPriceText, ticksToText } from '../data/order-math';
import { ladderSizeFor, settingsStore, useSettings } from '../data/settings-store';
import { describeOrder, orderEntryBlock, useTrading } from '../data/trading-store';
import { useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { sendOrder } from './order-actions';
import { useSession } from './session-context';
import { TicketEstimatePainter, bookViewOf, type TicketInputs } from './ticket-painter';
import '../styles/ticket.css';

type FormFields = Omit<TicketForm, 'qtyMode'>;

const TYPES: ReadonlyArray<[OrderType, string]> = [
  ['limit', 'Limit'],
  ['market', 'Market'],
  ['stop-limit', 'Stop limit'],
];
const TIFS: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK'];

/** The last result of an order sent from this terminal (ticket, ladder or hotkey): state and reason. */
function TicketResult() {
  const lastId = useTrading((s) => s.lastSubmitted);
  const order = useTrading((s) => (lastId ? s.orders.get(lastId) : undefined));
  const refused = useTrading((s) => (lastId ? s.refused.get(lastId) : undefined));
  const sent = useTrading((s) => (lastId ? s.submitted.get(lastId) : undefined));
  const notice = useTrading((s) => s.notice);
  const state = order?.state ?? (refused ? 'rejected' : sent ? 'sent' : '');
  const detail = order
    ? describeOrder(order).slice(order.state.length + 3)
    : refused
      ? refused
      : sent
        ? `${sent.side} ${sent.symbol} · waiting for the engine`
        : 'no order sent yet';
  const showNotice = notice && (!sent || notice.at >= sent.at);
  return (
    <div className="tk-result-box">
      <div className="tk-result" data-testid="ticket-result" data-state={state} data-client-order-id={lastId ?? ''} title={`${state} ${detail}`}>
        {state && <b className={`st st-${state}`}>{state}</b>} <span>{detail}</span>
      </div>
      {showNotice && (
        <div className="tk-notice" data-testid="ticket-notice" title={notice.text}>
          {notice.text}
        </div>
      )}
    </div>
  );
}

/**
 * The order ticket for the selected book. The form is React state; the estimate and pre-check
 * lines follow the book from the frame loop (TicketEstimatePainter). Submitting checks against
 * the live book, asks to confirm above the size threshold, and sends; the engine's answer shows
 * in the result line.
 */
export function Ticket() {
  const session = useSession();
  const selection = useUi((s) => s.selection);
  const venues = useUi((s) => s.venues);
  const link = useUi((s) => s.link);
  const role = useTrading((s) => s.role);
  const killSwitch = useTrading((s) => s.risk?.killSwitch.engaged ?? false);
  const qtyMode = useSettings((s) => s.qtyMode);
  const warnBps = useSettings((s) => s.warnBps);
  const confirmEnabled = useSettings((s) => s.confirmEnabled);
  const confirmAbove = useSettings((s) => s.confirmAbove);
  const venue = selection?.venue ?? '';
  const symbol = selection?.symbol ?? '';
  const [base = '', quote = ''] = symbol.split('-');
  const venueInfo = venues.find((v) => v.id === venue);
  const inst = venueInfo?.instruments.find((i) => i.symbol === symbol);
  const mode = executionMode(venueInfo);
  const p = useMemo(() => (selection ? instrumentPrecision(venues, venue, symbol) : null), [venues, venue, symbol, selection]);
  const [f, setF] = useState<FormFields>({ side: 'buy', type: 'limit', tif: 'GTC', postOnly: false, reduceOnly: false, qty: '', price: '', stopPrice: '' });
  const form: TicketForm = { ...f, qtyMode };
  const set = (patch: Partial<FormFields>) => setF((prev) => ({ ...prev, ...patch }));

  // a new instrument: its default size, no price carried over from another market
  useEffect(() => {
    setF((prev) => ({ ...prev, price: '', stopPrice: '', qty: qtyMode === 'lots' ? ladderSizeFor(settingsStore.getState(), symbol, inst?.lotSize) : prev.qty }));
  }, [venue, symbol, inst?.lotSize, qtyMode]);

  const inputs = useRef<TicketInputs | null>(null);
  inputs.current = selection ? { form, venue, symbol, p, warnBps, killSwitch } : null;
  const qtyConv = useRef<HTMLSpanElement>(null);
  const notional = useRef<HTMLSpanElement>(null);
  const fee = useRef<HTMLSpanElement>(null);
  const check = useRef<HTMLDivElement>(null);
  const painter = useRef<TicketEstimatePainter | null>(null);
  useEffect(() => {
    const pt = new TicketEstimatePainter({ qtyConv: qtyConv.current!, notional: notional.current!, fee: fee.current!, check: check.current! }, session.market, () => inputs.current);
    painter.current = pt;
    return addFrameTask('ticket', (now) => pt.paint(now));
  }, [session]);
  useEffect(() => painter.current?.poke());

  const block = orderEntryBlock(role, link);
  const market = f.type === 'market';
  const errors = p ? checkTicket(form, p, bookViewOf(session.market, venue, symbol), { warnBps }).errors : ['no instrument selected'];

  const fromBook = (which: 'bid' | 'mid' | 'ask'): void => {
    const b = session.market.book(venue, symbol);
    if (!b || !p) return;
    const bid = b.bestBid();
    const ask = b.bestAsk();
    // a mid between two ticks rounds away from crossing: down for a buy, up for a sell
    const mid = (bid + ask) / 2;
    const t = which === 'bid' ? bid : which === 'ask' ? ask : f.side === 'buy' ? Math.floor(mid) : Math.ceil(mid);
    if (Number.isFinite(t)) set({ price: ticksToText(t, p) });
  };
  const step = (field: 'price' | 'stopPrice', e: KeyboardEvent<HTMLInputElement>): void => {
    if (!p || (e.key !== 'ArrowUp' && e.key !== 'ArrowDown')) return;
    e.preventDefault();
    const b = session.market.book(venue, symbol);
    const current = priceTextToTicks(f[field], p);
    const start = Number.isFinite(current) && current > 0 ? current : f.side === 'buy' ? (b?.bestBid() ?? NaN) : (b?.bestAsk() ?? NaN);
    if (!Number.isFinite(start)) return;
    const by = (e.shiftKey ? 10 : 1) * (e.key === 'ArrowUp' ? 1 : -1);
    set({ [field]: ticksToText(Math.max(1, start + by), p) });
  };
  const snap = (field: 'price' | 'stopPrice'): void => {
    if (p && f[field].trim() !== '') set({ [field]: snapPriceText(f[field], p) || f[field] });
  };

  const submit = (e?: FormEvent): void => {
    e?.preventDefault();
    if (!p || !selection) return;
    const c = checkTicket(form, p, bookViewOf(session.market, venue, symbol), { warnBps });
    const draft = ticketRequest(form, c, venue, symbol, p);
    if (!draft) {
      session.tradingStore.getState().notify(`ticket: ${c.errors.join('; ')}`);
      return;
    }
    // the box shows what is sent: snapped onto the grid
    if (draft.price && draft.price !== f.price) set({ price: draft.price });
    void sendOrder(session, draft, 'ticket', c.notional);
  };

  const sideWord = f.side === 'buy' ? 'Buy' : 'Sell';
  const submitLabel = `${sideWord} ${qtyMode === 'lots' ? f.qty || '–' : `${f.qty || '–'} ${quote} of`} ${base}${market ? ' at market' : f.price ? ` @ ${f.price}` : ''}`;

  return (
    <section className={`panel ticket side-${f.side}`} data-testid="ticket" data-blocked={block ? 'true' : 'false'}>
      <header className="panel-head">
        <span className="panel-title">Order ticket</span>
        <span className="panel-sub">{selection ? `${venue} · ${symbol}` : '—'}</span>
        <span className="grow" />
        <span
          className={`badge badge-mode mode-${mode}`}
          data-testid="ticket-mode"
          title={
            mode === 'paper'
              ? 'Paper: the engine fills against the live book; nothing reaches the venue'
              : mode === 'live'
                ? 'Live: orders go to the venue'
                : 'The engine does not say whether this venue trades live or on paper'
          }
        >
          {mode === 'unknown' ? 'PAPER / LIVE?' : mode.toUpperCase()}
        </span>
      </header>
      <form className="tk-body" onSubmit={submit}>
        {block && (
          <div className="tk-blocked" data-testid="ticket-blocked">
            {block}
          </div>
        )}
        <fieldset className="tk-fields" disabled={!!block}>
          <div className="tk-sides" role="group" aria-label="Side">
            <button type="button" className={f.side === 'buy' ? 'tk-side buy on' : 'tk-side buy'} data-testid="ticket-side-buy" onClick={() => set({ side: 'buy' })}>
              Buy
            </button>
            <button type="button" className={f.side === 'sell' ? 'tk-side sell on' : 'tk-side sell'} data-testid="ticket-side-sell" onClick={() => set({ side: 'sell' })}>
              Sell
            </button>
          </div>
          <div className="tk-row">
            <label className="tk-field">
              <span>Type</span>
              <select className="ctl" data-testid="ticket-type" value={f.type} onChange={(e) => set({ type: e.target.value as OrderType, ...(e.target.value === 'market' ? { postOnly: false } : {}) })}>
                {TYPES.map(([v, label]) => (
                  <option key={v} value={v}>
                    {label}
                  </option>
                ))}
              </select>
            </label>
            <label className="tk-field">
              <span>TIF</span>
              <select className="ctl" data-testid="ticket-tif" value={market ? 'IOC' : f.tif} disabled={market} onChange={(e) => set({ tif: e.target.value as TimeInForce })}>
                {TIFS.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="tk-row tk-flags">
            <label className="tk-check" title="Rejected instead of taking liquidity (GTC only)">
              <input type="checkbox" data-testid="ticket-post-only" checked={f.postOnly} disabled={market} onChange={(e) => set({ postOnly: e.target.checked, ...(e.target.checked ? { tif: 'GTC' as const } : {}) })} />
              Post-only
            </label>
            <label className="tk-check" title="Only reduces the position; never opens or flips it">
              <input type="checkbox" data-testid="ticket-reduce-only" checked={f.reduceOnly} onChange={(e) => set({ reduceOnly: e.target.checked })} />
              Reduce-only
            </label>
          </div>
          <label className="tk-field wide">
            <span>{qtyMode === 'lots' ? 'Quantity' : 'Notional'}</span>
            <input className="ctl num" data-testid="ticket-qty" inputMode="decimal" autoComplete="off" value={f.qty} onChange={(e) => set({ qty: e.target.value })} />
            <button
              type="button"
              className="tk-unit"
              data-testid="ticket-qty-mode"
              title={qtyMode === 'lots' ? `Quantity in ${base}: click to enter a notional in ${quote}` : `Notional in ${quote}: click to enter a quantity in ${base}`}
              onClick={() => {
                settingsStore.getState().setQtyMode(qtyMode === 'lots' ? 'notional' : 'lots');
                set({ qty: '' });
              }}
            >
              {qtyMode === 'lots' ? base || 'qty' : quote || 'ntl'}
            </button>
          </label>
          <div className="tk-sub">
            <span ref={qtyConv} />
            {inst && <span className="tk-grid">lot {inst.lotSize}</span>}
          </div>
          {!market && (
            <label className="tk-field wide">
              <span>Limit</span>
              <input
                className="ctl num"
                data-testid="ticket-price"
                inputMode="decimal"
                autoComplete="off"
                value={f.price}
                placeholder={inst ? `tick ${inst.tickSize}` : ''}
                onChange={(e) => set({ price: e.target.value })}
                onBlur={() => snap('price')}
                onKeyDown={(e) => step('price', e)}
              />
              <span className="tk-quick">
                <button type="button" data-testid="ticket-price-bid" onClick={() => fromBook('bid')}>
                  Bid
                </button>
                <button type="button" onClick={() => fromBook('mid')}>
                  Mid
                </button>
                <button type="button" data-testid="ticket-price-ask" onClick={() => fromBook('ask')}>
                  Ask
                </button>
              </span>
            </label>
          )}
          {f.type === 'stop-limit' && (
            <label className="tk-field wide">
              <span>Stop</span>
              <input
                className="ctl num"
                data-testid="ticket-stop"
                inputMode="decimal"
                autoComplete="off"
                value={f.stopPrice}
                placeholder="triggers on a trade at or through"
                onChange={(e) => set({ stopPrice: e.target.value })}
                onBlur={() => snap('stopPrice')}
                onKeyDown={(e) => step('stopPrice', e)}
              />
            </label>
          )}
          <div className="tk-est">
            <div>
              <label>Est. notional</label>
              <span ref={notional} data-testid="ticket-notional">
                –
              </span>
            </div>
            <div>
              <label title="At the engine's default paper fees: taker 5 bps, maker 1 bp">Est. fee {quote}{mode === 'paper' ? ', paper' : ', paper rates'}</label>
              <span ref={fee} data-testid="ticket-fee">
                –
              </span>
            </div>
          </div>
          <div ref={check} className="tk-check-line" data-testid="ticket-precheck" data-level="ok" />
          <button type="submit" className={`tk-submit ${f.side}`} data-testid="ticket-submit" disabled={errors.length > 0}>
            {submitLabel}
          </button>
          <div className="tk-confirm-note">{confirmEnabled ? `confirm at ≥ ${confirmAbove.toLocaleString('en-US')} ${quote}` : 'no confirmation step'}</div>
        </fieldset>
        <TicketResult />
      </form>
    </section>
  );
}
