/**
 * Signing, against Coinbase's worked example.
 *
 * The example, https://docs.cdp.coinbase.com/get-started/authentication/jwt-authentication
 * ("Code samples for ECDSA Keys", Python):
 *   key_name       = "organizations/{org_id}/apiKeys/{key_id}"
 *   key_secret     = "-----BEGIN EC PRIVATE KEY-----\nYOUR PRIVATE KEY\n-----END EC PRIVATE KEY-----\n"
 *   request_method = "GET"
 *   request_host   = "api.coinbase.com"
 *   request_path   = "/api/v3/brokerage/accounts"
 *   uri = f"{request_method} {request_host}{request_path}"
 *   jwt_payload = {'sub': key_name, 'iss': "cdp", 'nbf': int(time.time()), 'exp': int(time.time()) + 120, 'uri': uri}
 *   jwt.encode(jwt_payload, private_key, algorithm='ES256', headers={'kid': key_name, 'nonce': secrets.token_hex()})
 * and the SDK's reference for the same call (https://coinbase.github.io/coinbase-advanced-py/jwt_generator.html):
 *   uri (str) - Formatted URI for the endpoint (e.g. "GET api.coinbase.com/api/v3/brokerage/accounts")
 * PyJWT adds "typ": "JWT" to the header. The page's private key is a placeholder and ECDSA
 * signatures are randomized, so there is no fixed token to compare with: the test builds the
 * token for the example's inputs with a generated P-256 key in the same SEC1 PEM form, then
 * checks every header and payload field exactly, and verifies the signature with the public key
 * derived from the private one.
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildJwt, jwtUri, loadCdpKey } from './sign';
import { CoinbaseExecMock } from './tests/mock-exec-server';

const DOC = {
  keyName: 'organizations/{org_id}/apiKeys/{key_id}',
  method: 'GET',
  host: 'api.coinbase.com',
  path: '/api/v3/brokerage/accounts',
  uri: 'GET api.coinbase.com/api/v3/brokerage/accounts',
};

const pemKey = () => generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
const part = (jwt: string, i: number) => JSON.parse(Buffer.from(jwt.split('.')[i]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('JWT for a REST request (the docs example)', () => {
  const pem = pemKey();
  const key = loadCdpKey({ keyName: DOC.keyName, privateKey: pem });
  const nowMs = 1_717_171_717_250; // int(time.time()) = 1717171717
  const uri = jwtUri(DOC.method, DOC.host, DOC.path);
  const jwt = buildJwt({ key, nowMs, uri });

  it('formats the uri as the docs do: "<METHOD> <host><path>"', () => {
    expect(uri).toBe(DOC.uri);
    // our placement endpoint, and a query string is not part of it
    expect(jwtUri('POST', 'api.coinbase.com', '/api/v3/brokerage/orders')).toBe('POST api.coinbase.com/api/v3/brokerage/orders');
    expect(jwtUri('GET', 'api.coinbase.com', '/api/v3/brokerage/orders/historical/batch?order_status=OPEN')).toBe('GET api.coinbase.com/api/v3/brokerage/orders/historical/batch');
  });

  it('has exactly the header and payload fields the docs give', () => {
    const header = part(jwt, 0);
    expect(header).toEqual({ alg: 'ES256', kid: DOC.keyName, nonce: header.nonce, typ: 'JWT' });
    expect(header.nonce).toMatch(/^[0-9a-f]{64}$/); // secrets.token_hex(): 32 random bytes
    expect(part(jwt, 1)).toEqual({ sub: DOC.keyName, iss: 'cdp', nbf: 1_717_171_717, exp: 1_717_171_717 + 120, uri: DOC.uri });
  });

  it('is signed ES256: a 64-byte r||s that verifies with the public key derived from the private key', () => {
    const [h, p, s] = jwt.split('.');
    const signature = Buffer.from(s!, 'base64url');
    expect(signature).toHaveLength(64);
    const publicKey = createPublicKey(key.privateKey);
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    const forged = Buffer.from(JSON.stringify({ ...part(jwt, 1), uri: 'POST api.coinbase.com/api/v3/brokerage/orders' })).toString('base64url');
    expect(verify('sha256', Buffer.from(`${h}.${forged}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false);
  });

  it('draws a fresh nonce (and so a fresh signature) per token', () => {
    const again = buildJwt({ key, nowMs, uri });
    expect(part(again, 0).nonce).not.toBe(part(jwt, 0).nonce);
  });

  it('accepts the key with escaped newlines, as the docs allow ("on one line with \\n escaped newlines")', () => {
    const oneLine = loadCdpKey({ keyName: DOC.keyName, privateKey: pem.replace(/\n/g, '\\n') });
    const token = buildJwt({ key: oneLine, nowMs, uri, nonce: 'ab'.repeat(32) });
    const [h, p, s] = token.split('.');
    expect(verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(key.privateKey), dsaEncoding: 'ieee-p1363' }, Buffer.from(s!, 'base64url'))).toBe(true);
  });

  it('leaves out uri for a WebSocket subscription', () => {
    expect(part(buildJwt({ key, nowMs }), 1)).toEqual({ sub: DOC.keyName, iss: 'cdp', nbf: 1_717_171_717, exp: 1_717_171_837 });
  });
});

describe('the mock venue checks tokens the way the venue does', () => {
  it('accepts a token for this very request and refuses others with the reason', async () => {
    const mock = await CoinbaseExecMock.start();
    try {
      const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      const key = loadCdpKey({ keyName: 'organizations/o/apiKeys/k', privateKey: pair.privateKey.export({ type: 'sec1', format: 'pem' }).toString() });
      mock.registerKey(key.name, pair.publicKey);
      const uri = 'POST 127.0.0.1:1/api/v3/brokerage/orders';
      const now = Date.now();
      expect(mock.checkJwt(`Bearer ${buildJwt({ key, nowMs: now, uri })}`, uri)).toBeNull();
      expect(mock.checkJwt(`Bearer ${buildJwt({ key, nowMs: now, uri })}`, 'GET 127.0.0.1:1/api/v3/brokerage/orders')).toMatch(/^uri /);
      expect(mock.checkJwt(`Bearer ${buildJwt({ key, nowMs: now - 130_000, uri })}`, uri)).toBe('expired');
      expect(mock.checkJwt(`Bearer ${buildJwt({ key, nowMs: now + 60_000, uri })}`, uri)).toBe('not yet valid');
      const stranger = loadCdpKey({ keyName: key.name, privateKey: pemKey() });
      expect(mock.checkJwt(`Bearer ${buildJwt({ key: stranger, nowMs: now, uri })}`, uri)).toBe('bad signature');
      expect(mock.checkJwt(undefined, uri)).toBe('no bearer token');
    } finally {
      await mock.close();
    }
  });
});

describe('credentials', () => {
  it('refuses missing fields, a non-PEM and an Ed25519 key without echoing what it was given', () => {
    const secret = 'MHcCAQEEIN0tAsEcReTvaLuE';
    expect(() => loadCdpKey({ keyName: 'k' })).toThrow(/keyName and privateKey/);
    let message = '';
    try {
      loadCdpKey({ keyName: 'k', privateKey: `-----BEGIN EC PRIVATE KEY-----\n${secret}\n-----END EC PRIVATE KEY-----\n` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a PEM private key/);
    expect(message).not.toContain(secret);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadCdpKey({ keyName: 'k', privateKey: ed })).toThrow(/EC P-256/);
  });
});
