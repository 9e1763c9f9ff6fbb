/**
 * What every live adapter does the same way, whatever its venue: the orders it tracks by client
 * order id, reports (an order's report times never run backwards; a report the desk refuses is
 * logged, never thrown into the venue's code), cancel before the venue has the order, restore,
 * the placement loop that never resends blindly, and fills reported once each, in order, beyond
 * what the journal already holds.
 */
import type { ExecutionReport, ExecutionVenue } from '../execution';
import type { LiveAdapterContext } from '../live';
import type { Order } from '../order';
import { sleep, type LiveLog } from './adapter-context';
import { OrderSync } from './order-sync';

export interface TrackedBase {
  order: Order;
  acked: boolean;
  /** lots the journal already held as filled when tracking began (restore) */
  baselineLots: number;
  /** baseline + lots reported since */
  reportedLots: number;
  placing: boolean;
  cancelWanted: boolean;
  cancelSent: boolean;
  done: boolean;
  /** time of the last report, when the adapter keeps an order's times from running backwards */
  lastAt?: number;
}

/**
 * The shared fields of a newly tracked order: `baselineLots` is what the journal already holds as
 * filled (0 for an order placed now), `acked` whether the venue acknowledged it before (restore).
 */
export function trackedBase(order: Order, baselineLots: number, acked: boolean): TrackedBase {
  return { order, acked, baselineLots, reportedLots: baselineLots, placing: false, cancelWanted: false, cancelSent: false, done: false };
}

export interface LiveCoreOptions<T> {
  ctx: LiveAdapterContext;
  /** the venue's name at the start of log lines */
  venue: string;
  /** defaults to ctx.log */
  log?: LiveLog;
  /** applied to every report reason */
  redact?: (text: string) => string;
  /** starts tracking an order this process did not place (restored from the journal) */
  adopt(order: Order): T;
  /** drops whatever else refers to a finished order (venue id indexes, timers) */
  forget(t: T): void;
  /** the cancel can go out now (the venue has the order) */
  cancelReady(t: T): boolean;
  sendCancel(t: T): void;
  /** logged when a cancel has to wait for the venue to have the order */
  cancelDeferred: string;
}

export class LiveCore<T extends TrackedBase> {
  stopped = false;
  readonly byClient = new Map<string, T>();
  readonly log: LiveLog;
  readonly venue: string;

  constructor(private readonly o: LiveCoreOptions<T>) {
    this.log = o.log ?? ((level, msg, fields) => o.ctx.log(level, msg, fields));
    this.venue = o.venue;
  }

  get size(): number {
    return this.byClient.size;
  }

  /** Not stopped, and the client order id is not tracked yet (one client order id, one order). */
  isNew(order: Order): boolean {
    return !this.stopped && !this.byClient.has(order.id);
  }

  add(t: T): T {
    this.byClient.set(t.order.id, t);
    return t;
  }

  restore(order: Order): void {
    if (this.isNew(order)) this.o.adopt(order);
  }

  cancel(order: Order): void {
    if (this.stopped) return;
    const t = this.byClient.get(order.id) ?? this.o.adopt(order);
    if (t.done) return;
    t.cancelWanted = true;
    if (this.o.cancelReady(t)) this.o.sendCancel(t);
    else this.log('info', `${this.o.venue}: ${this.o.cancelDeferred}`, { clientOrderId: order.id });
  }

  /** Marks the adapter stopped; false if it already was. */
  stop(): boolean {
    if (this.stopped) return false;
    this.stopped = true;
    return true;
  }

  /**
   * Reports stamped never earlier than the order's previous report: a fill carries the venue's
   * trade time, which can precede our local ack by the clock difference and the round trip.
   */
  emit(r: ExecutionReport, t?: TrackedBase): void {
    if (this.stopped) return;
    if (t?.lastAt !== undefined) {
      r.at = Math.max(r.at, t.lastAt);
      t.lastAt = r.at;
    }
    const out = this.o.redact && 'reason' in r ? { ...r, reason: this.o.redact(r.reason) } : r;
    try {
      this.o.ctx.report(out);
    } catch (err) {
      this.log('error', `${this.o.venue}: report not accepted: ${(err as Error).message}`, { clientOrderId: r.clientOrderId });
    }
  }

  /**
   * The venue has the order: its ack is reported once (never for a finished order), and a cancel
   * that waited for the venue to have it goes out now. The caller records the venue's id first.
   */
  acknowledge(t: T, venueOrderId: string): void {
    if (t.acked || t.done) return;
    t.acked = true;
    this.emit({ type: 'ack', clientOrderId: t.order.id, venueOrderId, at: this.o.ctx.now() }, t);
    if (t.cancelWanted) this.o.sendCancel(t);
  }

  /** The order's final report; nothing more is reported for it. */
  finish(t: T, r: ExecutionReport): void {
    if (t.done) return;
    this.emit(r, t);
    this.untrack(t);
  }

  untrack(t: T): void {
    t.done = true;
    this.byClient.delete(t.order.id);
    this.o.forget(t);
  }
}

/**
 * The execution-venue face every live adapter shares: cancel and restore go through the core,
 * the resting count is what it tracks, and stop happens once (then `shutdown` closes the
 * adapter's own connections and timers).
 */
export abstract class LiveVenue<T extends TrackedBase> implements ExecutionVenue {
  readonly mode = 'live' as const;
  protected abstract readonly core: LiveCore<T>;

  abstract submit(order: Order): void;
  /** called once, from the first stop() */
  protected abstract shutdown(): void;

  get restingCount(): number {
    return this.core.size;
  }

  cancel(order: Order): void {
    this.core.cancel(order);
  }

  restore(order: Order): void {
    this.core.restore(order);
  }

  stop(): void {
    if (this.core.stop()) this.shutdown();
  }
}

/** What the shared steps need of an adapter's core. */
export interface Adapter {
  readonly stopped: boolean;
  readonly venue: string;
  readonly log: LiveLog;
}

export interface SyncSteps {
  /** one read of the order at the venue */
  read(): Promise<void>;
  retries: number;
  retryMs: number;
  isStopError(err: unknown): boolean;
  /** an error in a log line (default: its message) */
  describe?(err: unknown): string;
}

/** The coalesced re-read of one tracked order (./order-sync.ts), logging as the adapter. */
export function orderSync(core: Adapter, t: TrackedBase, s: SyncSteps): OrderSync {
  return new OrderSync({
    read: s.read,
    active: () => !t.done && !core.stopped,
    failed: (err) => {
      if (s.isStopError(err)) return;
      const why = s.describe ? s.describe(err) : (err as Error).message;
      core.log('warn', `${core.venue}: reading the order failed: ${why}; the next reconciliation tries again`, { clientOrderId: t.order.id });
    },
    retries: s.retries,
    retryMs: s.retryMs,
    unsettled: (why) => core.log('warn', `${core.venue}: order not settled (${why}); the next reconciliation tries again`, { clientOrderId: t.order.id }),
  });
}

/** What a send that failed means: reported and over, not processed (send again), or outcome unknown. */
export type SendFailure = 'stop' | 'resend' | 'doubt';

export interface PlacementSteps<A> {
  /** sends of one order in all, the same client order id each time */
  attempts: number;
  send(attempt: number): Promise<A>;
  failed(err: unknown, attempt: number): SendFailure | Promise<SendFailure>;
  /** after a doubt, asks the venue: true once the order is settled here (found, seen on the stream, or stopped), false to send it again */
  resolve(): Promise<boolean>;
  answered(answer: A): void | Promise<void>;
  /** every send used and the venue has no such order */
  exhausted(): void;
}

/**
 * Placement: one attempt per send, never a blind resend. An answer is final; a send that was not
 * processed goes again; an unknown outcome is resolved by asking the venue for the order by its
 * client order id, and only a confirmed "no such order" lets it go again.
 */
export async function place<A>(core: Adapter, t: TrackedBase, s: PlacementSteps<A>): Promise<void> {
  const active = () => !core.stopped && !t.done;
  t.placing = true;
  try {
    for (let attempt = 1; attempt <= s.attempts && active(); attempt++) {
      let answer: A;
      try {
        answer = await s.send(attempt);
      } catch (err) {
        const what = await s.failed(err, attempt);
        if (what === 'stop') return;
        if (what === 'doubt' && (await s.resolve())) return;
        continue;
      }
      await s.answered(answer);
      return;
    }
    if (active() && !t.acked) s.exhausted();
  } finally {
    t.placing = false;
  }
}

export interface LookupOptions<F> {
  /** wait before the first lookup */
  delayMs: number;
  /** "no such order" answers needed before the order counts as absent */
  confirmations: number;
  backoffMaxMs: number;
  find(): Promise<F | null>;
  isStopError(err: unknown): boolean;
  failed(err: unknown): void;
}

/**
 * After a placement without a clear answer: the venue's order with our client id, null once the
 * venue has said "none" `confirmations` times, 'acked' when the stream reported it meanwhile.
 * Lookups that fail are repeated with backoff for as long as it takes: the truth is what matters.
 */
export async function lookUpAfterDoubt<F>(core: Adapter, t: TrackedBase, o: LookupOptions<F>): Promise<F | null | 'acked' | 'stopped'> {
  let absent = 0;
  let delay = o.delayMs;
  while (!core.stopped) {
    await sleep(delay);
    if (core.stopped) break;
    if (t.acked) return 'acked';
    try {
      const found = await o.find();
      if (found) return found;
      if (++absent >= o.confirmations) return null;
    } catch (err) {
      if (o.isStopError(err)) break;
      o.failed(err);
      delay = Math.min(delay * 2, o.backoffMaxMs);
    }
  }
  return 'stopped';
}

export interface FillsState {
  order: Order;
  baselineLots: number;
  reportedLots: number;
  fillIds: Set<string>;
}

/**
 * The order's fills as the venue lists them, oldest first, and the lots of each to report: every
 * fill once (by id); for a restored order only the lots beyond the journal's baseline; never more
 * than the order's quantity. `reportedLots` is counted as they are taken.
 */
export function* newFills<F>(t: FillsState, fills: Iterable<{ id: string; lots: number; fill: F }>): Generator<{ id: string; lots: number; fill: F }> {
  let running = 0;
  for (const { id, lots, fill } of fills) {
    if (!(lots > 0)) continue;
    const before = running;
    running += lots;
    if (t.fillIds.has(id)) continue;
    t.fillIds.add(id);
    if (running <= t.baselineLots) continue; // the journal has it already (restored order)
    const n = Math.min(before < t.baselineLots ? running - t.baselineLots : lots, t.order.lots - t.reportedLots);
    if (n <= 0) continue;
    t.reportedLots += n;
    yield { id, lots: n, fill };
  }
}

/**
 * An order re-read by the venue's own id must first have one: look it up by client order id.
 * True when the caller may read it now; false when it finished, when the stream named it
 * meanwhile (a new read is queued), or when the venue has no such order (then, unless it is
 * still being placed, it is expired).
 */
export async function ensureVenueId<T extends TrackedBase, F>(
  core: LiveCore<T>,
  t: T & { sync: { again(): void } },
  s: { hasId(): boolean; find(): Promise<F | null | undefined>; adopt(found: F): void; now(): number },
): Promise<boolean> {
  if (s.hasId()) return true;
  const found = await s.find();
  if (t.done) return false;
  if (s.hasId()) {
    t.sync.again();
    return false;
  }
  if (!found) {
    if (!t.placing) core.finish(t, { type: 'expired', clientOrderId: t.order.id, reason: 'the venue has no such order', at: s.now() });
    return false;
  }
  s.adopt(found);
  return true;
}
