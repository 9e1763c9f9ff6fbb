/**
 * Hotkeys as data: actions, their default keys, and key events normalised to one combo string
 * ("Shift+B", "Escape", "?") so a map lookup decides. Plain TS, no DOM (events and targets are
 * described by the few fields read).
 */
export const HOTKEY_ACTIONS = [
  'buyAsk',
  'sellBid',
  'joinBid',
  'joinAsk',
  'improveBid',
  'improveAsk',
  'cancelAll',
  'flatten',
  'killSwitch',
  'help',
] as const;
export type HotkeyAction = (typeof HOTKEY_ACTIONS)[number];
export type HotkeyMap = Record<HotkeyAction, string>;

export const HOTKEY_LABELS: Record<HotkeyAction, string> = {
  buyAsk: 'Buy at the best ask (ladder size, IOC)',
  sellBid: 'Sell at the best bid (ladder size, IOC)',
  joinBid: 'Join the bid: buy limit at the best bid',
  joinAsk: 'Join the ask: sell limit at the best ask',
  improveBid: 'Improve the bid by one tick (buy limit)',
  improveAsk: 'Improve the ask by one tick (sell limit)',
  cancelAll: 'Cancel all orders for the symbol',
  flatten: 'Flatten the position (market, reduce-only)',
  killSwitch: 'Kill switch (asks to confirm)',
  help: 'Show this help',
};

/** Actions that send a new order: off for the risk role. */
export const PLACING_ACTIONS: ReadonlySet<HotkeyAction> = new Set(['buyAsk', 'sellBid', 'joinBid', 'joinAsk', 'improveBid', 'improveAsk', 'flatten']);

export const DEFAULT_HOTKEYS: HotkeyMap = {
  buyAsk: 'Shift+B',
  sellBid: 'Shift+S',
  joinBid: 'B',
  joinAsk: 'S',
  improveBid: 'U',
  improveAsk: 'D',
  cancelAll: 'Escape',
  flatten: 'Shift+F',
  killSwitch: 'Shift+K',
  help: '?',
};

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'Dead', 'Unidentified']);

/**
 * "Ctrl+Alt+Shift+Meta+KEY". Letters are upper-cased and Shift is named; for other printable
 * characters Shift is part of the character already ("?" not "Shift+?"). '' for bare modifiers.
 */
export function comboOf(e: KeyLike): string {
  if (MODIFIER_KEYS.has(e.key)) return '';
  let key = e.key === ' ' ? 'Space' : e.key;
  const letter = key.length === 1 && key.toLowerCase() !== key.toUpperCase();
  if (letter) key = key.toUpperCase();
  const shift = e.shiftKey && (letter || key.length > 1);
  return `${e.ctrlKey ? 'Ctrl+' : ''}${e.altKey ? 'Alt+' : ''}${shift ? 'Shift+' : ''}${e.metaKey ? 'Meta+' : ''}${key}`;
}

export function actionFor(map: HotkeyMap, combo: string): HotkeyAction | null {
  if (!combo) return null;
  for (const a of HOTKEY_ACTIONS) if (map[a] === combo) return a;
  return null;
}

/** Binds `combo` to `action`; an action that had that combo loses it (no two actions per key). */
export function rebind(map: HotkeyMap, action: HotkeyAction, combo: string): HotkeyMap {
  const next = { ...map };
  for (const a of HOTKEY_ACTIONS) if (a !== action && next[a] === combo) next[a] = '';
  next[action] = combo;
  return next;
}

/** A stored map merged over the defaults; unknown actions and non-string keys are dropped. */
export function sanitizeHotkeys(raw: unknown): HotkeyMap {
  const out = { ...DEFAULT_HOTKEYS };
  if (typeof raw !== 'object' || raw === null) return out;
  const seen = new Set<string>();
  for (const a of HOTKEY_ACTIONS) {
    const v = (raw as Record<string, unknown>)[a];
    if (typeof v === 'string' && v.length <= 40) out[a] = v;
  }
  // a stored map with one key on two actions keeps the first
  for (const a of HOTKEY_ACTIONS) {
    if (out[a] && seen.has(out[a])) out[a] = '';
    else if (out[a]) seen.add(out[a]);
  }
  return out;
}

export interface TargetLike {
  tagName?: string;
  isContentEditable?: boolean;
  /** for <input>: its type */
  type?: string;
}

const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** True when keys typed at `t` are text (an input, a select, an editable element): hotkeys stay quiet. */
export function isTypingTarget(t: TargetLike | null | undefined): boolean {
  if (!t) return false;
  if (t.isContentEditable) return true;
  const tag = (t.tagName ?? '').toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !NON_TEXT_INPUTS.has((t.type ?? 'text').toLowerCase());
  return false;
}
