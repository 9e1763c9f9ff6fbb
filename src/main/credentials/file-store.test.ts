import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredentialError, FileCredentialStore } from './file-store';

const path = () => join(mkdtempSync(join(tmpdir(), 'pulse-creds-')), 'credentials.enc');

describe('encrypted credential file', () => {
  it('round-trips, lists field names only, and never writes a secret in the clear', () => {
    const p = path();
    const store = new FileCredentialStore(p, 'correct horse battery');
    store.add('kraken', { apiKey: 'KRAKEN-KEY-123', secret: 'S3cr3t/base64==' });
    store.add('oanda', { token: 'oanda-bearer-xyz', accountId: '101-001-1' });
    const again = new FileCredentialStore(p, 'correct horse battery');
    expect(again.read()).toEqual({ kraken: { apiKey: 'KRAKEN-KEY-123', secret: 'S3cr3t/base64==' }, oanda: { token: 'oanda-bearer-xyz', accountId: '101-001-1' } });
    expect(again.list()).toEqual({ kraken: ['apiKey', 'secret'], oanda: ['accountId', 'token'] });
    const onDisk = readFileSync(p, 'utf8');
    for (const secret of ['KRAKEN-KEY-123', 'S3cr3t', 'oanda-bearer-xyz']) expect(onDisk).not.toContain(secret);
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(again.remove('kraken')).toBe(true);
    expect(again.list()).toEqual({ oanda: ['accountId', 'token'] });
  });

  it('says so clearly for a wrong passphrase, an altered file, or a file of another kind', () => {
    const p = path();
    new FileCredentialStore(p, 'correct horse battery').add('kraken', { apiKey: 'k', secret: 's' });
    expect(() => new FileCredentialStore(p, 'wrong passphrase!').read()).toThrow(/wrong passphrase, or the file was altered/);
    const file = JSON.parse(readFileSync(p, 'utf8'));
    const data = Buffer.from(file.data, 'base64');
    data[0]! ^= 1; // injected: one flipped bit
    writeFileSync(p, JSON.stringify({ ...file, data: data.toString('base64') }));
    expect(() => new FileCredentialStore(p, 'correct horse battery').read()).toThrow(CredentialError);
    writeFileSync(p, '{"hello":1}');
    expect(() => new FileCredentialStore(p, 'correct horse battery').read()).toThrow(/not a Pulse credentials file/);
    expect(() => new FileCredentialStore(path(), 'short').add('x', { a: 'b' })).toThrow(/at least 8 characters/);
  });
});
