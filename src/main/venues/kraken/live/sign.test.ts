/**
 * Signing, against Kraken's worked example.
 *
 * The example, https://docs.kraken.com/api/docs/guides/spot-rest-auth ("Examples": a new limit
 * order, buy 1.25 XBTUSD at $37,500):
 *   Private Key      kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==
 *   Nonce            1616492376594
 *   Encoded Payload  nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25
 *   URI Path         /0/private/AddOrder
 *   API-Sign         4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==
 * Also: the mock venue checks signatures the way Kraken does (its own implementation) and answers
 * refusals in Kraken's shape; credentials that cannot be used are refused without echoing them.
 */
import { describe, expect, it } from 'vitest';
import { NonceSource, KrakenKey, apiSign, encodeBody } from './sign';
import { KrakenExecMock } from './tests/mock-exec-server';
import { testKey } from './tests/support';

const DOC = {
  secret: 'kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==',
  nonce: '1616492376594',
  payload: 'nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25',
  uriPath: '/0/private/AddOrder',
  apiSign: '4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==',
};

describe('API-Sign (the docs example)', () => {
  it('reproduces the documented signature exactly', () => {
    expect(apiSign(DOC.uriPath, DOC.nonce, DOC.payload, Buffer.from(DOC.secret, 'base64'))).toBe(DOC.apiSign);
  });

  it('encodes the example order as the documented payload (nonce first, then the parameters)', () => {
    expect(encodeBody({ ordertype: 'limit', pair: 'XBTUSD', price: '37500', type: 'buy', volume: '1.25', cl_ord_id: undefined }, DOC.nonce)).toBe(DOC.payload);
  });

  it('signs through the key object with the API-Key header beside it', () => {
    const key = new KrakenKey({ apiKey: 'public-key', secret: DOC.secret });
    expect(key.headers(DOC.uriPath, DOC.nonce, DOC.payload)).toEqual({ 'API-Key': 'public-key', 'API-Sign': DOC.apiSign });
  });

  it('changes with each of path, nonce and payload', () => {
    const secret = Buffer.from(DOC.secret, 'base64');
    expect(apiSign('/0/private/CancelOrder', DOC.nonce, DOC.payload, secret)).not.toBe(DOC.apiSign);
    expect(apiSign(DOC.uriPath, '1616492376595', DOC.payload, secret)).not.toBe(DOC.apiSign);
    expect(apiSign(DOC.uriPath, DOC.nonce, DOC.payload.replace('1.25', '1.26'), secret)).not.toBe(DOC.apiSign);
  });
});

describe('nonce', () => {
  it('always increases, even within one millisecond or when the clock steps back', () => {
    let t = 1_700_000_000_000;
    const nonces = new NonceSource(() => t);
    const seen = [nonces.next(), nonces.next(), nonces.next()];
    t -= 5_000;
    seen.push(nonces.next());
    t += 60_000;
    seen.push(nonces.next());
    expect(seen).toEqual(['1700000000000', '1700000000001', '1700000000002', '1700000000003', '1700000055000']);
  });
});

describe('the mock venue checks requests the way Kraken does', () => {
  it('accepts a correct signature and refuses a wrong key, a bad signature and a stale or reused nonce', async () => {
    const mock = await KrakenExecMock.start();
    try {
      const k = testKey();
      mock.registerKey(k.apiKey, k.secret);
      mock.nonceWindow = 0;
      const key = new KrakenKey(k);
      const path = '/0/private/OpenOrders';
      const req = (nonce: string, headers = key.headers(path, nonce, `nonce=${nonce}`)) =>
        mock.checkAuth(path, { 'api-key': headers['API-Key'], 'api-sign': headers['API-Sign'] }, `nonce=${nonce}`);
      expect(req('1000')).toBeNull();
      expect(req('1000')).toBe('EAPI:Invalid nonce'); // used already
      expect(req('999')).toBe('EAPI:Invalid nonce'); // below the last one
      expect(req('1001', { ...key.headers(path, '1001', 'nonce=1001'), 'API-Key': 'unknown' })).toBe('EAPI:Invalid key');
      expect(req('1002', key.headers('/0/private/AddOrder', '1002', 'nonce=1002'))).toBe('EAPI:Invalid signature');
      const stranger = new KrakenKey({ apiKey: k.apiKey, secret: testKey().secret });
      expect(req('1003', stranger.headers(path, '1003', 'nonce=1003'))).toBe('EAPI:Invalid signature');
      expect(req('1004')).toBeNull();
      // over HTTP: Kraken's answer shape, HTTP 200 with the error list
      const res = await fetch(`${mock.restUrl}${path}`, { method: 'POST', headers: { 'API-Key': k.apiKey, 'API-Sign': 'AAAA' }, body: 'nonce=2000' });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ error: ['EAPI:Invalid signature'] });
    } finally {
      await mock.close();
    }
  });
});

describe('credentials', () => {
  it('refuses missing fields and a secret that is not base64, without echoing what it was given', () => {
    expect(() => new KrakenKey({ apiKey: 'k' })).toThrow(/apiKey and secret/);
    const secret = 'not base64: s3cr3t!';
    let message = '';
    try {
      new KrakenKey({ apiKey: 'k', secret });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/secret is not base64/);
    expect(message).not.toContain('s3cr3t');
  });

  it('does not show its parts when printed or serialised', () => {
    const k = testKey();
    const key = new KrakenKey(k);
    expect(JSON.stringify({ key })).toBe('{"key":"[kraken key]"}');
    expect(`${key}`).toBe('[kraken key]');
  });
});
