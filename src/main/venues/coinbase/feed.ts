// Coinbase Advanced Trade WebSocket: https://docs.cdp.coinbase.com/coinbase-business/advanced-trade-apis/websocket/websocket-overview
/**
 * Wiring: product metadata (REST) → instruments → one WebSocket subscribed to level2,
 * market_trades and heartbeats (one subscribe message per channel, as the venue requires;
 * heartbeats keep quiet subscriptions from being closed) → CoinbaseBookSync.
 */
import type { Collector } from '../../collectors/collector';
import { VenueConnection } from '../../collectors/connection';
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { RestClient, RestError } from '../../collectors/rest';
import { precisionOf } from '../../../shared/instruments';
import { CoinbaseBookSync } from './book-sync';
import { RestartPacer } from './restart-pacer';
import { subscribeMessage } from './messages';
import { CoinbaseSettingsSchema, type CoinbaseSettings } from './settings';
import { instrumentOf, productPath, type CoinbaseInstrument } from './symbols';

/** How often pending ring resyncs are retried when no message arrives to do it. */
const FLUSH_EVERY_MS = 25;
export const createCoinbaseFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = CoinbaseSettingsSchema.parse(init.settings);
  const wanted = [...new Set(init.symbols ?? settings.symbols)];
  let stopped = false;
  let connection: VenueConnection | undefined;
  let flusher: NodeJS.Timeout | undefined;
  let wake: (() => void) | undefined;
  let stopPacer: (() => void) | undefined;
  const rest = new RestClient('coinbase', settings.restUrl, settings.resilience, {
    onRetry: (attempt, error) => {
      collector.counters.restRetries++;
      collector.log('warn', `coinbase: product metadata request failed (attempt ${attempt}): ${error}; retrying`);
    },
  });
  const pause = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => { clearTimeout(t); resolve(); };
  });

  return {
    async start() {
      collector.setState('connecting', 'loading product metadata');
      const instruments = await loadInstruments(rest, wanted, collector, settings, () => stopped, pause);
      if (stopped) return;
      collector.setInstruments(instruments.map(({ symbol, tickSize, lotSize }) => ({ symbol, tickSize, lotSize })));
      if (instruments.length === 0) {
        collector.setState('stopped', `none of ${wanted.join(', ')} is listed`);
        return;
      }
      const restarts = new RestartPacer(settings.resilience, (reason) => connection?.restart(reason), (line) => collector.log('warn', line));
      stopPacer = () => restarts.cancel();
      const sync = new CoinbaseBookSync(
        collector,
        instruments.map((i) => ({ symbol: i.symbol, productId: i.productId, streamId: i.streamId, precision: precisionOf(i) })),
        { restart: (reason) => restarts.request(reason) },
        settings.marketTradeSide,
      );
      const productIds = instruments.map((i) => i.productId);
      connection = new VenueConnection('coinbase', () => settings.wsUrl, settings.resilience, {
        onOpen: (send) => {
          restarts.cancel();
          sync.connectionOpened();
          for (const channel of ['heartbeats', 'level2', 'market_trades'] as const) send(subscribeMessage(channel, productIds));
        },
        onMessage: (text) => {
          sync.onMessage(text);
          collector.flushResyncs();
        },
        onDown: (reason) => sync.connectionDown(reason),
        onState: (state, reason) => collector.setState(state, reason),
        onReconnect: () => collector.counters.reconnects++,
        log: (level, msg, fields) => {
          // ws reports a message over maxPayload as this socket error, then closes with 1006.
          if (msg.includes('Max payload size exceeded')) sync.messageTooLarge();
          collector.log(level, msg, fields);
        },
      });
      flusher = setInterval(() => collector.flushResyncs(), FLUSH_EVERY_MS);
      connection.start();
    },
    async stop() {
      stopped = true;
      wake?.();
      stopPacer?.();
      clearInterval(flusher);
      await connection?.stop();
    },
  };
};

/**
 * Metadata of every wanted product, in the order asked. A product the venue does not know (4xx)
 * is left out with a log line; transient failures (after the REST client's own retries) are
 * tried again until they succeed or the feed stops.
 */
async function loadInstruments(
  rest: RestClient,
  wanted: string[],
  collector: Collector,
  settings: CoinbaseSettings,
  isStopped: () => boolean,
  pause: (ms: number) => Promise<void>,
): Promise<CoinbaseInstrument[]> {
  const found = new Map<string, CoinbaseInstrument>();
  const streams = new Map<string, string>();
  let pending = wanted;
  while (pending.length > 0 && !isStopped()) {
    const results = await Promise.allSettled(pending.map((s) => rest.getJson(productPath(s))));
    const again: string[] = [];
    results.forEach((r, i) => {
      const symbol = pending[i]!;
      if (r.status === 'rejected') {
        const err = r.reason as Error;
        if (err instanceof RestError && !err.retryable) collector.log('warn', `coinbase: not subscribing to ${symbol}: the venue does not list it (${err.message})`);
        else again.push(symbol);
        return;
      }
      try {
        const inst = instrumentOf(r.value, symbol);
        const twin = streams.get(inst.streamId);
        if (twin) {
          collector.log('warn', `coinbase: not subscribing to ${symbol}: its market data is ${twin}'s (${inst.streamId}), already subscribed`);
          return;
        }
        if (inst.warning) collector.log('warn', `coinbase: ${inst.warning}; subscribing anyway`);
        streams.set(inst.streamId, symbol);
        found.set(symbol, inst);
      } catch (err) {
        collector.log('error', `coinbase: not subscribing to ${symbol}: ${(err as Error).message}`);
      }
    });
    pending = again;
    if (pending.length > 0) {
      collector.log('warn', `coinbase: product metadata for ${pending.join(', ')} unavailable; trying again in ${settings.resilience.backoffMaxMs} ms`);
      collector.post({ type: 'error', code: 'metadata-unavailable', message: `coinbase: product metadata for ${pending.join(', ')} unavailable`, retryable: true });
      await pause(settings.resilience.backoffMaxMs);
    }
  }
  return wanted.filter((s) => found.has(s)).map((s) => found.get(s)!);
}
