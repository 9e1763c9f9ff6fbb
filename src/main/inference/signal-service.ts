/**
 * Signals beside the books: each book update feeds that book's FeatureState; a scheduler runs
 * the model for books that changed, at most every `minIntervalMs` each, batched across symbols,
 * with at most one batch in flight — so a burst never builds a queue (the latest features win:
 * they are computed when the batch is sent, not when the update came). Results go to every
 * client as advice; nothing here can place an order.
 */
import * as hdr from 'hdr-histogram-js';
import type { InferenceStatus, SignalMessage } from '../../shared/signals';
import type { MarketBook } from '../market/market-book';
import { log } from '../telemetry/log';
import { FEATURE_NAMES, FeatureState } from './features';
import { InferenceHost } from './inference-host';
import type { ProviderChoice } from './providers';

export interface SignalOptions {
  modelPath: string;
  provider: ProviderChoice;
  force: boolean;
  minIntervalMs: number;
  /** the model's metadata (feature names, horizon, …), read before any worker starts */
  metadata: ModelInfo;
  broadcast(message: SignalMessage): void;
}

export interface ModelInfo {
  featureNames: string[];
  horizonMs: number;
  classes: string[];
  trainedAt: string | null;
}

interface Tracked {
  book: MarketBook;
  features: FeatureState;
  /** performance.now() of the first book update not yet turned into a signal, or NaN */
  dirtySince: number;
  /** performance.now() of the newest book update */
  lastUpdate: number;
  lastRun: number;
}

/** Refuses a model trained on other features: the message names the difference. */
export function checkFeatures(model: readonly string[], engine: readonly string[] = FEATURE_NAMES): void {
  if (model.length === engine.length && model.every((f, i) => f === engine[i])) return;
  const missing = engine.filter((f) => !model.includes(f));
  const extra = model.filter((f) => !engine.includes(f));
  const detail = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `unknown ${extra.join(', ')}` : '', !missing.length && !extra.length ? 'same names in another order' : '']
    .filter(Boolean)
    .join('; ');
  throw new Error(`the model's feature list does not match the engine's (${detail}): model [${model.join(', ')}], engine [${engine.join(', ')}]`);
}

export class SignalService {
  private readonly tracked = new Map<MarketBook, Tracked>();
  private host: InferenceHost | null = null;
  private timer: NodeJS.Timeout | undefined;
  private inFlight = false;
  private readonly width = FEATURE_NAMES.length;
  private readonly latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 2 });
  readonly status: InferenceStatus;

  constructor(private readonly opts: SignalOptions) {
    this.status = {
      enabled: false, provider: null, requested: opts.force ? `${opts.provider} (forced)` : opts.provider, skipped: [],
      model: { path: opts.modelPath, ...opts.metadata }, error: null, runs: 0, batches: 0, latencyP50Us: 0, latencyP99Us: 0,
    };
  }

  /** Starts the worker; on failure inference stays off and the status says why (the engine goes on). */
  async start(): Promise<void> {
    try {
      checkFeatures(this.opts.metadata.featureNames);
      this.host = new InferenceHost(this.opts.modelPath, this.opts.provider, this.opts.force);
      await this.host.ready;
      this.status.enabled = true;
      this.status.provider = this.host.provider;
      this.status.skipped = this.host.skipped;
      this.timer = setInterval(() => this.tick(), Math.max(1, Math.floor(this.opts.minIntervalMs / 2)));
      log.info({ provider: this.host.provider, skipped: this.host.skipped }, `inference on ${this.host.provider}`);
    } catch (err) {
      this.status.error = (err as Error).message;
      log.error(`inference is off: ${this.status.error}`);
      await this.host?.stop();
      this.host = null;
    }
  }

  onBook(book: MarketBook, nowMs: number): void {
    if (!this.status.enabled) return;
    let t = this.tracked.get(book);
    if (!t) this.tracked.set(book, (t = { book, features: new FeatureState(), dirtySince: NaN, lastUpdate: NaN, lastRun: 0 }));
    t.features.onBook(book.book, nowMs);
    t.lastUpdate = performance.now();
    if (Number.isNaN(t.dirtySince)) t.dirtySince = t.lastUpdate;
  }

  onTrade(book: MarketBook, priceTicks: number, lots: number, aggressor: 0 | 1, nowMs: number): void {
    this.tracked.get(book)?.features.onTrade(priceTicks, lots, aggressor, nowMs);
  }

  private tick(): void {
    if (this.inFlight || !this.host) return;
    const now = performance.now();
    const due: Tracked[] = [];
    for (const t of this.tracked.values()) {
      if (!Number.isNaN(t.dirtySince) && !t.book.stale && now - t.lastRun >= this.opts.minIntervalMs) due.push(t);
    }
    if (due.length === 0) return;
    const batch = new Float32Array(due.length * this.width);
    const ready: Tracked[] = [];
    const wallMs = Date.now();
    for (const t of due) {
      if (t.features.compute(batch.subarray(ready.length * this.width, (ready.length + 1) * this.width), wallMs)) ready.push(t);
      else t.dirtySince = NaN; // not enough history yet
    }
    if (ready.length === 0) return;
    // latency is measured from the newest update the features include: how old the advice is
    const since = ready.map((t) => t.lastUpdate);
    for (const t of ready) {
      t.lastRun = now;
      t.dirtySince = NaN;
    }
    this.inFlight = true;
    const rows = batch.slice(0, ready.length * this.width);
    this.host.run(rows, ready.length, this.width).then(
      ({ probs }) => {
        const done = performance.now();
        this.status.batches++;
        ready.forEach((t, i) => {
          const latencyUs = Math.max(1, Math.round((done - since[i]!) * 1000));
          this.latency.recordValue(latencyUs);
          this.status.runs++;
          this.opts.broadcast({
            type: 'signal', venue: t.book.venue, symbol: t.book.symbol, ts: wallMs,
            probs: [probs[i * 3]!, probs[i * 3 + 1]!, probs[i * 3 + 2]!], provider: this.status.provider ?? '?', latencyUs,
          });
        });
      },
      (err: Error) => {
        this.status.error = `inference run failed: ${err.message}`;
        log.error(this.status.error);
      },
    ).finally(() => {
      this.inFlight = false;
    });
  }

  /** Current status; with `rollWindow`, latency percentiles are recomputed over the runs since the last roll. */
  snapshot(rollWindow = false): InferenceStatus {
    if (rollWindow && this.latency.totalCount > 0) {
      this.status.latencyP50Us = this.latency.getValueAtPercentile(50);
      this.status.latencyP99Us = this.latency.getValueAtPercentile(99);
      this.latency.reset();
    }
    return { ...this.status, skipped: [...this.status.skipped] };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    const host = this.host;
    this.host = null;
    this.status.enabled = false;
    await host?.stop();
  }
}
