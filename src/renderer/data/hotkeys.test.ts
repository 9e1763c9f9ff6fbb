import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEYS, HOTKEY_ACTIONS, actionFor, comboOf, isTypingTarget, rebind, sanitizeHotkeys } from './hotkeys';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; altKey: boolean; shiftKey: boolean; metaKey: boolean }> = {}) => ({
  key: k, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods,
});

describe('hotkeys', () => {
  it('normalises key events to combos', () => {
    expect(comboOf(key('b'))).toBe('B');
    expect(comboOf(key('B', { shiftKey: true }))).toBe('Shift+B');
    expect(comboOf(key('?', { shiftKey: true }))).toBe('?');
    expect(comboOf(key('Escape'))).toBe('Escape');
    expect(comboOf(key('ArrowUp', { shiftKey: true }))).toBe('Shift+ArrowUp');
    expect(comboOf(key('k', { ctrlKey: true, altKey: true }))).toBe('Ctrl+Alt+K');
    expect(comboOf(key(' '))).toBe('Space');
    expect(comboOf(key('Shift', { shiftKey: true }))).toBe('');
  });

  it('maps the defaults to one action each', () => {
    const combos = HOTKEY_ACTIONS.map((a) => DEFAULT_HOTKEYS[a]);
    expect(new Set(combos).size).toBe(combos.length);
    expect(actionFor(DEFAULT_HOTKEYS, comboOf(key('B', { shiftKey: true })))).toBe('buyAsk');
    expect(actionFor(DEFAULT_HOTKEYS, comboOf(key('b')))).toBe('joinBid');
    expect(actionFor(DEFAULT_HOTKEYS, comboOf(key('?', { shiftKey: true })))).toBe('help');
    expect(actionFor(DEFAULT_HOTKEYS, comboOf(key('Escape')))).toBe('cancelAll');
    expect(actionFor(DEFAULT_HOTKEYS, 'Z')).toBeNull();
    expect(actionFor(DEFAULT_HOTKEYS, '')).toBeNull();
  });

  it('rebinding a key takes it from the action that had it', () => {
    const m = rebind(DEFAULT_HOTKEYS, 'flatten', 'B');
    expect(m.flatten).toBe('B');
    expect(m.joinBid).toBe('');
    expect(actionFor(m, 'B')).toBe('flatten');
  });

  it('sanitises a stored map: defaults for what is missing, no key on two actions', () => {
    const m = sanitizeHotkeys({ joinBid: 'J', joinAsk: 'J', nonsense: 'X', flatten: 7 });
    expect(m.joinBid).toBe('J');
    expect(m.joinAsk).toBe('');
    expect(m.flatten).toBe(DEFAULT_HOTKEYS.flatten);
    expect(sanitizeHotkeys('garbage')).toEqual(DEFAULT_HOTKEYS);
  });

  it('stays quiet while the user types', () => {
    expect(isTypingTarget({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(isTypingTarget({ tagName: 'input' })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' })).toBe(true);
    expect(isTypingTarget({ tagName: 'TEXTAREA' })).toBe(true);
    expect(isTypingTarget({ tagName: 'SELECT' })).toBe(true);
    expect(isTypingTarget({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BUTTON' })).toBe(false);
    expect(isTypingTarget({ tagName: 'BODY' })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});
