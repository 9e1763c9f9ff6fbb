// Binance.US SIGNED endpoints: https://github.com/binance-us/binance-us-api-docs/blob/master/rest-api.md#signed-trade-and-user_data-endpoint-security
/**
 * Request signing as Binance.US documents it: `signature` = hex HMAC-SHA256, keyed with the
 * secret key, of `totalParams`, which is the query string concatenated with the request body
 * (no separator between them: the docs' Example 3 signs "...timeInForce=GTCquantity=1...").
 * `timestamp` (ms) and `recvWindow` travel as ordinary parameters, so they are signed too; the
 * API key goes in the `X-MBX-APIKEY` header and is not part of the signature.
 *
 * The secret lives only inside the closure `signer` returns: nothing here logs, throws or
 * returns it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type ParamValue = string | number | boolean;
/** parameters in the order they are sent (Binance accepts any order; the signature covers the text as sent) */
export type Params = ReadonlyArray<readonly [string, ParamValue]>;

/** `k=v&k=v` with values form-encoded; our values (symbols, decimals, ids of [A-Za-z0-9_-]) come out as they are. */
export function encodeParams(params: Params): string {
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&');
}

/** What is signed: the query string concatenated with the request body, as sent. */
export function totalParams(queryString: string, requestBody: string): string {
  return queryString + requestBody;
}

/** Hex HMAC-SHA256 of `payload` keyed with `secret`. */
export function hmacSha256Hex(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

export type Signer = (payload: string) => string;

/** A signing function that holds the secret; the secret itself never leaves it. */
export function signer(secret: string): Signer {
  if (!secret) throw new Error('binanceus: the credential "secret" is empty');
  return (payload) => hmacSha256Hex(payload, secret);
}

/**
 * The signed parameter text for one request: `params`, then recvWindow and timestamp, then
 * `&signature=<hex>`. Goes whole into either the query string (GET, DELETE) or the form body
 * (POST, PUT); either way it is the only part, so totalParams is exactly the text before `&signature`.
 */
export function signedParams(params: Params, sign: Signer, timestamp: number, recvWindow: number): string {
  const text = encodeParams([...params, ['recvWindow', recvWindow], ['timestamp', timestamp]]);
  return `${text}&signature=${sign(text)}`;
}

/** Constant-time comparison of two hex signatures, case-insensitive (the docs: "signature is not case sensitive"). */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
