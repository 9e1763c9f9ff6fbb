import type { FeedFactory } from '../../collectors/feed';

/** Placeholder until this venue's feed lands: refuses to start with a clear error. */
export const createCoinbaseFeed: FeedFactory = (_collector, init) => ({
  start() {
    throw new Error(`venue ${init.venue} has no feed yet`);
  },
  stop() {},
});
