import type { Instrument } from '../../../shared/instruments';
import type { Micros, PriceTicks, Qty } from '../../../shared/units';
import { SIM_INSTRUMENTS, SIM_PARAMS } from './instruments';
import { SymbolFlow } from './order-flow';
import { VenueMid } from './price-path';
import { Rng, seedOf } from './rng';
import type { SimSink, SimVenueConfig } from './types';

const DEFAULT_LEVELS = 400;

/**
 * A deterministic simulated venue. It never reads a clock: time advances only through
 * advanceTo, in simulated microseconds from 0. Update n lands at a uniformly jittered
 * point of the n-th slot of length 1/rate, so a second holds the rate's count of updates,
 * and splitting one advanceTo into several gives the same events.
 */
export class SimVenue {
  readonly venue: string;
  readonly instruments: readonly Instrument[];
  private readonly flows: SymbolFlow[] = [];
  private readonly mids: VenueMid[] = [];
  private readonly cumWeight: number[] = [];
  private readonly rng: Rng;
  private readonly epoch: number;
  private t = 0;
  private rate = 0;
  private slotLength = Infinity;
  /** Slot k starts at slotBase + k * slotLength; slotU places the pending update within it. */
  private slotBase = 0;
  private slotIndex = 0;
  private slotU: number;
  private nextT = Infinity;

  constructor(cfg: SimVenueConfig) {
    const levels = cfg.levelsPerSide ?? DEFAULT_LEVELS;
    if (!Number.isInteger(levels) || levels < 5) throw new RangeError(`levelsPerSide must be an integer >= 5, got ${levels}`);
    if (!Number.isFinite(cfg.seed)) throw new RangeError(`seed must be a finite number, got ${cfg.seed}`);
    const symbols = cfg.symbols ?? SIM_INSTRUMENTS.map((i) => i.symbol);
    if (symbols.length === 0 || new Set(symbols).size !== symbols.length) {
      throw new RangeError(`symbols must be non-empty and distinct: ${symbols.join(',')}`);
    }
    this.venue = cfg.venue;
    this.epoch = cfg.epochMicros;
    this.instruments = symbols.map((s) => {
      const inst = SIM_INSTRUMENTS.find((i) => i.symbol === s);
      if (!inst) throw new RangeError(`the simulator does not quote ${s}`);
      return inst;
    });
    let total = 0;
    this.instruments.forEach((inst, index) => {
      const p = SIM_PARAMS[inst.symbol];
      const tick = Number(inst.tickSize);
      const mid = new VenueMid(cfg.seed, cfg.venue, inst.symbol, p, tick);
      const rng = new Rng(seedOf(cfg.seed, 'flow', cfg.venue, inst.symbol));
      this.mids.push(mid);
      this.flows.push(new SymbolFlow(index, p, tick, levels, rng, mid.ticksAt(0)));
      total += p.weight;
      this.cumWeight.push(total);
    });
    for (let i = 0; i < this.cumWeight.length; i++) this.cumWeight[i] /= total;
    this.rng = new Rng(seedOf(cfg.seed, 'clock', cfg.venue));
    this.slotU = this.rng.float();
    this.setRate(cfg.updatesPerSecond);
  }

  get simTimeMicros(): number {
    return this.t;
  }

  snapshot(symbolIndex: number): { bids: Array<[PriceTicks, Qty]>; asks: Array<[PriceTicks, Qty]> } {
    const flow = this.flow(symbolIndex);
    return { bids: flow.bids.levels(), asks: flow.asks.levels() };
  }

  /** Best bid and ask now, without copying the book. */
  touch(symbolIndex: number): { bid: PriceTicks; ask: PriceTicks } {
    const flow = this.flow(symbolIndex);
    return { bid: flow.bids.best as PriceTicks, ask: flow.asks.best as PriceTicks };
  }

  advanceTo(nowSimMicros: number, sink: SimSink, maxUpdates = Infinity): number {
    let n = 0;
    while (this.nextT <= nowSimMicros && n < maxUpdates) {
      const t = this.nextT;
      this.t = t;
      this.emit(t, sink);
      n++;
      this.slotIndex++;
      this.slotU = this.rng.float();
      this.schedule();
    }
    if (this.nextT > nowSimMicros && nowSimMicros > this.t) this.t = nowSimMicros;
    return n;
  }

  /** Takes effect from the pending update on; 0 pauses the venue. */
  setRate(updatesPerSecond: number): void {
    if (!Number.isFinite(updatesPerSecond) || updatesPerSecond < 0) {
      throw new RangeError(`updatesPerSecond must be a finite number >= 0, got ${updatesPerSecond}`);
    }
    if (updatesPerSecond === this.rate) return;
    const pendingStart = this.slotLength === Infinity ? this.t : this.slotBase + this.slotIndex * this.slotLength;
    this.rate = updatesPerSecond;
    this.slotLength = updatesPerSecond > 0 ? 1e6 / updatesPerSecond : Infinity;
    this.slotBase = Math.max(pendingStart, this.t);
    this.slotIndex = 0;
    this.schedule();
  }

  private schedule(): void {
    this.nextT =
      this.slotLength === Infinity
        ? Infinity
        : Math.floor(this.slotBase + (this.slotIndex + this.slotU) * this.slotLength);
  }

  private emit(t: number, sink: SimSink): void {
    const u = this.rng.float();
    const w = this.cumWeight;
    let s = 0;
    while (s < w.length - 1 && u >= w[s]) s++;
    this.flows[s].step(sink, this.mids[s].ticksAt(t), (this.epoch + t) as Micros);
  }

  private flow(symbolIndex: number): SymbolFlow {
    const flow = this.flows[symbolIndex];
    if (!flow) throw new RangeError(`no symbol at index ${symbolIndex} on ${this.venue}`);
    return flow;
  }
}
