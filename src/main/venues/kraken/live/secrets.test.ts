/**
 * Credentials never leave the signer. Injected: a whole working session (placements, fills,
 * cancels, a timeout, a 5xx, a 429, an invalid nonce, a reject, a stream cut) and a session with a
 * key the venue refuses (EAPI:Invalid key on REST, so no WebSocket token either). Every log call
 * (message and fields) and every report is captured; none may contain the API key, the secret
 * (base64 or hex), any API-Sign the venue received, or any WebSocket token it issued.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KrakenExecMock, REJECT } from './tests/mock-exec-server';
import { leaksIn } from '../../../trading/live/testing/leaks';
import { cl, startRig, waitFor, type Rig } from './tests/support';

let mock: KrakenExecMock;
beforeAll(async () => {
  mock = await KrakenExecMock.start({ heartbeatMs: 50 });
});
afterAll(async () => {
  await mock?.close();
});

function leaks(rig: Rig, issued: { tokens: readonly string[]; signatures: readonly string[] }): string[] {
  return leaksIn(rig, [rig.key.apiKey, rig.key.secret, Buffer.from(rig.key.secret, 'base64').toString('hex'), ...issued.tokens, ...issued.signatures.filter((s) => s.length > 20)]);
}

describe('no credential in logs or reports', () => {
  it('over a session with every kind of trouble', async () => {
    const rig = await startRig({ mock });
    try {
      await rig.live();
      const a = rig.submit({ qty: '0.002' });
      await waitFor(() => a.state === 'working', 'ack');
      mock.fill(cl(a), { vol: '0.001', price: '64000.0' });
      await waitFor(() => a.filledLots > 0, 'fill');
      rig.venue.cancel(a);
      mock.failPlace({ kind: 'timeout', create: true });
      const b = rig.submit();
      mock.failPlace({ kind: 'server-error', create: false });
      const c = rig.submit();
      mock.failPlace({ kind: 'rate-limit', retryAfterS: 1 });
      const d = rig.submit();
      mock.failPlace({ kind: 'kraken-error', error: 'EAPI:Invalid nonce', create: false });
      const e = rig.submit();
      mock.failPlace(REJECT.insufficientFunds);
      const f = rig.submit();
      await waitFor(() => a.state === 'cancelled' && [b, c, d, e].every((o) => o.state === 'working') && f.state === 'rejected', 'all settled');
      mock.dropStream();
      await waitFor(() => rig.logs.filter((l) => /executions stream live/.test(l.msg)).length >= 2, 'the stream back');
      expect(rig.logs.length).toBeGreaterThan(5);
      expect(mock.tokens.length).toBeGreaterThanOrEqual(2);
      expect(leaks(rig, mock)).toEqual([]);
      // the check itself finds a leak when there is one
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: `oops ${mock.tokens.at(-1)}` }] }, mock)).not.toEqual([]);
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: 'x', fields: { k: rig.key.secret } }] }, mock)).not.toEqual([]);
      expect(leaks({ ...rig, logs: [{ level: 'warn', msg: `sig ${mock.signatures.at(-1)}` }] }, mock)).not.toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('with a key the venue refuses', async () => {
    const own = await KrakenExecMock.start({ heartbeatMs: 50 });
    const rig = await startRig({ mock: own, register: false });
    try {
      const o = rig.submit();
      await waitFor(() => o.state === 'rejected', 'rejected');
      await waitFor(() => rig.logs.some((l) => /stream is given up/.test(l.msg)), 'the stream given up after repeated refusals');
      expect(own.authFailures.filter((x) => x === 'EAPI:Invalid key').length).toBeGreaterThanOrEqual(4); // AddOrder + 3 token requests
      expect(leaks(rig, own)).toEqual([]);
    } finally {
      await rig.close();
      await own.close();
    }
  });
});
