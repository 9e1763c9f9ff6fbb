/**
 * Credentials never leave the signer. Injected: a whole working session (placements, fills,
 * cancels, a timeout, a 5xx, a 429, a reject, a stream cut) and a session with a key the venue
 * refuses (REST 401 and stream "authentication failure"). Every log call (message and fields)
 * and every report is captured; none may contain the private key (nor any line of its PEM
 * body), the key name, a token the venue received, or the word "Bearer".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoinbaseExecMock, REJECT } from './tests/mock-exec-server';
import { leaksIn } from '../../../trading/live/testing/leaks';
import { startRig, waitFor, type Rig } from './tests/support';

let mock: CoinbaseExecMock;
beforeAll(async () => {
  mock = await CoinbaseExecMock.start({ heartbeatMs: 50 });
});
afterAll(async () => {
  await mock?.close();
});

function leaks(rig: Rig, tokens: readonly string[]): string[] {
  const pemLines = rig.key.pem.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
  return leaksIn(rig, [rig.key.pem, ...pemLines, rig.key.name, ...tokens.filter((t) => t.length > 20)], [
    [/bearer/i, 'Bearer'],
    [/eyJ[A-Za-z0-9_-]{10,}\./, 'something shaped like a JWT'],
  ]);
}

describe('no credential in logs or reports', () => {
  it('over a session with every kind of trouble', async () => {
    const rig = await startRig({ mock });
    try {
      await rig.live();
      const a = rig.submit({ qty: '0.002' });
      await waitFor(() => a.state === 'working', 'ack');
      mock.fill(a.id, { size: '0.001', price: '64000.00' });
      await waitFor(() => a.filledLots > 0, 'fill');
      rig.venue.cancel(a);
      mock.failPlace({ kind: 'timeout', create: true });
      const b = rig.submit();
      mock.failPlace({ kind: 'server-error', create: false });
      const c = rig.submit();
      mock.failPlace({ kind: 'rate-limit', retryAfterS: 1 });
      const d = rig.submit();
      mock.failPlace(REJECT.insufficientFunds);
      const e = rig.submit();
      await waitFor(() => a.state === 'cancelled' && [b, c, d].every((o) => o.state === 'working') && e.state === 'rejected', 'all settled');
      mock.dropStream();
      await waitFor(() => rig.logs.filter((l) => /user stream live/.test(l.msg)).length >= 2, 'the stream back');
      expect(rig.logs.length).toBeGreaterThan(5);
      expect(leaks(rig, mock.tokens)).toEqual([]);
      // the check itself finds a leak when there is one
      const token = mock.tokens.at(-1)!;
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: `oops ${token}` }] }, mock.tokens)).not.toEqual([]);
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: 'x', fields: { k: rig.key.pem.split('\n')[1] } }] }, [])).not.toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('with a key the venue refuses', async () => {
    const own = await CoinbaseExecMock.start({ heartbeatMs: 50 });
    const rig = await startRig({ mock: own, register: false });
    try {
      const o = rig.submit();
      await waitFor(() => o.state === 'rejected', 'rejected');
      await waitFor(() => rig.logs.some((l) => /stream is given up/.test(l.msg)), 'the stream given up after repeated refusals');
      expect(own.authFailures.filter((f) => f.startsWith('ws:'))).toHaveLength(3);
      expect(leaks(rig, own.tokens)).toEqual([]);
    } finally {
      await rig.close();
      await own.close();
    }
  });
});
