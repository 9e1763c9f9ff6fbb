import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { Engine } from '../engine';
import { FileCredentialStore } from '../credentials/file-store';

const dataDir = () => mkdtempSync(join(tmpdir(), 'pulse-live-'));

describe('trading.live', () => {
  it('refuses to start live trading that cannot be: no adapter, venue not enabled, no keys, no passphrase', async () => {
    const start = (cfg: object, credentials?: () => Record<string, Record<string, string>>) =>
      Engine.start(parseConfig({ enabled: ['sim-a'], dataDir: dataDir(), ...cfg }), { credentials });
    await expect(start({ trading: { live: ['sim-a'] } }, () => ({}))).rejects.toThrow('trading.live: sim-a has no live adapter (it trades on paper only)');
    await expect(start({ trading: { live: ['kraken'] } }, () => ({}))).rejects.toThrow('trading.live names kraken, which is not among the enabled venues');
    const saved = process.env.PULSE_PASSPHRASE;
    delete process.env.PULSE_PASSPHRASE;
    await expect(start({ enabled: ['sim-a', 'oanda'], venues: { oanda: { accountId: 'x', token: 'y' } }, trading: { live: ['oanda'] } })).rejects.toThrow(/PULSE_PASSPHRASE is not set/);
    if (saved !== undefined) process.env.PULSE_PASSPHRASE = saved;
    await expect(start({ enabled: ['sim-a', 'oanda'], venues: { oanda: { accountId: 'x', token: 'y' } }, trading: { live: ['oanda'] } }, () => ({ kraken: { apiKey: 'a' } }))).rejects.toThrow('trading.live: no credentials stored for oanda; add them with `pulse credentials add oanda`');
  });

  it('reads the keys from the encrypted file with PULSE_PASSPHRASE, and a bad key stops the start with a clear error', async () => {
    const dir = dataDir();
    new FileCredentialStore(join(dir, 'credentials.enc'), 'pass-phrase-1').add('oanda', { token: 'not a valid token!', accountId: '???' });
    process.env.PULSE_PASSPHRASE = 'pass-phrase-1';
    try {
      const err = await Engine.start(parseConfig({ enabled: ['sim-a', 'oanda'], dataDir: dir, venues: { oanda: { restUrl: 'http://127.0.0.1:9', streamUrl: 'http://127.0.0.1:9' } }, trading: { live: ['oanda'] } })).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/^live trading could not start: /);
      expect((err as Error).message).not.toContain('not a valid token!');
    } finally {
      delete process.env.PULSE_PASSPHRASE;
    }
  });
});
