/**
 * Binance.US feed: exchangeInfo → instruments → one `/ws` connection subscribed (SUBSCRIBE) to
 * `<symbol>@depth@100ms` and `<symbol>@trade` of every symbol → handler → book syncs, with REST
 * depth snapshots fetched per book. The venue has no application heartbeat, so the connection pings
 * (resilience.pingIntervalMs) and pongs feed the watchdog; `/ws` + SUBSCRIBE (rather than a combined
 * stream URL) also makes the venue answer at once, so a quiet market still looks alive on connect.
 * Docs: https://github.com/binance-us/binance-us-api-docs/blob/master/web-socket-streams.md
 */
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { OVERSIZE_REASON, VenueConnection } from '../../collectors/connection';
import { BookSync } from './book-sync';
import { BinanceUsHandler } from './handler';
import { BinanceUsSettingsSchema } from './settings';
import { RateGate, SnapshotFetcher } from './snapshots';
import { mapExchangeInfo, selectSymbols, streamsOf, type BinanceSymbol } from './symbols';

/** Ring resyncs the engine asks for are written on messages, and at least this often when quiet. */
const FLUSH_EVERY_MS = 50;

export const createBinanceUsFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = BinanceUsSettingsSchema.parse(init.settings);
  const gate = new RateGate(collector, settings);
  const fetcher = new SnapshotFetcher(collector, settings, gate);
  let connection: VenueConnection | null = null;
  let flushTimer: NodeJS.Timeout | undefined;
  let stopped = false;
  const sleepers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(t);
        sleepers.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      sleepers.add(done);
    });

  /** exchangeInfo, retried (through the rate gate) until it answers or the feed stops. */
  const loadSymbols = async (): Promise<BinanceSymbol[] | null> => {
    const client = gate.client('exchangeInfo');
    while (!stopped) {
      const wait = gate.blockedUntil - Date.now();
      if (wait > 0) {
        await sleep(wait);
        continue;
      }
      try {
        const map = mapExchangeInfo(await client.getJson('/api/v3/exchangeInfo'));
        if (map.skipped.length) collector.log('info', `binanceus: ${map.skipped.length} exchangeInfo entries not usable`, { examples: map.skipped.slice(0, 5) });
        const { selected, refused } = selectSymbols(map, init.symbols ?? settings.symbols);
        for (const why of refused) collector.log('warn', `binanceus: not subscribing ${why}`);
        return selected;
      } catch (err) {
        await sleep(Math.max(gate.failed('exchangeInfo', err), settings.resilience.backoffInitialMs));
      }
    }
    return null;
  };

  const run = async (): Promise<void> => {
    const symbols = await loadSymbols();
    if (!symbols || stopped) return;
    collector.setInstruments(symbols.map((s) => ({ symbol: s.symbol, tickSize: s.tickSize, lotSize: s.lotSize })));
    if (symbols.length === 0) {
      collector.post({ type: 'error', code: 'no-symbols', message: 'binanceus: none of the requested symbols is listed and trading', retryable: false });
      return;
    }
    const syncs = symbols.map((s, id) => new BookSync(collector, id, s, fetcher));
    for (const s of syncs) fetcher.add(s);
    const handler = new BinanceUsHandler(collector, syncs, () => {
      const now = Date.now();
      for (const s of syncs) s.onSubscribed(now);
    });
    const params = symbols.flatMap(streamsOf);
    const url = `${settings.wsUrl.replace(/\/+$/, '')}/ws`;
    connection = new VenueConnection('binanceus', () => url, settings.resilience, {
      onOpen(send) {
        for (const s of syncs) s.begin();
        handler.subscribeId++;
        send(JSON.stringify({ method: 'SUBSCRIBE', params, id: handler.subscribeId }));
      },
      onMessage(text) {
        handler.onMessage(text);
        collector.flushResyncs();
      },
      onDown(reason) {
        if (reason === OVERSIZE_REASON) {
          collector.counters.badMessages++;
          collector.log('warn', `binanceus: a message over maxMessageBytes (${settings.resilience.maxMessageBytes} bytes) was refused`);
        }
        collector.log('warn', `binanceus: connection down (${reason}); books stale until resynced`);
        for (const s of syncs) s.down(`connection down: ${reason}`);
      },
      onState: (state, reason) => collector.setState(state, reason),
      onReconnect: () => collector.counters.reconnects++,
      log: (level, msg, fields) => collector.log(level, msg, fields),
    });
    if (stopped) return;
    connection.start();
    flushTimer = setInterval(() => collector.flushResyncs(), FLUSH_EVERY_MS);
  };

  return {
    start() {
      collector.setState('connecting', 'loading exchangeInfo');
      return run();
    },
    async stop() {
      stopped = true;
      fetcher.stop();
      for (const wake of [...sleepers]) wake();
      clearInterval(flushTimer);
      await connection?.stop();
    },
  };
};
