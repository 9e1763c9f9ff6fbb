import { describe, expect, it } from 'vitest';
import { backoffDelay, parseControl, Subscriptions } from './subscriptions';

describe('transport helpers', () => {
  it('backs off exponentially with jitter, capped', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, opts, () => 0)).toBe(50);
    expect(backoffDelay(0, opts, () => 1)).toBe(100);
    expect(backoffDelay(3, opts, () => 1)).toBe(800);
    expect(backoffDelay(20, opts, () => 1)).toBe(1000);
    expect(backoffDelay(20, opts, () => 0)).toBe(500);
  });

  it('remembers subscriptions for replay', () => {
    const s = new Subscriptions();
    s.note({ type: 'subscribe', venue: 'a', symbol: 'BTC-USD' });
    s.note({ type: 'subscribe', venue: 'a', symbol: 'ETH-USD' });
    s.note({ type: 'unsubscribe', venue: 'a', symbol: 'BTC-USD' });
    s.note({ type: 'ping', id: 1 });
    expect(s.list()).toEqual([{ type: 'subscribe', venue: 'a', symbol: 'ETH-USD' }]);
  });

  it('parses control JSON and rejects anything else', () => {
    expect(parseControl('{"type":"pong","id":3}')).toEqual({ type: 'pong', id: 3 });
    expect(parseControl('not json')).toBe(null);
    expect(parseControl('[1,2]')).toBe(null);
    expect(parseControl('{"id":3}')).toBe(null);
  });
});
