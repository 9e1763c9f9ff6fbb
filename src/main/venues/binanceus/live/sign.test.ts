/**
 * Signing against Binance.US's own worked example, "SIGNED Endpoint Examples for POST /api/v3/order":
 * https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#signed-endpoint-examples-for-post-apiv3order
 *
 *   apiKey    vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A
 *   secretKey NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j
 *   Example 1 (request body) and Example 2 (query string):
 *     symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559
 *     → c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71
 *   Example 3 (mixed): query "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC",
 *     body "quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559"; totalParams is the two
 *     concatenated with no "&" between → 0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77
 *
 * What must hold: our signer reproduces both digests; the text our request builder signs for the
 * docs' parameters is exactly the docs' text; and the mock venue accepts the docs' three curl
 * requests byte for byte (its clock set to the example's timestamp) while refusing a tampered one
 * with Binance's real error (-1022, "Signature for this request is not valid.").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeParams, hmacSha256Hex, sameSignature, signedParams, signer, totalParams, type Params } from './sign';
import { BinanceUsExecMock, MOCK_SYMBOLS } from './tests/mock-exec-server';

const DOC_API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';
const DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j';
const DOC_TEXT = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const DOC_SIGNATURE = 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71';
const DOC_QUERY_3 = 'symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC';
const DOC_BODY_3 = 'quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559';
const DOC_SIGNATURE_3 = '0fd168b8ddb4876a0358a8d14d0c9f3da0e9b20c5d52b2a00fcf7d1c602f9a77';
const DOC_TIME = 1499827319559;
const DOC_PARAMS: Params = [['symbol', 'LTCBTC'], ['side', 'BUY'], ['type', 'LIMIT'], ['timeInForce', 'GTC'], ['quantity', '1'], ['price', '0.1']];

describe('HMAC-SHA256 signature, as Binance.US documents it', () => {
  it('Examples 1 and 2: the docs\' totalParams gives the docs\' signature', () => {
    expect(hmacSha256Hex(DOC_TEXT, DOC_SECRET)).toBe(DOC_SIGNATURE);
    expect(signer(DOC_SECRET)(DOC_TEXT)).toBe(DOC_SIGNATURE);
  });

  it('Example 3: query string and body are concatenated with nothing between them', () => {
    expect(totalParams(DOC_QUERY_3, DOC_BODY_3)).toBe(`${DOC_QUERY_3}${DOC_BODY_3}`);
    expect(hmacSha256Hex(totalParams(DOC_QUERY_3, DOC_BODY_3), DOC_SECRET)).toBe(DOC_SIGNATURE_3);
  });

  it('the request builder signs exactly the docs\' text for the docs\' parameters, and appends the signature last', () => {
    expect(encodeParams([...DOC_PARAMS, ['recvWindow', 5000], ['timestamp', DOC_TIME]])).toBe(DOC_TEXT);
    expect(signedParams(DOC_PARAMS, signer(DOC_SECRET), DOC_TIME, 5000)).toBe(`${DOC_TEXT}&signature=${DOC_SIGNATURE}`);
  });

  it('signatures compare case-insensitively ("The signature is not case sensitive"), and a changed one does not match', () => {
    expect(sameSignature(DOC_SIGNATURE.toUpperCase(), DOC_SIGNATURE)).toBe(true);
    expect(sameSignature(DOC_SIGNATURE.replace(/.$/, '0'), DOC_SIGNATURE)).toBe(false);
    expect(sameSignature('', DOC_SIGNATURE)).toBe(false);
  });

  it('an empty secret is refused up front, without echoing anything', () => {
    expect(() => signer('')).toThrow('binanceus: the credential "secret" is empty');
  });
});

describe('the mock verifies signatures exactly as the venue would', () => {
  let mock: BinanceUsExecMock;
  beforeAll(async () => {
    mock = await BinanceUsExecMock.start({ symbols: [...MOCK_SYMBOLS, { symbol: 'LTCBTC', base: 'LTC', quote: 'BTC', tickSize: '0.00000100', stepSize: '0.01000000', bid: '0.099', ask: '0.101', bidQty: '100', askQty: '100', last: '0.100' }] });
    mock.addKey(DOC_API_KEY, DOC_SECRET);
    mock.clock = () => DOC_TIME + 100; // the venue's clock at the docs' example time
  });
  afterAll(async () => {
    await mock?.close();
  });

  const post = (query: string, body: string, key = DOC_API_KEY) =>
    fetch(`${mock.restUrl}/api/v3/order${query ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': key, 'content-type': 'application/x-www-form-urlencoded' },
      body: body || undefined,
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('accepts the docs\' three curl requests (body, query string, mixed)', async () => {
    const one = await post('', `${DOC_TEXT}&signature=${DOC_SIGNATURE}`);
    const two = await post(`${DOC_TEXT}&signature=${DOC_SIGNATURE}`, '');
    const three = await post(DOC_QUERY_3, `${DOC_BODY_3}&signature=${DOC_SIGNATURE_3}`);
    for (const r of [one, two, three]) expect(r).toMatchObject({ status: 200, body: { symbol: 'LTCBTC', status: 'NEW', side: 'BUY', type: 'LIMIT', price: '0.10000000', origQty: '1.00000000' } });
    expect(mock.authFailures).toEqual([]);
  });

  it('refuses a tampered request, a wrong secret and a timestamp outside recvWindow with Binance\'s errors', async () => {
    const tampered = await post('', `${DOC_TEXT.replace('quantity=1', 'quantity=2')}&signature=${DOC_SIGNATURE}`);
    expect(tampered).toEqual({ status: 400, body: { code: -1022, msg: 'Signature for this request is not valid.' } });
    const mixedWithAmpersand = await post(DOC_QUERY_3, `&${DOC_BODY_3}&signature=${DOC_SIGNATURE_3}`);
    expect(mixedWithAmpersand.body).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    const unknownKey = await post('', `${DOC_TEXT}&signature=${DOC_SIGNATURE}`, 'not-a-key');
    expect(unknownKey).toEqual({ status: 401, body: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.' } });
    mock.clock = () => DOC_TIME + 5001; // recvWindow 5000 has passed
    const late = await post('', `${DOC_TEXT}&signature=${DOC_SIGNATURE}`);
    expect(late).toEqual({ status: 400, body: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.' } });
    mock.clock = () => DOC_TIME - 1000; // the request is 1000 ms ahead of the venue
    const early = await post('', `${DOC_TEXT}&signature=${DOC_SIGNATURE}`);
    expect(early.body).toEqual({ code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time." });
    expect(mock.authFailures).toEqual([
      'POST /api/v3/order: bad signature', 'POST /api/v3/order: bad signature', 'POST /api/v3/order: unknown API key',
      'POST /api/v3/order: timestamp outside recvWindow', 'POST /api/v3/order: timestamp ahead',
    ]);
  });
});
