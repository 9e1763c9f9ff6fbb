import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config';
import { parseCommandLine } from './options';

const dir = mkdtempSync(join(tmpdir(), 'pulse-options-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('command line and --config', () => {
  it('defaults to the desktop command on the three simulated venues, bound to loopback', () => {
    const { command, config } = parseCommandLine([]);
    expect(command).toBe('desktop');
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8600, enabled: ['sim-a', 'sim-b', 'sim-c'], frameIntervalMs: 16 });
  });

  it('takes serve options, and command-line values win over the config file', () => {
    const cfg = file('ok.json', JSON.stringify({ port: 9000, frameIntervalMs: 33, simulator: { seed: 7 } }));
    const { command, config } = parseCommandLine(['serve', '--config', cfg, '--venues', 'sim-a, sim-c', '--symbols', 'BTC-USD', '--port', '0', '--rate', '5000']);
    expect(command).toBe('serve');
    expect(config).toMatchObject({ port: 0, frameIntervalMs: 33, enabled: ['sim-a', 'sim-c'], symbols: ['BTC-USD'], simulator: { seed: 7, updatesPerSecond: 5000 } });
  });

  it('reports the config file it read: --config first, else the caller\'s default file when it exists', () => {
    expect(parseCommandLine([]).configPath).toBeNull();
    const desktop = file('desktop.json', JSON.stringify({ frameIntervalMs: 40 }));
    const viaDefault = parseCommandLine([], { configFile: desktop });
    expect(viaDefault.configPath).toBe(desktop);
    expect(viaDefault.config.frameIntervalMs).toBe(40);
    // a default that does not exist yet (a first start) is not an error: defaults apply
    expect(parseCommandLine([], { configFile: join(dir, 'absent.json') }).configPath).toBeNull();
    const explicit = file('explicit.json', JSON.stringify({ frameIntervalMs: 20 }));
    const both = parseCommandLine(['--config', explicit], { configFile: desktop });
    expect(both.configPath).toBe(explicit);
    expect(both.config.frameIntervalMs).toBe(20);
  });

  it('names the bad field of an invalid config file', () => {
    const cfg = file('bad.json', JSON.stringify({ port: 'eighty', simulator: { updatesPerSecond: -1 }, colour: 'red' }));
    const err = (() => {
      try {
        parseCommandLine(['serve', '--config', cfg]);
      } catch (e) {
        return e as Error;
      }
      throw new Error('expected an error');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(cfg);
    expect(err.message).toMatch(/^ {2}port: /m);
    expect(err.message).toMatch(/^ {2}simulator\.updatesPerSecond: /m);
    expect(err.message).toMatch(/colour/);
  });

  it('explains unreadable or non-JSON config files, unknown options and commands', () => {
    expect(() => parseCommandLine(['--config', join(dir, 'missing.json')])).toThrow(/cannot read config file .*ENOENT/);
    expect(() => parseCommandLine(['--config', file('broken.json', '{"port": ')])).toThrow(/is not valid JSON/);
    expect(() => parseCommandLine(['--config', file('array.json', '[]')])).toThrow(/must hold a JSON object/);
    expect(() => parseCommandLine(['--bogus'])).toThrow(/Unknown option '--bogus'/);
    expect(() => parseCommandLine(['fly'])).toThrow(/unknown command "fly"/);
    expect(() => parseCommandLine(['--port', 'x'])).toThrow(/--port must be a number/);
    expect(() => parseCommandLine(['--symbols', 'btcusd'])).toThrow(/symbols\.0: symbols are BASE-QUOTE/);
  });
});
