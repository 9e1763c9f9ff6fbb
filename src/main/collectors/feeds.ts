import { createSimFeed } from '../venues/simulator/sim-feed';
import { createCoinbaseFeed } from '../venues/coinbase/feed';
import { createKrakenFeed } from '../venues/kraken/feed';
import { createBinanceUsFeed } from '../venues/binanceus/feed';
import { createOandaFeed } from '../venues/oanda/feed';
import { createReplayFeed } from '../venues/replay/replay-feed';
import type { FeedFactory } from './feed';
import type { Collector } from './collector';
import type { CollectorInit } from './messages';

/** Feed name → the venue folder's feed; the only place the collector worker learns of venues. */
const factories: Record<string, FeedFactory> = {
  simulator: createSimFeed,
  coinbase: createCoinbaseFeed,
  kraken: createKrakenFeed,
  binanceus: createBinanceUsFeed,
  oanda: createOandaFeed,
  replay: createReplayFeed,
};

export function createFeed(collector: Collector, init: CollectorInit) {
  const factory = factories[init.feed];
  if (!factory) throw new Error(`no feed "${init.feed}" for venue ${init.venue}`);
  return factory(collector, init);
}
