/**
 * OANDA does not sign requests; it authenticates each one with a bearer token. So "signing" here
 * is: every request, REST and stream, carries exactly the documented headers, built as OANDA's
 * own worked example shows; a token that could not travel in a header is refused before
 * anything is sent; and the token never appears in a log line, an error or a report reason.
 *
 * The worked example, https://developer.oanda.com/rest-live-v20/authentication/ ("Using a
 * Personal Access Token"): "you must include the token as a Bearer token in the HTTP
 * Authorization header. As an example:
 *   curl -H "Authorization: Bearer 12345678900987654321-abc34135acde13f13530" https://api-fxtrade.oanda.com/v3/accounts"
 * https://developer.oanda.com/rest-live-v20/development-guide/ ("Request and Response Details"):
 *   "All requests with a body require Content-Type: application/json" (the examples send it on
 *   GETs too; we send it on every request);
 * https://developer.oanda.com/rest-live-v20/primitives-df/ (AcceptDatetimeFormat): "UNIX" or "RFC3339".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OandaAuthError, loadOandaAuth, oandaHeaders, redactor } from './sign';
import { OandaExecMock } from './tests/mock-exec-server';
import { everything, pendingOrder, sleep, startRig, waitFor } from './tests/support';

const DOC_TOKEN = '12345678900987654321-abc34135acde13f13530';

describe('headers, against the documented example', () => {
  it('token 12345678900987654321-abc34135acde13f13530 → "Authorization: Bearer 12345678900987654321-abc34135acde13f13530", plus the two documented headers, nothing else', () => {
    expect(oandaHeaders(DOC_TOKEN)).toEqual({
      Authorization: 'Bearer 12345678900987654321-abc34135acde13f13530',
      'Content-Type': 'application/json',
      'Accept-Datetime-Format': 'RFC3339',
    });
  });

  it('credentials from the store win over settings; settings are the fallback', () => {
    expect(loadOandaAuth({ token: DOC_TOKEN, accountId: '101-004-1234567-001' }, { token: 'settings-token-000', accountId: '101-004-7654321-001' })).toEqual({ token: DOC_TOKEN, accountId: '101-004-1234567-001' });
    expect(loadOandaAuth({}, { token: DOC_TOKEN, accountId: '101-004-1234567-001' })).toEqual({ token: DOC_TOKEN, accountId: '101-004-1234567-001' });
  });

  it('a missing or malformed token or account id is refused with a message that quotes neither', () => {
    expect(() => loadOandaAuth({}, {})).toThrow(/needs a token/);
    expect(() => loadOandaAuth({ token: DOC_TOKEN }, {})).toThrow(/needs an account id/);
    for (const bad of [`${DOC_TOKEN}\r\nX-Evil: 1`, `Bearer ${DOC_TOKEN}`, 'short']) {
      let caught: Error | undefined;
      try {
        loadOandaAuth({ token: bad, accountId: '101-004-1234567-001' }, {});
      } catch (err) {
        caught = err as Error;
      }
      expect(caught).toBeInstanceOf(OandaAuthError);
      expect(caught!.message).not.toContain(DOC_TOKEN);
      expect(caught!.message).not.toContain('short');
    }
    expect(() => loadOandaAuth({ token: DOC_TOKEN, accountId: '../../admin' }, {})).toThrow(/account id is malformed/);
  });

  it('the redactor hides every occurrence', () => {
    expect(redactor([DOC_TOKEN])(`a ${DOC_TOKEN} b ${DOC_TOKEN}`)).toBe('a <redacted> b <redacted>');
  });
});

describe('on the wire (the mock refuses what OANDA would refuse)', () => {
  let mock: OandaExecMock;
  beforeAll(async () => {
    mock = await OandaExecMock.start({ heartbeatMs: 100 });
  });
  afterAll(async () => {
    await mock?.close();
  });

  /** what fetch / node add by themselves; everything else must be exactly our three */
  const TRANSPORT = new Set(['host', 'connection', 'content-length', 'accept', 'accept-encoding', 'accept-language', 'user-agent', 'sec-fetch-mode', 'transfer-encoding']);

  it('every request (create, get, cancel, pendingOrders, sinceid, stream) carries exactly the documented headers', async () => {
    const rig = await startRig({ mock });
    try {
      await rig.live();
      const o = rig.submit();
      await waitFor(() => o.state === 'working', 'ack');
      mock.hideFromStream(1);
      mock.fill(o.id, { units: 100, price: '1.10000' }); // → sinceid
      await waitFor(() => o.filledLots === 100, 'fill');
      const ghost = pendingOrder(); // → GET @clientOrderId (restored without OANDA's id)
      ghost.transition('working', Date.now());
      rig.orders.set(ghost.id, ghost);
      rig.venue.restore(ghost);
      rig.venue.cancel(o); // → PUT cancel
      await waitFor(() => o.state === 'cancelled' && ghost.state === 'expired', 'cancel and lookup');
      const kinds = new Set<string>();
      for (const r of mock.requests) {
        kinds.add(`${r.method} ${r.path.replace(/\?.*$/, '').replace(/^\/v3\/accounts\/[^/]+/, '').replace(/@[^/]+/, '@id')}`);
        const ours = Object.keys(r.headers).filter((h) => !TRANSPORT.has(h)).sort();
        expect(ours, `${r.method} ${r.path}`).toEqual(['accept-datetime-format', 'authorization', 'content-type']);
        expect(r.headers.authorization).toBe(`Bearer ${mock.token}`);
        expect(r.headers['content-type']).toBe('application/json');
        expect(r.headers['accept-datetime-format']).toBe('RFC3339');
      }
      expect([...kinds].sort()).toEqual(expect.arrayContaining([
        'GET /orders/@id', 'GET /pendingOrders', 'GET /transactions/sinceid', 'GET /transactions/stream', 'POST /orders', 'PUT /orders/@id/cancel',
      ]));
      expect(mock.authFailures).toBe(0);
      expect(mock.headerFaults).toEqual([]);
      expect(rig.violations).toEqual([]);
    } finally {
      await rig.close();
    }
  });

  it('a wrong token gets OANDA\'s 401 body at the mock, and the adapter says "OANDA rejected the token" without quoting it', async () => {
    const token = 'wrongtoken00000000000000000000aa-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
    const rig = await startRig({ mock, credentials: { token, accountId: mock.accountId } });
    try {
      const before = mock.authFailures;
      const o = rig.submit();
      await waitFor(() => o.state === 'rejected', 'rejected');
      expect(mock.authFailures).toBeGreaterThan(before);
      expect(o.reason).toContain('OANDA rejected the token (HTTP 401');
      expect(everything(rig)).not.toContain(token);
    } finally {
      await rig.close();
    }
  });
});

describe('the token never leaves', () => {
  it('across a whole life (place, fills, timeouts, rejects, stream loss, restart, cancel) no log line, field or report carries it, even when OANDA echoes it', async () => {
    const mock = await OandaExecMock.start({ heartbeatMs: 100 });
    const rig = await startRig({ mock });
    try {
      await rig.live();
      const a = rig.submit();
      await waitFor(() => a.state === 'working', 'ack');
      mock.fill(a.id, { units: 300, price: '1.10000' });
      mock.failNext('place', { kind: 'timeout', reach: false }, { kind: 'status', status: 503 });
      const b = rig.submit();
      // injected: an error message that repeats the token (no real venue should; we must not pass it on)
      mock.failNext('place', { kind: 'reject', reason: 'INSUFFICIENT_MARGIN', message: `margin check failed for ${mock.token}` });
      const c = rig.submit();
      mock.streamDown();
      await sleep(200);
      mock.fill(a.id, { units: 100, price: '1.10000' });
      mock.streamUp();
      await waitFor(() => a.filledLots === 400 && b.state === 'working' && c.state === 'rejected', 'everything settled');
      expect(c.reason).toBe('INSUFFICIENT_MARGIN: margin check failed for <redacted>');
      rig.restart().restore(a);
      rig.venue.cancel(a);
      await waitFor(() => a.state === 'cancelled', 'cancelled');
      expect(rig.logs.length).toBeGreaterThan(5);
      expect(everything(rig)).not.toContain(mock.token);
      expect(everything(rig)).not.toContain(mock.token.slice(0, 16));
      expect(rig.violations).toEqual([]);
    } finally {
      await rig.close();
      await mock.close();
    }
  });
});
