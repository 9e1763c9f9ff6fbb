/**
 * What Kraken's error strings mean to the adapter, and where the private stream is. Injected:
 * nothing; these are the tables the fault tests rely on, checked one by one.
 */
import { describe, expect, it } from 'vitest';
import type { LiveAdapterContext } from '../../../trading/live';
import { privateWsUrl } from './execution';
import { classifyError } from './messages';

describe('Kraken errors', () => {
  it.each([
    ['EAPI:Invalid nonce', 'nonce'],
    ['EAPI:Rate limit exceeded', 'rate-limited'],
    ['EOrder:Rate limit exceeded', 'rate-limited'],
    ['EService: Throttled: 1700000000', 'rate-limited'],
    ['EGeneral:Temporary lockout', 'lockout'],
    ['EAPI:Invalid key', 'auth'],
    ['EAPI:Invalid signature', 'auth'],
    ['EGeneral:Permission denied', 'auth'],
    ['EService:Unavailable', 'unavailable'],
    ['EService:Busy', 'unavailable'],
    ['EService:Deadline elapsed', 'unavailable'],
    ['EGeneral:Internal error', 'unavailable'],
    ['EOrder:Unknown order', 'not-found'],
    ['EOrder:Invalid order', 'not-found'],
    ['EGeneral:Invalid arguments:cl_ord_id already in use', 'duplicate'],
    ['EOrder:Insufficient funds', 'rejected'],
    ['EOrder:Order minimum not met', 'rejected'],
    ['EService:Market in cancel_only mode', 'rejected'],
    ['EGeneral:Invalid arguments:volume', 'rejected'],
    ['EQuery:Unknown asset pair', 'rejected'],
  ])('%s → %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});

describe('the private WebSocket', () => {
  const ctx = (settings: Record<string, unknown>) => ({ settings }) as unknown as LiveAdapterContext;
  it('is ws-auth beside Kraken\'s public hosts, and the configured URL anywhere else', () => {
    expect(privateWsUrl(ctx({ wsUrl: 'wss://ws.kraken.com/v2' }))).toBe('wss://ws-auth.kraken.com/v2');
    expect(privateWsUrl(ctx({ wsUrl: 'wss://beta-ws.kraken.com/v2' }))).toBe('wss://beta-ws-auth.kraken.com/v2');
    expect(privateWsUrl(ctx({}))).toBe('wss://ws-auth.kraken.com/v2');
    expect(privateWsUrl(ctx({ wsUrl: 'ws://127.0.0.1:4000/v2' }))).toBe('ws://127.0.0.1:4000/v2');
    expect(privateWsUrl(ctx({ wsUrl: 'wss://ws.kraken.com/v2', authWsUrl: 'wss://proxy.local/v2' }))).toBe('wss://proxy.local/v2');
  });
});
