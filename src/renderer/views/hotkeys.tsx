import { useEffect, useState } from 'react';
import { confirmStore } from '../data/confirm-store';
import { instrumentPrecision } from '../data/format';
import { HOTKEY_ACTIONS, HOTKEY_LABELS, PLACING_ACTIONS, actionFor, comboOf, isTypingTarget, type HotkeyAction, type TargetLike } from '../data/hotkeys';
import { hotkeyIntent, limitRequest } from '../data/order-entry';
import { notionalOf, qtyTextToLots } from '../data/order-math';
import type { Session } from '../data/session';
import { ladderSizeFor, settingsStore, useSettings } from '../data/settings-store';
import { orderEntryBlock } from '../data/trading-store';
import { uiStore, useUi } from '../data/ui-store';
import { sendOrder, toggleKillSwitch } from './order-actions';
import { useSession } from './session-context';
import '../styles/overlay.css';

/** Runs one hotkey action on the selected book; anything refused says why in the ticket's notice line. */
export function runHotkey(action: HotkeyAction, session: Session): void {
  const ui = uiStore.getState();
  const trading = session.tradingStore.getState();
  if (action === 'help') {
    ui.setOverlay(ui.overlay === 'help' ? 'none' : 'help');
    return;
  }
  if (action === 'killSwitch') {
    void toggleKillSwitch(session, !(trading.risk?.killSwitch.engaged ?? false));
    return;
  }
  const sel = ui.selection;
  if (!sel) return;
  const label = HOTKEY_LABELS[action].split(':')[0].split(' (')[0];
  if (PLACING_ACTIONS.has(action)) {
    const block = orderEntryBlock(trading.role, ui.link);
    if (block) {
      trading.notify(`hotkey "${label}" not sent: ${block}`);
      return;
    }
  }
  if (action === 'cancelAll') {
    session.trading.cancelAll(sel.venue, sel.symbol);
    return;
  }
  if (action === 'flatten') {
    session.trading.flatten(sel.venue, sel.symbol);
    return;
  }
  const book = session.market.book(sel.venue, sel.symbol);
  const p = book?.precision ?? instrumentPrecision(ui.venues, sel.venue, sel.symbol);
  if (!book || !p) {
    trading.notify(`hotkey "${label}": no book yet`);
    return;
  }
  const intent = hotkeyIntent(action, { bid: book.bestBid(), ask: book.bestAsk(), stale: book.stale });
  if ('error' in intent) {
    trading.notify(`hotkey "${label}": ${intent.error}`);
    return;
  }
  const lotSize = ui.venues.find((v) => v.id === sel.venue)?.instruments.find((i) => i.symbol === sel.symbol)?.lotSize;
  const size = ladderSizeFor(settingsStore.getState(), sel.symbol, lotSize);
  const draft = limitRequest(sel.venue, sel.symbol, intent.side, intent.priceTicks, size, intent.tif, p);
  if ('error' in draft) {
    trading.notify(`hotkey "${label}": ${draft.error}`);
    return;
  }
  void sendOrder(session, draft, 'hotkey', notionalOf(qtyTextToLots(draft.qty, p), intent.priceTicks, p));
}

const keyLabel = (combo: string): string => combo.replace(/\+/g, ' + ') || '—';

/** The help overlay: every hotkey (click one to rebind it) and the order-entry settings. */
function HelpOverlay({ onClose }: { onClose(): void }) {
  const hotkeys = useSettings((s) => s.hotkeys);
  const enabled = useSettings((s) => s.hotkeysEnabled);
  const confirmEnabled = useSettings((s) => s.confirmEnabled);
  const confirmAbove = useSettings((s) => s.confirmAbove);
  const warnBps = useSettings((s) => s.warnBps);
  const [capturing, setCapturing] = useState<HotkeyAction | null>(null);

  useEffect(() => {
    if (!capturing) return;
    const onKey = (e: KeyboardEvent) => {
      const combo = comboOf(e);
      if (!combo) return;
      e.preventDefault();
      e.stopPropagation();
      if (combo !== 'Escape') settingsStore.getState().bindHotkey(capturing, combo);
      setCapturing(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [capturing]);

  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="Hotkeys and settings" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="ov-card" data-testid="hotkey-help">
        <header className="panel-head">
          <span className="panel-title">Hotkeys &amp; order entry</span>
          <span className="panel-sub">not while typing in a field · key repeat ignored</span>
          <span className="grow" />
          <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>
            ✕
          </button>
        </header>
        <div className="ov-body">
          <table className="hk">
            <tbody>
              {HOTKEY_ACTIONS.map((a) => (
                <tr key={a} data-testid="hotkey-row" data-action={a}>
                  <td>
                    <button type="button" className={capturing === a ? 'kbd capturing' : 'kbd'} title="Click, then press the new key (Esc keeps the old one)" onClick={() => setCapturing(a)}>
                      {capturing === a ? 'press a key…' : keyLabel(hotkeys[a])}
                    </button>
                  </td>
                  <td>{HOTKEY_LABELS[a]}</td>
                  <td className="hk-tag">{PLACING_ACTIONS.has(a) ? 'order' : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="ov-settings">
            <label className="tk-check">
              <input type="checkbox" checked={enabled} onChange={(e) => settingsStore.getState().setHotkeysEnabled(e.target.checked)} />
              Hotkeys on (help stays on {keyLabel(hotkeys.help)})
            </label>
            <label className="tk-check">
              <input type="checkbox" data-testid="settings-confirm" checked={confirmEnabled} onChange={(e) => settingsStore.getState().setConfirm(e.target.checked)} />
              Confirm orders with a notional of at least
              <input
                className="ctl num"
                type="number"
                min={0}
                step={1000}
                data-testid="settings-confirm-above"
                value={confirmAbove}
                onChange={(e) => Number.isFinite(e.target.valueAsNumber) && settingsStore.getState().setConfirm(confirmEnabled, e.target.valueAsNumber)}
              />
            </label>
            <label className="tk-check">
              Pre-check warns when a limit is more than
              <input
                className="ctl num"
                type="number"
                min={1}
                step={10}
                value={warnBps}
                onChange={(e) => Number.isFinite(e.target.valueAsNumber) && settingsStore.getState().setWarnBps(e.target.valueAsNumber)}
              />
              bps from the mid
            </label>
            <button type="button" className="txt-btn" onClick={() => settingsStore.getState().resetHotkeys()}>
              Reset keys to defaults
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}

/** The global hotkey listener and, on "?", the help overlay. */
export function Hotkeys() {
  const session = useSession();
  const open = useUi((s) => s.overlay === 'help');

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || confirmStore.getState().pending) return;
      const combo = comboOf(e);
      if (!combo) return;
      const s = settingsStore.getState();
      const action = actionFor(s.hotkeys, combo);
      const ui = uiStore.getState();
      // no hotkey reaches the terminal behind an open overlay (an order behind the About panel is an accident)
      if (ui.overlay !== 'none') {
        if (ui.overlay === 'help' && (combo === 'Escape' || action === 'help')) {
          e.preventDefault();
          ui.setOverlay('none');
        }
        return;
      }
      // key repeat would fire an order per repeat; typing in a field is not a command
      if (!action || e.repeat || isTypingTarget(e.target as TargetLike | null)) return;
      if (!s.hotkeysEnabled && action !== 'help') return;
      e.preventDefault();
      runHotkey(action, session);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session]);

  return open ? <HelpOverlay onClose={() => uiStore.getState().setOverlay('none')} /> : null;
}
