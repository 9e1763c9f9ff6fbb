/**
 * The one way the views send a new order: the confirmation step for large orders (settings),
 * then the trading client. Also the kill switch's confirm.
 */
import { confirmStore } from '../data/confirm-store';
import { needsConfirm } from '../data/order-entry';
import { settingsStore } from '../data/settings-store';
import type { Session } from '../data/session';
import type { OrderDraft } from '../data/trading-client';
import type { OrderOrigin } from '../data/trading-store';

const money = (n: number): string => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 }) : 'unknown');

/** Sends `draft` (asking first when its notional is over the threshold); the new id, or null. */
export async function sendOrder(session: Session, draft: OrderDraft, origin: OrderOrigin, notional: number): Promise<string | null> {
  const s = settingsStore.getState();
  if (needsConfirm(s, notional)) {
    const quote = draft.symbol.split('-')[1] ?? '';
    const answer = await confirmStore.getState().ask({
      title: `${draft.side === 'buy' ? 'Buy' : 'Sell'} ${draft.qty} ${draft.symbol}?`,
      lines: [
        `${draft.type}${draft.price ? ` @ ${draft.price}` : ''}${draft.stopPrice ? `, stop ${draft.stopPrice}` : ''} · ${draft.tif}${draft.postOnly ? ' · post-only' : ''}${draft.reduceOnly ? ' · reduce-only' : ''} on ${draft.venue}`,
        `Notional ≈ ${money(notional)} ${quote} — at or above your confirmation threshold of ${money(s.confirmAbove)}.`,
      ],
      okLabel: `${draft.side === 'buy' ? 'Buy' : 'Sell'} ${draft.qty}`,
      tone: draft.side,
    });
    if (!answer.ok) {
      session.tradingStore.getState().notify('order not sent: cancelled at the confirmation');
      return null;
    }
  }
  return session.trading.place(draft, origin);
}

/** Engaging asks for a confirmation and a reason; releasing asks too (it re-opens trading). */
export async function toggleKillSwitch(session: Session, engage: boolean): Promise<void> {
  const answer = await confirmStore.getState().ask(
    engage
      ? {
          title: 'Engage the kill switch?',
          lines: ['Every working order is cancelled and the engine rejects all new orders until the switch is released.'],
          okLabel: 'Engage kill switch',
          tone: 'danger',
          input: { label: 'Reason', placeholder: 'why (journaled, shown to everyone)' },
        }
      : { title: 'Release the kill switch?', lines: ['New orders will be accepted again.'], okLabel: 'Release', tone: 'neutral' },
  );
  if (answer.ok) session.trading.killSwitch(engage, answer.input.trim() || (engage ? 'engaged from the terminal' : ''));
}
