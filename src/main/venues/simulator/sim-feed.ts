/** Drives a SimVenue in a collector worker, exactly as a real venue's feed would be driven. */
import { nowMicros, type Micros } from '../../../shared/units';
import type { Collector } from '../../collectors/collector';
import type { FeedFactory, VenueFeed } from '../../collectors/feed';
import { SimVenue, type SimSink } from './index';
import { SimSettingsSchema } from './settings';


/** Longest stretch of simulated time generated in one tick; a stalled worker catches up in steps. */
const MAX_TICK_SECONDS = 0.05;

export const createSimFeed: FeedFactory = (collector, init): VenueFeed => {
  const settings = SimSettingsSchema.parse(init.settings);
  let rate = settings.updatesPerSecond;
  const epochMicros = nowMicros();
  const sim = new SimVenue({
    venue: init.venue,
    seed: settings.seed,
    symbols: init.symbols,
    updatesPerSecond: rate,
    levelsPerSide: settings.levelsPerSide,
    epochMicros,
  });
  // Simulated exchange time runs from when start() is called, not from construction (building
  // the books takes a while), so venue→engine latency measures the feed and nothing else.
  let offset = 0;
  const sink: SimSink = {
    level: (_symbol, side, price, qty) => collector.level(side, price, qty),
    endUpdate: (symbol, ts) => collector.endUpdate(symbol, ts + offset),
    trade: (symbol, aggressor, price, qty, ts, id) => collector.trade(symbol, aggressor, price, qty, ts + offset, id),
  };
  let timer: NodeJS.Timeout | undefined;
  let started = 0;

  const tick = (): void => {
    const elapsedMicros = (performance.now() - started) * 1000;
    sim.advanceTo(elapsedMicros, sink, Math.max(1, Math.ceil(rate * MAX_TICK_SECONDS)));
    collector.counters.messages = collector.counters.updates + collector.counters.trades;
    collector.flushResyncs();
    timer = setTimeout(tick, 1);
  };

  return {
    start() {
      collector.setInstruments(sim.instruments.map((i) => ({ symbol: i.symbol, tickSize: i.tickSize, lotSize: i.lotSize })));
      sim.instruments.forEach((_inst, id) => {
        const snap = sim.snapshot(id);
        for (const [p, q] of snap.bids) collector.level(0, p, q);
        for (const [p, q] of snap.asks) collector.level(1, p, q);
        collector.endUpdate(id, (epochMicros + sim.simTimeMicros) as Micros, true);
      });
      collector.setState('live');
      started = performance.now() - sim.simTimeMicros / 1000;
      offset = nowMicros() - (epochMicros + sim.simTimeMicros);
      tick();
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
    setRate(updatesPerSecond) {
      rate = updatesPerSecond;
      sim.setRate(updatesPerSecond);
    },
  };
};
