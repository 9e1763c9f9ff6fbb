// Coinbase Developer Platform API keys, JWT authentication:
//   https://docs.cdp.coinbase.com/get-started/authentication/jwt-authentication
// and the official Advanced Trade SDK's generator (coinbase/coinbase-advanced-py, coinbase/jwt_generator.py).
/**
 * Every Advanced Trade request carries its own short-lived JWT, signed ES256 (ECDSA P-256,
 * SHA-256) with the CDP key's private key:
 *   header  {alg: "ES256", kid: <key name>, nonce: <random hex>, typ: "JWT"}
 *   payload {sub: <key name>, iss: "cdp", nbf: <now s>, exp: <now s> + 120, uri: "<METHOD> <host><path>"}
 * sent as `Authorization: Bearer <jwt>`. The `uri` names the request's method, host and path
 * (no scheme, no query string), so a token is good for that one endpoint for two minutes.
 * WebSocket subscriptions carry a JWT without `uri`. JWS signatures are the raw 64-byte r‖s
 * (RFC 7515 §3.4), which is Node's `dsaEncoding: 'ieee-p1363'`.
 */
import { createPrivateKey, randomBytes, sign, type KeyObject } from 'node:crypto';

/** Lifetime the docs give a token ("Your JWT expires after 2 minutes"). */
export const JWT_LIFETIME_S = 120;

export interface CdpKey {
  /** organizations/{org_id}/apiKeys/{key_id} */
  readonly name: string;
  readonly privateKey: KeyObject;
}

/**
 * The key from the credential store's fields. Throws with a message naming what is wrong,
 * never echoing a value: these messages reach logs.
 */
export function loadCdpKey(credentials: Readonly<Record<string, string | undefined>>): CdpKey {
  const name = credentials.keyName?.trim();
  const pem = credentials.privateKey;
  if (!name || !pem) throw new Error('coinbase credentials need the fields keyName and privateKey (a CDP API key with ECDSA signature algorithm)');
  let privateKey: KeyObject;
  try {
    // Keys pasted from the CDP portal's JSON often keep "\n" as two characters.
    privateKey = createPrivateKey({ key: pem.includes('-----BEGIN') ? pem.replace(/\\n/g, '\n') : pem, format: 'pem' });
  } catch {
    throw new Error('coinbase credentials: privateKey is not a PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('coinbase credentials: privateKey must be an EC P-256 (ECDSA) key; Ed25519 keys are not supported by Advanced Trade');
  }
  return { name, privateKey };
}

/** The `uri` claim of a REST request: "GET api.coinbase.com/api/v3/brokerage/accounts". */
export function jwtUri(method: string, host: string, path: string): string {
  const bare = path.split('?')[0]!;
  return `${method.toUpperCase()} ${host}${bare.startsWith('/') ? bare : `/${bare}`}`;
}

export interface JwtInput {
  key: CdpKey;
  /** ms since the epoch */
  nowMs: number;
  /** REST requests only; omitted for WebSocket subscriptions */
  uri?: string;
  /** fixed only by tests */
  nonce?: string;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A signed compact JWS for one request. */
export function buildJwt({ key, nowMs, uri, nonce }: JwtInput): string {
  const now = Math.floor(nowMs / 1000);
  const header = { alg: 'ES256', kid: key.name, nonce: nonce ?? randomBytes(32).toString('hex'), typ: 'JWT' };
  const payload: Record<string, string | number> = { sub: key.name, iss: 'cdp', nbf: now, exp: now + JWT_LIFETIME_S };
  if (uri !== undefined) payload.uri = uri;
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  const signature = sign('sha256', Buffer.from(input), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${input}.${b64url(signature)}`;
}
