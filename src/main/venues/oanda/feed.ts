/**
 * OANDA v20 feed: account instruments (REST) → setInstruments → price stream (HTTP, JSON lines)
 * → OandaBookSync. https://developer.oanda.com/rest-live-v20/pricing-ep/ (Price Stream),
 * https://developer.oanda.com/rest-live-v20/account-ep/ (instruments). FX pricing has no trades.
 * The bearer token goes into request headers only; every line this feed logs is scrubbed of it.
 */
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { OVERSIZE_REASON } from '../../collectors/connection';
import { HttpStreamConnection } from '../../collectors/http-stream';
import { RestClient, RestError } from '../../collectors/rest';
import { OandaBookSync, type LineOutcome } from './book-sync';
import { OandaSettingsSchema } from './settings';
import { selectInstruments, type OandaInstrument } from './symbols';

const REJECTED = 'OANDA rejected the token';
/** How often pending engine resyncs are written when the stream is quiet (heartbeats every ~5 s). */
const FLUSH_EVERY_MS = 50;

export const createOandaFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = OandaSettingsSchema.parse(init.settings);
  const { accountId, token, resilience } = settings;
  const redact = (text: string): string => (token ? text.split(token).join('<token>') : text);
  const log = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => collector.log(level, redact(msg), fields);
  let stopped = false;
  let connection: HttpStreamConnection | null = null;
  let flusher: NodeJS.Timeout | undefined;
  let wake: (() => void) | null = null;

  const auth = () => ({ Authorization: `Bearer ${token}`, 'Accept-Datetime-Format': 'RFC3339' });
  const account = `/v3/accounts/${encodeURIComponent(accountId ?? '')}`;

  const refusal = (status: number, body: string): string => {
    if (status === 401 || status === 403) return `${REJECTED} (HTTP ${status})`;
    let detail = body.slice(0, 200);
    try {
      detail = String((JSON.parse(body) as { errorMessage?: unknown }).errorMessage ?? detail).slice(0, 200);
    } catch {
      // not JSON: keep the start of the body as it is
    }
    return redact(`OANDA refused the request (HTTP ${status}): ${detail}`);
  };

  const pause = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

  /** The account's instruments, retried (behind RestClient's breaker) until they come or retrying cannot help. */
  async function loadInstruments(rest: RestClient): Promise<unknown> {
    while (!stopped) {
      try {
        return await rest.getJson(`${account}/instruments`);
      } catch (err) {
        if (err instanceof RestError && !err.retryable) {
          throw new Error(err.status === 401 || err.status === 403 ? `${REJECTED} (HTTP ${err.status} on instruments)` : redact(err.message));
        }
        if (stopped) break;
        log('warn', `oanda: instruments still unavailable (${(err as Error).message}); trying again in ${resilience.backoffMaxMs} ms`);
        collector.setState('stale', 'instruments unavailable');
        await pause(resilience.backoffMaxMs);
      }
    }
    return null;
  }

  function connect(instruments: OandaInstrument[]): void {
    const sync = new OandaBookSync(collector, instruments);
    const query = new URLSearchParams({ instruments: instruments.map((i) => i.name).join(','), snapshot: 'true' });
    const url = `${settings.streamUrl.replace(/\/$/, '')}${account}/pricing/stream?${query.toString().replaceAll('%2C', ',')}`;
    const conn = new HttpStreamConnection('oanda', () => url, resilience, {
      onOpen: () => sync.onConnect(),
      onMessage: (text) => {
        let outcome: LineOutcome;
        try {
          outcome = sync.onLine(text);
        } catch (err) {
          log('error', `oanda: bug while handling a line: ${(err as Error).message}; restarting the stream`);
          outcome = 'restart' as const;
        }
        if (outcome === 'restart') conn.restart('unreadable line');
        collector.flushResyncs();
      },
      onDown: (reason) => {
        if (reason === OVERSIZE_REASON) {
          collector.counters.badMessages++;
          log('warn', `oanda: a line over ${resilience.maxMessageBytes} bytes; dropped the stream`);
        }
        if (!stopped) log('warn', `oanda: stream down (${reason}); books stale until it is back`);
        sync.onDown(redact(reason));
      },
      onState: (state, reason) => {
        collector.setState(state, redact(reason));
        if (state === 'stopped' && reason) collector.post({ type: 'error', code: reason.startsWith(REJECTED) ? 'oanda-auth' : 'oanda-refused', message: redact(reason), retryable: false });
      },
      onReconnect: () => collector.counters.reconnects++,
      log,
    }, { headers: auth, describeRefusal: refusal });
    connection = conn;
    conn.start();
    flusher = setInterval(() => collector.flushResyncs(), FLUSH_EVERY_MS);
  }

  return {
    async start() {
      if (!accountId || !token) throw new Error('oanda needs venues.oanda.accountId and venues.oanda.token');
      collector.setState('connecting', 'loading instruments');
      const rest = new RestClient('oanda', settings.restUrl, resilience, {
        headers: auth(),
        onRetry: (attempt, error) => {
          collector.counters.restRetries++;
          log('warn', `oanda: instruments request failed (attempt ${attempt}): ${error}; retrying`);
        },
      });
      const wanted = init.symbols ?? settings.symbols;
      const listed = await loadInstruments(rest);
      if (stopped) return;
      const { instruments, unknown, invalid } = selectInstruments(listed, wanted);
      if (invalid.length) log('warn', `oanda: ${invalid.length} listed instruments unreadable and skipped: ${invalid.slice(0, 10).join(', ')}`);
      if (unknown.length) log('warn', `oanda: not listed for this account, not subscribed: ${unknown.join(', ')}`);
      if (instruments.length === 0) throw new Error(`oanda lists none of the symbols asked for (${wanted.join(', ')})`);
      collector.setInstruments(instruments.map(({ symbol, tickSize, lotSize }) => ({ symbol, tickSize, lotSize })));
      log('info', `oanda: streaming ${instruments.map((i) => i.symbol).join(', ')}`);
      connect(instruments);
    },
    async stop() {
      stopped = true;
      wake?.();
      clearInterval(flusher);
      await connection?.stop();
    },
  };
};
