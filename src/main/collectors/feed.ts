import type { Collector } from './collector';
import type { CollectorInit } from './messages';
import type { ReplayCommand } from '../../shared/protocol';

/**
 * What a venue folder implements: parse the venue's messages and drive the collector. The
 * plumbing every venue shares (rings, versions, overflow, resync, counters) is the collector's.
 */
export interface VenueFeed {
  start(): Promise<void> | void;
  stop(): Promise<void> | void;
  setRate?(updatesPerSecond: number): void;
  /** replay venues only: pause, resume, seek, speed */
  control?(command: ReplayCommand): void;
}

export type FeedFactory = (collector: Collector, init: CollectorInit) => VenueFeed;
