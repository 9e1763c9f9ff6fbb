/**
 * A rig for a live adapter's tests: the adapter on a context that records every report and log
 * call (./recorder.ts), orders submitted the way the desk does, restarts on the same venue.
 */
import type { OrderRequestInput } from '../../../../shared/trading';
import type { ExecutionVenue } from '../../execution';
import type { LiveAdapterContext } from '../../live';
import type { Order } from '../../order';
import { recorder, type Recorder } from './recorder';
import { waitFor } from './wait';

export interface LiveRig<V extends ExecutionVenue, O> extends Recorder {
  ctx: LiveAdapterContext;
  venue: V;
  submit(input?: Partial<OrderRequestInput>): Order;
  /**
   * Resolves once the adapter's private stream has been live again since the last restart, or,
   * given `n`, once it has been live `n` times in all.
   */
  live(n?: number): Promise<void>;
  /** a new adapter on the same venue and credentials, as after a restart */
  restart(options?: O): V;
  close(): Promise<void>;
}

export interface LiveRigSpec<V extends ExecutionVenue, O> {
  venue: string;
  settings: Record<string, unknown>;
  credentials: LiveAdapterContext['credentials'];
  precision: LiveAdapterContext['precision'];
  make(ctx: LiveAdapterContext, options?: O): V;
  order(input?: Partial<OrderRequestInput>): Order;
  /** the log line that says the private stream is live */
  liveLog: RegExp;
  /** "the user stream", … for timeouts */
  stream: string;
  /** closes what the rig started (its own mock) */
  close?(): Promise<void>;
}

export function liveRig<V extends ExecutionVenue, O>(spec: LiveRigSpec<V, O>): LiveRig<V, O> {
  const rec = recorder();
  const ctx: LiveAdapterContext = {
    venue: spec.venue, settings: spec.settings, credentials: spec.credentials, report: rec.report, log: rec.log, now: Date.now, precision: spec.precision,
  };
  const venues: V[] = [];
  const make = (options?: O) => {
    const v = spec.make(ctx, options);
    venues.push(v);
    return v;
  };
  const lives = () => rec.logs.filter((l) => spec.liveLog.test(l.msg)).length;
  let liveBefore = 0;
  const rig: LiveRig<V, O> = {
    ...rec,
    ctx,
    venue: make(),
    submit(input) {
      const o = spec.order(input);
      rec.orders.set(o.id, o);
      rig.venue.submit(o);
      return o;
    },
    live: (n) => waitFor(() => (n === undefined ? lives() > liveBefore : lives() >= n), `${spec.stream} to be live`),
    restart(options) {
      liveBefore = lives();
      rig.venue.stop();
      rig.venue = make(options);
      return rig.venue;
    },
    async close() {
      for (const v of venues) v.stop();
      await spec.close?.();
    },
  };
  return rig;
}
