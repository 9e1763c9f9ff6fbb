import { describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEYS } from './hotkeys';
import { DEFAULT_SETTINGS, SETTINGS_KEY, createSettingsStore, ladderSizeFor, loadSettings } from './settings-store';

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(k: string): string | null {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string): void {
    this.data.set(k, v);
  }
}

describe('settings', () => {
  it('persist changes and load them back', () => {
    const storage = new MemoryStorage();
    const a = createSettingsStore(storage);
    a.getState().setLadderSize('BTC-USD', '0.05');
    a.getState().setConfirm(false, 10_000);
    a.getState().bindHotkey('flatten', 'F');
    const b = createSettingsStore(storage);
    expect(b.getState().ladderSizes).toEqual({ 'BTC-USD': '0.05' });
    expect(b.getState().confirmEnabled).toBe(false);
    expect(b.getState().confirmAbove).toBe(10_000);
    expect(b.getState().hotkeys.flatten).toBe('F');
    b.getState().resetHotkeys();
    expect(createSettingsStore(storage).getState().hotkeys).toEqual(DEFAULT_HOTKEYS);
  });

  it('fall back field by field on bad or missing storage', () => {
    const storage = new MemoryStorage();
    storage.setItem(SETTINGS_KEY, JSON.stringify({ confirmAbove: -5, warnBps: 'x', qtyMode: 'notional', ladderSizes: { 'BTC-USD': 'abc', 'ETH-USD': '0.1' } }));
    const s = loadSettings(storage);
    expect(s.confirmAbove).toBe(DEFAULT_SETTINGS.confirmAbove);
    expect(s.warnBps).toBe(DEFAULT_SETTINGS.warnBps);
    expect(s.qtyMode).toBe('notional');
    expect(s.ladderSizes).toEqual({ 'ETH-USD': '0.1' });
    storage.setItem(SETTINGS_KEY, '{not json');
    expect(loadSettings(storage)).toEqual(DEFAULT_SETTINGS);
    expect(loadSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(createSettingsStore(null).getState().confirmEnabled).toBe(true);
  });

  it('default ladder size is a thousand lots of the instrument', () => {
    expect(ladderSizeFor({ ladderSizes: {} }, 'BTC-USD', '0.00001')).toBe('0.01');
    expect(ladderSizeFor({ ladderSizes: {} }, 'SOL-USD', '0.001')).toBe('1');
    expect(ladderSizeFor({ ladderSizes: { 'SOL-USD': '2.5' } }, 'SOL-USD', '0.001')).toBe('2.5');
    expect(ladderSizeFor({ ladderSizes: {} }, 'X-Y', undefined)).toBe('');
  });
});
