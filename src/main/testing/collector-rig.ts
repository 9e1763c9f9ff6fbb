/**
 * A real Collector on real rings in the current thread, for feed unit tests and ingest
 * benchmarks: feed a venue handler raw messages, then drain what reached the rings.
 */
import { MessageChannel } from 'node:worker_threads';
import { Collector } from '../collectors/collector';
import type { FromCollector } from '../collectors/messages';
import { SpscRing } from '../rings/spsc-ring';
import { BOOK_RECORD_SIZE, TRADE_RECORD_SIZE } from '../rings/records';

export interface CollectorRig {
  collector: Collector;
  bookRing: SpscRing;
  tradeRing: SpscRing;
  /** control messages the collector posted (instruments, state, stale, log, …), in order */
  messages: FromCollector[];
  /** consumes everything in both rings; returns how many records */
  drain(): number;
  close(): void;
}

export function collectorRig(venue = 'test', settings: Record<string, unknown> = {}, bookSlots = 1 << 16, tradeSlots = 1 << 14): CollectorRig {
  const bookRing = SpscRing.create({ slotSize: BOOK_RECORD_SIZE, capacity: bookSlots });
  const tradeRing = SpscRing.create({ slotSize: TRADE_RECORD_SIZE, capacity: tradeSlots });
  const { port1, port2 } = new MessageChannel();
  const messages: FromCollector[] = [];
  port2.on('message', (m: FromCollector) => messages.push(m));
  const collector = new Collector(
    { venue, venueIndex: 0, kind: 'exchange', feed: venue, symbols: undefined, bookRing: bookRing.sab, tradeRing: tradeRing.sab, settings },
    port1,
  );
  const noop = () => {};
  return {
    collector,
    bookRing,
    tradeRing,
    messages,
    drain: () => bookRing.poll(noop) + tradeRing.poll(noop),
    close: () => {
      port1.close();
      port2.close();
    },
  };
}
