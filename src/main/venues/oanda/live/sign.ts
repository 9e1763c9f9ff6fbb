// OANDA v20 authentication: https://developer.oanda.com/rest-live-v20/authentication/
// Request headers: https://developer.oanda.com/rest-live-v20/development-guide/ (Content-Type),
// https://developer.oanda.com/rest-live-v20/primitives-df/ (AcceptDatetimeFormat: "UNIX" | "RFC3339")
/**
 * OANDA does not sign requests: every request carries the account's personal access token as a
 * bearer token ("include the token as a Bearer token in the HTTP Authorization header"). What
 * this module guarantees instead is the exact header set, that a token which could not travel
 * in a header (spaces, line breaks) is refused before anything is sent, and a redactor so no
 * log line, error or report can carry the token.
 */
import type { VenueCredentials } from '../../../credentials/file-store';

export interface OandaAuth {
  token: string;
  /** "{siteID}-{divisionID}-{userID}-{accountNumber}", e.g. 101-004-1234567-001 */
  accountId: string;
}

/** Visible ASCII only: a header value cannot hold anything else, and a bad one must not reach fetch (whose error would quote it). */
const TOKEN = /^[\x21-\x7e]{8,512}$/;
const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

export class OandaAuthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OandaAuthError';
  }
}

/** Token and account from the credential store, falling back to the venue settings. Errors never quote either value. */
export function loadOandaAuth(credentials: VenueCredentials, settings: Record<string, unknown>): OandaAuth {
  const pick = (name: string): string | undefined => {
    const fromStore = credentials[name];
    if (typeof fromStore === 'string' && fromStore.length > 0) return fromStore;
    const fromSettings = settings[name];
    return typeof fromSettings === 'string' && fromSettings.length > 0 ? fromSettings : undefined;
  };
  const token = pick('token');
  const accountId = pick('accountId');
  if (!token) throw new OandaAuthError('oanda live trading needs a token (credentials "token" or venues.oanda.token)');
  if (!accountId) throw new OandaAuthError('oanda live trading needs an account id (credentials "accountId" or venues.oanda.accountId)');
  if (!TOKEN.test(token)) throw new OandaAuthError('the oanda token is malformed (it must be 8-512 visible ASCII characters, no spaces or line breaks)');
  if (!ACCOUNT.test(accountId)) throw new OandaAuthError('the oanda account id is malformed (expected e.g. 101-004-1234567-001)');
  return { token, accountId };
}

/** The exact headers of every request, REST and stream alike. */
export function oandaHeaders(token: string): Record<string, string> {
  return {
    Authorization: `Bearer ${token}`,
    'Content-Type': 'application/json',
    'Accept-Datetime-Format': 'RFC3339',
  };
}

/** Replaces every occurrence of each secret with a placeholder. */
export function redactor(secrets: readonly string[]): (text: string) => string {
  const live = secrets.filter((s) => s.length > 0);
  return (text) => {
    let out = text;
    for (const s of live) if (out.includes(s)) out = out.split(s).join('<redacted>');
    return out;
  };
}
