import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { DEFAULT_HOTKEYS, rebind, sanitizeHotkeys, type HotkeyAction, type HotkeyMap } from './hotkeys';
import type { QtyMode } from './order-entry';

/** Trader preferences, kept in localStorage. Never anything the engine must trust. */
export interface Settings {
  /** ladder clicks and hotkeys: size per symbol in base units (missing: DEFAULT_LOTS lots) */
  ladderSizes: Record<string, string>;
  /** ask before sending an order whose notional is at least confirmAbove */
  confirmEnabled: boolean;
  confirmAbove: number;
  /** the ticket's pre-check warns when a limit is further than this from the mid */
  warnBps: number;
  qtyMode: QtyMode;
  hotkeysEnabled: boolean;
  hotkeys: HotkeyMap;
}

export interface SettingsActions {
  setLadderSize(symbol: string, size: string): void;
  setConfirm(enabled: boolean, above?: number): void;
  setWarnBps(bps: number): void;
  setQtyMode(mode: QtyMode): void;
  setHotkeysEnabled(on: boolean): void;
  bindHotkey(action: HotkeyAction, combo: string): void;
  resetHotkeys(): void;
}

export type SettingsState = Settings & SettingsActions;
export type SettingsStore = ReturnType<typeof createSettingsStore>;
export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem'>;

export const SETTINGS_KEY = 'pulse.settings.v1';
/** default ladder size in lots: 0.01 BTC at a 0.00001 lot, 1 SOL at 0.001 */
export const DEFAULT_LOTS = 1000;

export const DEFAULT_SETTINGS: Settings = {
  ladderSizes: {},
  confirmEnabled: true,
  confirmAbove: 50_000,
  warnBps: 200,
  qtyMode: 'lots',
  hotkeysEnabled: true,
  hotkeys: DEFAULT_HOTKEYS,
};

const num = (v: unknown, fallback: number, min: number): number => (typeof v === 'number' && Number.isFinite(v) && v >= min ? v : fallback);

/** Stored JSON merged over the defaults, field by field; anything malformed falls back. */
export function loadSettings(storage: KeyValueStorage | null): Settings {
  let raw: Record<string, unknown> = {};
  try {
    const text = storage?.getItem(SETTINGS_KEY);
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) raw = parsed as Record<string, unknown>;
  } catch {
    // unreadable settings: start from the defaults
  }
  const sizes: Record<string, string> = {};
  if (typeof raw.ladderSizes === 'object' && raw.ladderSizes !== null) {
    for (const [k, v] of Object.entries(raw.ladderSizes as Record<string, unknown>)) if (typeof v === 'string' && /^\d*\.?\d*$/.test(v)) sizes[k] = v;
  }
  return {
    ladderSizes: sizes,
    confirmEnabled: typeof raw.confirmEnabled === 'boolean' ? raw.confirmEnabled : DEFAULT_SETTINGS.confirmEnabled,
    confirmAbove: num(raw.confirmAbove, DEFAULT_SETTINGS.confirmAbove, 0),
    warnBps: num(raw.warnBps, DEFAULT_SETTINGS.warnBps, 1),
    qtyMode: raw.qtyMode === 'notional' ? 'notional' : 'lots',
    hotkeysEnabled: typeof raw.hotkeysEnabled === 'boolean' ? raw.hotkeysEnabled : DEFAULT_SETTINGS.hotkeysEnabled,
    hotkeys: sanitizeHotkeys(raw.hotkeys),
  };
}

function defaultStorage(): KeyValueStorage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function createSettingsStore(storage: KeyValueStorage | null = defaultStorage()) {
  const store = createStore<SettingsState>()((set, get) => ({
    ...loadSettings(storage),
    setLadderSize: (symbol, size) => set({ ladderSizes: { ...get().ladderSizes, [symbol]: size } }),
    setConfirm: (confirmEnabled, above) => set(above === undefined ? { confirmEnabled } : { confirmEnabled, confirmAbove: Math.max(0, above) }),
    setWarnBps: (warnBps) => set({ warnBps: Math.max(1, warnBps) }),
    setQtyMode: (qtyMode) => set({ qtyMode }),
    setHotkeysEnabled: (hotkeysEnabled) => set({ hotkeysEnabled }),
    bindHotkey: (action, combo) => set({ hotkeys: rebind(get().hotkeys, action, combo) }),
    resetHotkeys: () => set({ hotkeys: DEFAULT_HOTKEYS }),
  }));
  store.subscribe((s) => {
    const { ladderSizes, confirmEnabled, confirmAbove, warnBps, qtyMode, hotkeysEnabled, hotkeys } = s;
    try {
      storage?.setItem(SETTINGS_KEY, JSON.stringify({ ladderSizes, confirmEnabled, confirmAbove, warnBps, qtyMode, hotkeysEnabled, hotkeys }));
    } catch {
      // storage full or denied: settings last for this session only
    }
  });
  return store;
}

/** The ladder/hotkey size for a symbol: the stored one, else DEFAULT_LOTS lots of its lot size. */
export function ladderSizeFor(s: Pick<Settings, 'ladderSizes'>, symbol: string, lotSize: string | undefined): string {
  const stored = s.ladderSizes[symbol];
  if (stored) return stored;
  if (!lotSize) return '';
  const n = Number(lotSize) * DEFAULT_LOTS;
  const decimals = Math.max(0, (lotSize.split('.')[1]?.length ?? 0) - 3);
  return n.toFixed(decimals);
}

export const settingsStore = createSettingsStore();

export function useSettings<T>(selector: (s: SettingsState) => T): T {
  return useStore(settingsStore, selector);
}
