import { useEffect, useRef } from 'react';
import { venueSymbols } from '../data/selection';
import { useSettings } from '../data/settings-store';
import { useTrading } from '../data/trading-store';
import { uiStore, useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import '../styles/header.css';

function useUtcClock() {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    let shown = -1;
    return addFrameTask('clock', () => {
      const sec = Math.floor(Date.now() / 1000);
      if (sec === shown || !ref.current) return;
      shown = sec;
      ref.current.textContent = `${new Date(sec * 1000).toISOString().slice(11, 19)} UTC`;
    });
  }, []);
  return ref;
}

interface PickerProps {
  label: string;
  testId: string;
  className: string;
  value: string;
  options: string[];
  onChange(value: string): void;
}

function Picker({ label, testId, className, value, options, onChange }: PickerProps) {
  return (
    <label className="field">
      <span>{label}</span>
      <select className={className} data-testid={testId} value={value} onChange={(e) => onChange(e.target.value)} disabled={options.length === 0}>
        {options.length === 0 && <option value="">—</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Logo, venue/symbol picker, instrument facts, engine and link state. */
export function Header() {
  const venues = useUi((s) => s.venues);
  const selection = useUi((s) => s.selection);
  const link = useUi((s) => s.link);
  const engine = useUi((s) => s.engine);
  const error = useUi((s) => s.lastError);
  const role = useTrading((s) => s.role);
  const kill = useTrading((s) => s.risk?.killSwitch);
  const helpKey = useSettings((s) => s.hotkeys.help);
  const clock = useUtcClock();
  const symbols = selection ? venueSymbols(venues, selection.venue) : [];
  const inst = venues.find((v) => v.id === selection?.venue)?.instruments.find((i) => i.symbol === selection?.symbol);

  return (
    <header className="topbar">
      <div className="logo" aria-label="Pulse">
        <svg viewBox="0 0 24 16" width="22" height="14" aria-hidden="true">
          <polyline points="0,9 6,9 8.5,2 12,15 15,6 17,9 24,9" fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />
        </svg>
        <span>Pulse</span>
      </div>
      <div className="picker">
        <Picker
          label="Venue"
          testId="venue-select"
          className="ctl"
          value={selection?.venue ?? ''}
          options={venues.map((v) => v.id)}
          onChange={(v) => uiStore.getState().selectVenue(v)}
        />
        <Picker
          label="Symbol"
          testId="symbol-select"
          className="ctl sym"
          value={selection?.symbol ?? ''}
          options={symbols}
          onChange={(s) => uiStore.getState().selectSymbol(s)}
        />
        {inst && (
          <span className="facts">
            tick <b>{inst.tickSize}</b> lot <b>{inst.lotSize}</b>
          </span>
        )}
      </div>
      <span className="grow" />
      {kill?.engaged && (
        <button type="button" className="kill-flag" data-testid="kill-flag" title={`Kill switch engaged: ${kill.reason}`} onClick={() => uiStore.getState().setSideTab('risk')}>
          KILL SWITCH ENGAGED
        </button>
      )}
      <span className={`role role-${role}`} data-testid="role" title={role === 'risk' ? 'Risk desk: sees everything, may cancel and use the kill switch; cannot place orders' : 'Trader: order entry enabled'}>
        {role}
      </span>
      {error && (
        <span className="err" title={error}>
          {error}
        </span>
      )}
      {engine && <span className="engine">{engine}</span>}
      <span ref={clock} className="clock" />
      <button type="button" className="icon-btn" data-testid="open-help" title={`Hotkeys and order-entry settings (${helpKey || 'no key'})`} aria-label="Hotkeys and settings" onClick={() => uiStore.getState().setOverlay('help')}>
        ?
      </button>
      <button type="button" className="icon-btn" data-testid="open-about" title="About Pulse: version, runtimes, ONNX provider, config file" aria-label="About Pulse" onClick={() => uiStore.getState().setOverlay('about')}>
        i
      </button>
      <span className={`link link-${link}`}>
        <i className="dot" />
        <span data-testid="link-state">{link}</span>
      </span>
    </header>
  );
}
