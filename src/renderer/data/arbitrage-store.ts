import { createStore } from 'zustand/vanilla';
import type { ArbAlert, ArbitrageMessage, ArbitrageState, ArbOpportunity, ConsolidatedMessage } from '../../shared/arbitrage';

/** Alerts kept for the panel, newest first. */
const ALERTS_KEPT = 20;

/**
 * Cross-venue state from the engine: opportunities (a few messages a second at most) and the
 * consolidated book of the symbols this client follows. Plain zustand, no React: the views bind
 * to it. Durations are counted here on the local clock from when a message arrived, so the
 * engine's and the browser's clocks never need to agree.
 */
export interface ArbitrageView {
  state: ArbitrageState | null;
  /** local ms (nowMs) when `state` arrived */
  stateReceivedMs: number;
  alerts: ArbAlert[];
  consolidated: Record<string, { book: ConsolidatedMessage; receivedMs: number }>;
  apply(msg: ArbitrageMessage | ConsolidatedMessage): void;
}

export type ArbitrageStore = ReturnType<typeof createArbitrageStore>;

export function createArbitrageStore(nowMs: () => number = () => performance.now()) {
  return createStore<ArbitrageView>()((set, get) => ({
    state: null,
    stateReceivedMs: NaN,
    alerts: [],
    consolidated: {},
    apply: (msg) => {
      const now = nowMs();
      if (msg.type === 'consolidated') {
        set({ consolidated: { ...get().consolidated, [msg.symbol]: { book: msg, receivedMs: now } } });
        return;
      }
      const { type: _type, alerts, ...state } = msg;
      const kept = alerts.length ? [...alerts.slice().reverse(), ...get().alerts].slice(0, ALERTS_KEPT) : get().alerts;
      set({ state, stateReceivedMs: now, alerts: kept });
    },
  }));
}

/** How long `o` has lasted as of the local `nowMs`: frozen once it ended, still counting while live. */
export function durationNow(o: ArbOpportunity, receivedMs: number, nowMs: number): number {
  if (o.endedAt !== null) return o.durationMs;
  return o.durationMs + Math.max(0, nowMs - receivedMs);
}

/** 850 → "850ms", 12_300 → "12.3s", 125_000 → "2m05s", 4_000_000 → "1h06m". */
export function fmtDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

/** Quote-currency profit: cents under 1,000, whole units above. */
export function fmtProfit(v: number): string {
  if (!Number.isFinite(v)) return '–';
  return Math.abs(v) < 1000 ? v.toFixed(2) : Math.round(v).toLocaleString('en-US');
}

export function fmtBps(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : '–';
}
