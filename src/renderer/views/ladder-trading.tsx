/**
 * Click-to-trade on the ladder. A click on a bid row's price buys at that price, on an ask row's
 * price sells there (limit, GTC, the ladder size). A click on a working marker cancels that
 * price's orders; dragging the marker to another row moves them there (cancel/replace). Event
 * delegation on the ladder body: the rows themselves stay painted imperatively.
 */
import type { Precision } from '../../shared/instruments';
import { instrumentPrecision } from '../data/format';
import { limitRequest } from '../data/order-entry';
import { lotsToText, notionalOf, qtyTextToLots, ticksToText } from '../data/order-math';
import type { Session } from '../data/session';
import { ladderSizeFor, settingsStore, useSettings } from '../data/settings-store';
import { uiStore, useUi } from '../data/ui-store';
import type { LadderPainter } from './ladder-painter';
import { sendOrder } from './order-actions';

/** pointer travel (px) that turns a press on a marker into a drag */
const DRAG_PX = 4;

function precisionNow(session: Session): { venue: string; symbol: string; p: Precision } | null {
  const { selection, venues } = uiStore.getState();
  if (!selection) return null;
  const p = session.market.book(selection.venue, selection.symbol)?.precision ?? instrumentPrecision(venues, selection.venue, selection.symbol);
  return p ? { venue: selection.venue, symbol: selection.symbol, p } : null;
}

function lotSizeOf(venue: string, symbol: string): string | undefined {
  return uiStore.getState().venues.find((v) => v.id === venue)?.instruments.find((i) => i.symbol === symbol)?.lotSize;
}

export function attachLadderTrading(body: HTMLElement, rows: HTMLElement[], painter: LadderPainter, session: Session): () => void {
  const rowIndexOf = (el: Element | null): number => {
    const row = el?.closest('.lrow');
    return row ? rows.indexOf(row as HTMLElement) : -1;
  };
  const store = session.tradingStore;

  const placeAt = (i: number): void => {
    const info = painter.rowInfo(i);
    const ctx = precisionNow(session);
    if (!info.side || !Number.isFinite(info.ticks) || !ctx) return;
    const size = ladderSizeFor(settingsStore.getState(), ctx.symbol, lotSizeOf(ctx.venue, ctx.symbol));
    const draft = limitRequest(ctx.venue, ctx.symbol, info.side === 'bid' ? 'buy' : 'sell', info.ticks, size, 'GTC', ctx.p);
    if ('error' in draft) {
      store.getState().notify(`ladder: ${draft.error}`);
      return;
    }
    void sendOrder(session, draft, 'ladder', notionalOf(qtyTextToLots(draft.qty, ctx.p), info.ticks, ctx.p));
  };

  const moveTo = (ids: readonly string[], i: number): void => {
    const target = painter.rowInfo(i);
    const ctx = precisionNow(session);
    if (!target.side || !Number.isFinite(target.ticks) || !ctx) return;
    const price = ticksToText(target.ticks, ctx.p);
    for (const id of ids) {
      const o = store.getState().orders.get(id);
      if (!o || o.price === price) continue;
      // the remaining quantity, exact on the lot grid (the engine would otherwise derive it from a float)
      const remaining = qtyTextToLots(o.qty, ctx.p, 'nearest') - qtyTextToLots(o.filledQty, ctx.p, 'nearest');
      if (remaining > 0) session.trading.replace(id, price, lotsToText(remaining, ctx.p));
    }
  };

  let drag: { from: number; ids: string[]; x: number; y: number; moved: boolean; over: HTMLElement | null } | null = null;

  const setOver = (row: HTMLElement | null): void => {
    if (!drag || drag.over === row) return;
    drag.over?.removeAttribute('data-drop');
    drag.over = row;
    row?.setAttribute('data-drop', '');
  };
  const endDrag = (): void => {
    if (!drag) return;
    setOver(null);
    rows[drag.from]?.removeAttribute('data-drag');
    body.classList.remove('dragging');
    drag = null;
    window.removeEventListener('pointermove', onMove);
    window.removeEventListener('pointerup', onUp);
    window.removeEventListener('keydown', onKey, true);
  };
  const onMove = (e: PointerEvent): void => {
    if (!drag) return;
    if (!drag.moved && Math.hypot(e.clientX - drag.x, e.clientY - drag.y) >= DRAG_PX) {
      drag.moved = true;
      body.classList.add('dragging');
    }
    if (!drag.moved) return;
    const i = rowIndexOf(document.elementFromPoint(e.clientX, e.clientY));
    setOver(i >= 0 && i !== drag.from && painter.rowInfo(i).side ? rows[i] : null);
  };
  const onUp = (e: PointerEvent): void => {
    if (!drag) return;
    const { from, ids, moved } = drag;
    const to = rowIndexOf(document.elementFromPoint(e.clientX, e.clientY));
    endDrag();
    if (!moved || to === from) for (const id of ids) session.trading.cancel(id);
    else if (to >= 0) moveTo(ids, to);
  };
  const onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || !drag) return;
    e.stopPropagation();
    endDrag();
  };

  const onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0 || !(e.target instanceof Element) || !e.target.closest('.lc.mine')) return;
    const i = rowIndexOf(e.target);
    const working = i >= 0 ? painter.rowInfo(i).working : undefined;
    if (!working) return;
    e.preventDefault();
    endDrag();
    drag = { from: i, ids: working.ids.slice(), x: e.clientX, y: e.clientY, moved: false, over: null };
    rows[i].setAttribute('data-drag', '');
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('keydown', onKey, true);
  };
  const onClick = (e: MouseEvent): void => {
    if (!(e.target instanceof Element) || !e.target.closest('.lc.price')) return;
    const i = rowIndexOf(e.target);
    if (i >= 0) placeAt(i);
  };

  body.addEventListener('pointerdown', onPointerDown);
  body.addEventListener('click', onClick);
  return () => {
    endDrag();
    body.removeEventListener('pointerdown', onPointerDown);
    body.removeEventListener('click', onClick);
  };
}

/** The ladder's default size (per symbol, kept in the settings), beside the book's header. */
export function LadderSize({ viewOnly }: { viewOnly: boolean }) {
  const selection = useUi((s) => s.selection);
  const venues = useUi((s) => s.venues);
  const sizes = useSettings((s) => s.ladderSizes);
  const symbol = selection?.symbol ?? '';
  const inst = venues.find((v) => v.id === selection?.venue)?.instruments.find((i) => i.symbol === symbol);
  // '' while the user clears the field; the default only when nothing was ever typed
  const value = sizes[symbol] ?? ladderSizeFor({ ladderSizes: {} }, symbol, inst?.lotSize);
  return (
    <div className="ladder-trade">
      <label className="lt-size">
        <span>Click size</span>
        <input
          className="ctl num"
          data-testid="ladder-size"
          inputMode="decimal"
          value={value}
          disabled={!symbol}
          onChange={(e) => {
            const v = e.target.value.trim();
            if (symbol && /^\d*\.?\d*$/.test(v)) settingsStore.getState().setLadderSize(symbol, v);
          }}
        />
        <span className="lt-unit">{symbol.split('-')[0]}</span>
      </label>
      <span className="grow" />
      {viewOnly ? (
        <span className="lt-note warn" data-testid="ladder-view-only">
          risk role · view only
        </span>
      ) : (
        <span className="lt-note" title="Click a bid price to buy there, an ask price to sell there (limit, GTC). Click your marker to cancel; drag it to move the order.">
          click a price to trade
        </span>
      )}
    </div>
  );
}
