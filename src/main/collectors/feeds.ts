import { createSimFeed } from '../venues/simulator/sim-feed';
import type { FeedFactory } from './feed';
import type { Collector } from './collector';
import type { CollectorInit } from './messages';

/** Venue kind → feed. Real venues register here as they arrive, each from its own folder. */
const factories: Record<string, FeedFactory> = {
  simulator: createSimFeed,
};

export function createFeed(collector: Collector, init: CollectorInit) {
  const factory = factories[init.kind];
  if (!factory) throw new Error(`no feed for venue kind "${init.kind}" (venue ${init.venue})`);
  return factory(collector, init);
}
