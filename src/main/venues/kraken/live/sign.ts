// Kraken Spot REST authentication: https://docs.kraken.com/api/docs/guides/spot-rest-auth
/**
 * Every private request is a form-encoded POST whose body carries `nonce` (an always increasing
 * unsigned 64-bit integer), signed with two headers:
 *   API-Key:  the public API key
 *   API-Sign: base64(HMAC-SHA512(base64decode(secret), uri_path + SHA256(nonce + post_data)))
 * where uri_path is the part of the URL starting with "/0/private" and post_data is the exact
 * encoded body sent (nonce included). The key never leaves this file: `KrakenKey` keeps both
 * parts in private fields, so it neither serialises nor prints.
 */
import { createHash, createHmac } from 'node:crypto';

/** API-Sign for one request, exactly as the docs define it. */
export function apiSign(uriPath: string, nonce: string, postData: string, secret: Buffer): string {
  const inner = createHash('sha256').update(nonce + postData, 'utf8').digest();
  return createHmac('sha512', secret).update(Buffer.concat([Buffer.from(uriPath, 'utf8'), inner])).digest('base64');
}

export type FormParams = Record<string, string | number | boolean | undefined>;

/** The POST body: `nonce` first, then the parameters in the order given (undefined ones left out). */
export function encodeBody(params: FormParams, nonce: string): string {
  const body = new URLSearchParams();
  body.set('nonce', nonce);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) body.set(k, String(v));
  return body.toString();
}

/** Milliseconds since the epoch, but never the same or smaller twice (several requests in one ms). */
export class NonceSource {
  private last = 0;
  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    const n = Math.max(Math.floor(this.now()), this.last + 1);
    this.last = n;
    return String(n);
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The account's key pair. Throws with messages that name what is wrong, never a value. */
export class KrakenKey {
  readonly #apiKey: string;
  readonly #secret: Buffer;

  constructor(credentials: { readonly apiKey?: string; readonly secret?: string }) {
    const apiKey = credentials.apiKey?.trim();
    const secret = credentials.secret?.trim();
    if (!apiKey || !secret) throw new Error('kraken credentials need the fields apiKey and secret (the API key and its private key)');
    if (!BASE64.test(secret)) throw new Error('kraken credentials: secret is not base64 (paste the private key exactly as Kraken shows it)');
    this.#apiKey = apiKey;
    this.#secret = Buffer.from(secret, 'base64');
  }

  /** The two headers of one request. */
  headers(uriPath: string, nonce: string, postData: string): { 'API-Key': string; 'API-Sign': string } {
    return { 'API-Key': this.#apiKey, 'API-Sign': apiSign(uriPath, nonce, postData, this.#secret) };
  }

  toJSON(): string {
    return '[kraken key]';
  }

  toString(): string {
    return '[kraken key]';
  }
}
