/**
 * The desktop settings file is an ordinary config file that the window may change in one place
 * (shm.enabled). Tried: a first write, keeping other settings, and a file that is already
 * invalid; what must hold: other settings survive, and nothing invalid is ever written.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCommandLine } from '../options';
import { readShmTap, writeShmTap } from './desktop-settings';

const dir = mkdtempSync(join(tmpdir(), 'pulse-desktop-settings-'));

describe('desktop settings', () => {
  it('creates the file on first use, and the engine started with it has the tap on', () => {
    const path = join(dir, 'first.json');
    expect(readShmTap(path)).toBe(false);
    writeShmTap(path, true);
    expect(readShmTap(path)).toBe(true);
    expect(parseCommandLine([], { configFile: path }).config.shm.enabled).toBe(true);
  });

  it('keeps every other setting, including the rest of the shm section', () => {
    const path = join(dir, 'keep.json');
    writeFileSync(path, JSON.stringify({ frameIntervalMs: 40, shm: { path: 'desk-feed', enabled: true } }));
    writeShmTap(path, false);
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ frameIntervalMs: 40, shm: { path: 'desk-feed', enabled: false } });
  });

  it('refuses to write over a file that is not a valid config, and leaves it as it was', () => {
    const path = join(dir, 'bad.json');
    const text = JSON.stringify({ frameIntervalMs: 'fast' });
    writeFileSync(path, text);
    expect(() => writeShmTap(path, true)).toThrow(/frameIntervalMs/);
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
