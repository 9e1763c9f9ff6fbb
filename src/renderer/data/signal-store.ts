import type { InferenceStatus, SignalMessage } from '../../shared/signals';
import { DEFAULT_MARK_RULE, markFor, nextCall, type MarkRule, type Probs, type SignalCall, type SignalMark } from './signal-marks';

/** One signal as kept: the engine's fields plus when it arrived here. */
export interface SignalPoint {
  /** engine ms since epoch of the book state it was computed from */
  ts: number;
  probs: Probs;
  provider: string;
  latencyUs: number;
  /** local monotonic ms on arrival (ages are measured on this clock, not against the engine's) */
  receivedMs: number;
}

/** Keeps the last `capacity` items, oldest first; pushing past it overwrites the oldest. */
export class BoundedList<T> {
  private readonly items: T[] = [];
  private start = 0;

  constructor(readonly capacity: number) {
    if (!(capacity >= 1)) throw new Error(`capacity must be at least 1, got ${capacity}`);
  }

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.items.length < this.capacity) this.items.push(item);
    else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** i-th item, 0 = oldest. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.items.length) return undefined;
    return this.items[(this.start + i) % this.items.length];
  }

  last(): T | undefined {
    return this.at(this.items.length - 1);
  }

  toArray(): T[] {
    return this.start === 0 ? this.items.slice() : [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.items.length; i++) yield this.items[(this.start + i) % this.items.length];
  }
}

/** One symbol's signals: the latest, a bounded history, and the marks (call starts) for the chart. */
export class SymbolSignals {
  readonly history: BoundedList<SignalPoint>;
  readonly marks: BoundedList<SignalMark>;
  latest: SignalPoint | null = null;
  /** the call in force after the latest signal */
  call: SignalCall = null;
  /** signals accepted */
  count = 0;
  /** signals refused for being older than the latest */
  outOfOrder = 0;
  /** bumped on every accepted signal */
  version = 0;
  /** bumped when a mark is added */
  marksVersion = 0;

  constructor(
    readonly venue: string,
    readonly symbol: string,
    historySize: number,
    marksSize: number,
  ) {
    this.history = new BoundedList(historySize);
    this.marks = new BoundedList(marksSize);
  }
}

export interface SignalStoreOptions {
  /** signals kept per symbol: 300 is a minute or two at a few per second */
  historySize?: number;
  /** call starts kept per symbol: they outlive the raw history, so the chart shows older calls */
  marksSize?: number;
  rule?: MarkRule;
  nowMs?: () => number;
}

export const signalKey = (venue: string, symbol: string): string => `${venue}\u0000${symbol}`;

/**
 * Model signals and the inference runtime's status, outside React: views poll `version` /
 * `statusVersion` (and a symbol's own versions) from their animation frame. Nothing here, or
 * anywhere that reads it, sends a command: signals are advice.
 */
export class SignalStore {
  readonly symbols = new Map<string, SymbolSignals>();
  status: InferenceStatus | null = null;
  /** local ms when the status last arrived */
  statusReceivedMs = NaN;
  /** bumped on every accepted signal, any symbol */
  version = 0;
  statusVersion = 0;
  /** messages that did not have the contract's shape */
  malformed = 0;

  private readonly historySize: number;
  private readonly marksSize: number;
  private readonly rule: MarkRule;
  private readonly nowMs: () => number;

  constructor(opts: SignalStoreOptions = {}) {
    this.historySize = opts.historySize ?? 300;
    this.marksSize = opts.marksSize ?? 200;
    this.rule = opts.rule ?? DEFAULT_MARK_RULE;
    this.nowMs = opts.nowMs ?? (() => performance.now());
  }

  /** Applies one signal message; false when it was malformed or older than the symbol's latest. */
  onSignal(msg: SignalMessage): boolean {
    if (!isWellFormed(msg)) {
      this.malformed++;
      return false;
    }
    const key = signalKey(msg.venue, msg.symbol);
    let s = this.symbols.get(key);
    if (!s) {
      s = new SymbolSignals(msg.venue, msg.symbol, this.historySize, this.marksSize);
      this.symbols.set(key, s);
    }
    if (s.latest && msg.ts < s.latest.ts) {
      s.outOfOrder++;
      return false;
    }
    const probs: Probs = [msg.probs[0], msg.probs[1], msg.probs[2]];
    const point: SignalPoint = { ts: msg.ts, probs, provider: msg.provider, latencyUs: msg.latencyUs, receivedMs: this.nowMs() };
    s.history.push(point);
    s.latest = point;
    s.count++;
    s.version++;
    const next = nextCall(s.call, probs, this.rule);
    const mark = markFor(s.call, next, msg.ts, probs);
    s.call = next;
    if (mark) {
      s.marks.push(mark);
      s.marksVersion++;
    }
    this.version++;
    return true;
  }

  setStatus(status: InferenceStatus): void {
    this.status = status;
    this.statusReceivedMs = this.nowMs();
    this.statusVersion++;
  }

  of(venue: string, symbol: string): SymbolSignals | undefined {
    return this.symbols.get(signalKey(venue, symbol));
  }

  /** ms since the symbol's latest signal arrived; NaN when none has. */
  ageMs(venue: string, symbol: string): number {
    const latest = this.of(venue, symbol)?.latest;
    return latest ? this.nowMs() - latest.receivedMs : NaN;
  }
}

const prob = (v: unknown): boolean => typeof v === 'number' && v >= 0 && v <= 1;

/** The engine is trusted, but one bad message must not break the panel or the chart. */
function isWellFormed(msg: SignalMessage): boolean {
  const p: unknown = msg.probs;
  return (
    typeof msg.venue === 'string' &&
    typeof msg.symbol === 'string' &&
    Number.isFinite(msg.ts) &&
    Array.isArray(p) &&
    p.length === 3 &&
    p.every(prob) &&
    typeof msg.provider === 'string' &&
    Number.isFinite(msg.latencyUs)
  );
}
