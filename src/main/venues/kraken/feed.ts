// Kraken feed: AssetPairs (https://docs.kraken.com/api/docs/rest-api/get-tradable-asset-pairs) for the
// instruments, then WebSocket v2 book + trade (https://docs.kraken.com/exchange/api-reference/spot-websocket-v2/book).
import type { Collector } from '../../collectors/collector';
import { VenueConnection } from '../../collectors/connection';
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { RestClient } from '../../collectors/rest';
import { KrakenHandler } from './handler';
import { KrakenSettingsSchema, type KrakenSettings } from './settings';
import { AssetPairsResponseSchema, instrumentsFromAssetPairs, isRetryableKrakenError, selectInstruments, type KrakenInstrument } from './symbols';

const ASSET_PAIRS = '/0/public/AssetPairs';
/** Engine-requested resync snapshots are written from the collector's own book when the ring has room. */
const FLUSH_EVERY_MS = 50;

export const createKrakenFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = KrakenSettingsSchema.parse(init.settings);
  let running = true;
  let conn: VenueConnection | null = null;
  let handler: KrakenHandler | null = null;
  let flusher: NodeJS.Timeout | undefined;
  let wake: (() => void) | null = null;
  const sleep = (ms: number) => new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    wake = () => {
      clearTimeout(t);
      resolve();
    };
  });

  return {
    async start() {
      collector.setState('connecting', 'loading Kraken instruments');
      const all = await loadInstruments(collector, settings, () => running, sleep);
      if (!all || !running) return;
      const wanted = init.symbols ?? settings.symbols;
      const { chosen, missing } = selectInstruments(all, wanted);
      if (missing.length > 0) collector.log('warn', `Kraken does not list ${missing.join(', ')}; not subscribed`);
      collector.setInstruments(chosen.map((i) => ({ symbol: i.symbol, tickSize: i.tickSize, lotSize: i.lotSize })));
      if (chosen.length === 0) {
        collector.post({ type: 'error', code: 'no-symbols', message: `Kraken lists none of ${wanted.join(', ')}`, retryable: false });
        return;
      }
      const r = settings.resilience;
      const h = new KrakenHandler(collector, chosen, { depth: settings.depth, resyncTimeoutMs: settings.resyncTimeoutMs, backoffInitialMs: r.backoffInitialMs, backoffMaxMs: r.backoffMaxMs }, {
        send: (text) => conn?.send(text),
        restart: (reason) => conn?.restart(reason),
      });
      handler = h;
      conn = new VenueConnection('kraken', () => settings.wsUrl, r, {
        onOpen: (send) => h.onOpen(send),
        onMessage: (text) => h.onMessage(text),
        onDown: (reason) => h.onDown(reason),
        onState: (state, reason) => collector.setState(state, reason),
        onReconnect: () => collector.counters.reconnects++,
        log: (level, msg, fields) => h.log(level, msg, fields),
      });
      collector.log('info', `subscribing to ${chosen.map((i) => i.wsSymbol).join(', ')} at depth ${settings.depth}`);
      conn.start();
      flusher = setInterval(() => collector.flushResyncs(), FLUSH_EVERY_MS);
    },
    async stop() {
      running = false;
      wake?.();
      clearInterval(flusher);
      handler?.stop();
      await conn?.stop();
    },
  };
};

/**
 * Kraken's instruments, asking until it answers (or the feed stops; then null). HTTP failures
 * are retried inside RestClient; Kraken's own errors arrive as HTTP 200 with an `error` list and
 * are retried here. Every retry is logged and counted (restRetries).
 */
async function loadInstruments(collector: Collector, settings: KrakenSettings, running: () => boolean, sleep: (ms: number) => Promise<void>): Promise<KrakenInstrument[] | null> {
  const r = settings.resilience;
  let tries = 0;
  const retried = (error: string) => {
    collector.counters.restRetries++;
    collector.log('warn', `GET ${ASSET_PAIRS} failed (${++tries} so far): ${error}; retrying`);
  };
  const rest = new RestClient('kraken', settings.restUrl, r, { onRetry: (_attempt, error) => retried(error) });
  let failures = 0;
  while (running()) {
    let problem: string;
    try {
      const body = AssetPairsResponseSchema.parse(await rest.getJson(ASSET_PAIRS));
      if (body.error.length === 0 && body.result) {
        const { instruments, skipped } = instrumentsFromAssetPairs(body.result);
        if (skipped.length > 0) collector.log('debug', `${skipped.length} Kraken pairs skipped`, { skipped: skipped.slice(0, 20) });
        collector.log('info', `Kraken lists ${instruments.length} pairs`);
        return instruments;
      }
      problem = `Kraken error: ${body.error.join(', ') || 'no result'}`;
      if (!body.error.every(isRetryableKrakenError) && body.error.length > 0) {
        collector.post({ type: 'error', code: 'asset-pairs', message: problem, retryable: false });
        return null;
      }
    } catch (err) {
      problem = (err as Error).message.slice(0, 200);
    }
    failures++;
    retried(problem);
    collector.setState('stale', `cannot load Kraken instruments: ${problem}`);
    await sleep(Math.min(r.backoffMaxMs, r.backoffInitialMs * 2 ** Math.min(failures, 20)));
  }
  return null;
}
