/**
 * The engine: one collector per venue connection, the engine's books, and the publisher that
 * feeds every attached renderer. Plain Node; both shells (web, Electron) attach to it through
 * ClientLink.
 */
import { CollectorHost } from './collectors/collector-host';
import type { VenueKind } from './collectors/messages';
import type { PulseConfig } from './config';
import { parseVenueSettings, venueDescriptor } from './venues/registry';
import type { MarketBook } from './market/market-book';
import { Publisher } from './publisher/publisher';
import type { ClientLink } from './publisher/client-link';
import type { ClientSession } from './publisher/client-session';
import { encodeVenueStatus } from '../shared/frame-codec';
import { VENUE_STATE_NAMES, VenueState, type FrameWriter, type VenueStateName } from '../shared/frames';
import type { VenueInfo } from '../shared/protocol';
import { nowMicros } from '../shared/units';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TradingDesk } from './trading/desk';
import type { TradeSink } from './collectors/collector-host';
import { log } from './telemetry/log';
import { ConfigError } from './config';
import { FileCredentialStore, type CredentialMap } from './credentials/file-store';
import { LIVE_ADAPTERS } from './trading/live';
import type { LiveExecutionFactory } from './trading/execution';
import { SignalService } from './inference/signal-service';
import { readModelInfo } from './inference/model-info';
import type { InferenceStatus } from '../shared/signals';
import { isAbsolute } from 'node:path';
import { appFile } from './desktop-launch';
import { Recorder, type RecordingStatus } from './recording/recorder';
import type { ReplayCommand, ReplayStatus } from '../shared/protocol';
import { ArbitrageService } from './arbitrage/arbitrage-service';
import { Telemetry } from './telemetry/telemetry';
import { startMetricsServer, type MetricsServer } from './telemetry/metrics-server';
import { aboutInfo } from './about';
import { ShmTap } from './shm/shm-tap';
import { shmSummary, type ShmStatus } from './shm/status';
import type { AboutInfo } from '../shared/about';

export interface EngineOptions {
  /** where live venues' keys come from (the desktop shell passes its safeStorage store) */
  credentials?: () => CredentialMap;
  /** the config file the engine was started with (shown in the About panel) */
  configPath?: string | null;
}

/** The web shell's credentials: the encrypted file, opened with PULSE_PASSPHRASE. */
function fileCredentials(dataDir: string): CredentialMap {
  const passphrase = process.env.PULSE_PASSPHRASE;
  if (!passphrase) throw new ConfigError('trading.live names venues but PULSE_PASSPHRASE is not set to open their credentials');
  return new FileCredentialStore(join(dataDir, 'credentials.enc'), passphrase).read();
}

export const ENGINE_NAME = 'pulse-engine/0.1';

/** How long start() waits for venues to declare their instruments before serving anyway. */
const INSTRUMENTS_WAIT_MS = 5000;

export interface VenueStatusView {
  id: string;
  kind: VenueKind;
  state: VenueStateName;
  stateReason: string;
  symbols: string[];
  msgsPerSec: number;
  latencyP50Us: number;
  latencyP99Us: number;
  counters: CollectorHost['counters'];
  staleBooks: string[];
  lastError: { code: string; message: string } | null;
  /** `--record`: the recorder's state (one recorder for all venues) */
  recording?: RecordingStatus;
  /** replay venues: position, speed, paused */
  replay?: ReplayStatus;
}

export class Engine {
  readonly hosts: CollectorHost[];
  readonly publisher: Publisher;
  readonly desk: TradingDesk;
  readonly arbitrage: ArbitrageService;
  signals: SignalService | null = null;
  readonly recorder: Recorder | null;
  /** `--shm`: records copied to shared memory for other processes (off unless `shm.enabled`) */
  readonly shm: ShmTap;
  /** metrics (GET /metrics) and the perf message */
  readonly telemetry: Telemetry;
  /** the `metrics.port` listener, when configured */
  metricsServer: MetricsServer | null = null;
  private inferenceOff: string | null = null;
  private readonly latencies = new Map<CollectorHost, { p50: number; p99: number }>();

  private venuesChanged: NodeJS.Timeout | undefined;
  private readonly startedAt = new Date();

  private constructor(readonly config: PulseConfig, private readonly options: EngineOptions = {}) {
    // Validate every venue's settings before any worker starts: a bad field fails fast, by name.
    const specs = config.enabled.map((id) => {
      const d = venueDescriptor(id);
      const raw = d.kind === 'simulator' ? { ...config.simulator, ...config.venues[id] } : config.venues[id];
      return { d, settings: parseVenueSettings(id, raw) };
    });
    mkdirSync(config.dataDir, { recursive: true });
    const live = this.liveFactory(config, options, specs.map((x, i) => [config.enabled[i]!, x.settings] as const));
    this.telemetry = new Telemetry(this);
    this.desk = new TradingDesk({
      live,
      metrics: this.telemetry,
      journalPath: join(config.dataDir, 'journal.ndjson'),
      limits: config.trading.risk,
      fees: config.trading.paper,
      findBook: (v, s) => this.findBook(v, s),
      broadcast: (event) => {
        for (const s of this.publisher.sessions) s.link.sendControl(event);
      },
    });
    this.arbitrage = new ArbitrageService({
      config: config.arbitrage,
      books: () => this.books(),
      venueLive: (venue) => this.host(venue)?.state === 'live',
      clients: () => this.publisher.sessions,
      onAlert: (a) => log.info({ arbitrage: a }, `arbitrage: buy ${a.symbol} on ${a.buyVenue}, sell on ${a.sellVenue}: ${a.netBps.toFixed(2)} bps net over ${a.size}`),
    });
    this.publisher = new Publisher({
      afterFlush: () => {
        this.desk.onBooks();
        this.arbitrage.onFrame();
      },
      onTradingCommand: (command, session) => {
        let result;
        try {
          result = this.desk.handle(command, session.role);
        } catch (err) {
          log.error({ err }, `trading command ${command.type} failed`);
          result = { ok: false as const, code: 'internal', message: `${command.type} failed: ${(err as Error).message}` };
        }
        if (!result.ok) {
          const clientOrderId = command.type === 'place-order' ? command.order.clientOrderId : 'clientOrderId' in command ? command.clientOrderId : undefined;
          session.link.sendControl({ type: 'error', code: result.code, message: result.message, clientOrderId });
        }
      },
      about: () => this.about(),
      onReplayCommand: (command, session) => {
        const result = this.replayControl(command);
        if (!result.ok) session.link.sendControl({ type: 'error', code: 'replay', message: result.message });
      },
      frameIntervalMs: config.frameIntervalMs,
      metrics: this.telemetry,
      maxBacklogBytes: config.maxClientBacklogBytes,
      findBook: (v, s) => this.findBook(v, s),
      books: () => this.books(),
      onConnect: (session) => {
        session.link.sendControl({ type: 'hello', engine: ENGINE_NAME, frameIntervalMs: config.frameIntervalMs, venues: this.venueInfos(), role: session.role });
        session.link.sendControl(this.desk.snapshot());
        session.link.sendControl({ type: 'inference', status: this.inferenceStatus() });
        if (this.hosts.some((h) => h.kind === 'replay')) session.link.sendControl({ type: 'replay', venues: this.replayStatus() });
        session.link.sendControl(this.arbitrage.message());
      },
      statusFrames: (w) => this.statusFrames(w),
    });
    this.recorder = config.record
      ? new Recorder({
          dir: config.record.dir,
          maxFileBytes: config.record.maxFileMB * 1024 * 1024,
          rotateHourly: config.record.rotateHourly,
          batchRows: config.record.batchRows,
          flushMs: config.record.flushMs,
          venues: config.enabled.map((id, i) => ({ id, kind: specs[i]!.d.kind })),
        })
      : null;
    this.shm = new ShmTap({ config: config.shm, venues: config.enabled, books: (v) => this.hosts[v]?.books ?? [], name: ENGINE_NAME });
    if (config.shm.enabled) {
      const s = this.shm.status();
      if (s.state === 'running') log.info(`shared-memory tap on ${s.path}`);
      else log.warn(`pulse: shared-memory tap disabled: ${s.reason}`);
    }
    this.hosts = config.enabled.map(
      (venue, venueIndex) =>
        new CollectorHost({
          venue,
          venueIndex,
          kind: specs[venueIndex]!.d.kind,
          feed: specs[venueIndex]!.d.feed,
          symbols: config.symbols,
          settings: specs[venueIndex]!.settings,
          bookSlots: config.rings.bookSlots,
          tradeSlots: config.rings.tradeSlots,
          trades: this.tradeSink,
          onChange: () => this.announceVenues(),
          onBookUpdate: (book) => this.signals?.onBook(book, Date.now()),
          recorder: this.recorder ?? undefined,
          shm: this.shm.running ? this.shm : undefined,
          onReplay: () => this.announceReplay(),
        }),
    );
  }

  /** Live execution for the venues in trading.live; fails fast when a venue has no adapter or no keys. */
  private liveFactory(config: PulseConfig, options: EngineOptions, settings: ReadonlyArray<readonly [string, Record<string, unknown>]>): LiveExecutionFactory | undefined {
    if (config.trading.live.length === 0) return undefined;
    const creds = (options.credentials ?? (() => fileCredentials(config.dataDir)))();
    for (const venue of config.trading.live) {
      if (!config.enabled.includes(venue)) throw new ConfigError(`trading.live names ${venue}, which is not among the enabled venues`);
      if (!LIVE_ADAPTERS[venue]) throw new ConfigError(`trading.live: ${venue} has no live adapter (it trades on paper only)`);
      if (!creds[venue]) throw new ConfigError(`trading.live: no credentials stored for ${venue}; add them with \`pulse credentials add ${venue}\``);
    }
    return (venue, report) => {
      if (!config.trading.live.includes(venue)) return undefined;
      return LIVE_ADAPTERS[venue]!({
        venue,
        settings: settings.find(([v]) => v === venue)![1],
        credentials: creds[venue]!,
        report,
        log: (level, msg, fields) => log[level]({ venue, ...fields }, msg),
        now: Date.now,
        precision: (symbol) => this.findBook(venue, symbol)?.precision,
      });
    };
  }

  /** Trades go to the publisher (tape, charts) and the desk (paper fills). */
  private get tradeSink(): TradeSink {
    return {
      onTrade: (book, exchangeTs, price, qty, tradeId, aggressor) => {
        this.publisher.onTrade(book, exchangeTs, price, qty, tradeId, aggressor);
        this.desk.onTrade(book, price, qty, aggressor);
        this.signals?.onTrade(book, price, qty, aggressor, Date.now());
      },
    };
  }

  /**
   * Starts every collector and waits (a few seconds at most) until each has declared its
   * instruments. A venue that cannot be reached does not hold the terminal up: it shows as
   * connecting, stale or breaker-open and joins when it can.
   */
  static async start(config: PulseConfig, options: EngineOptions = {}): Promise<Engine> {
    const engine = new Engine(config, options);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, INSTRUMENTS_WAIT_MS)));
    await Promise.race([Promise.allSettled(engine.hosts.map((h) => h.instrumentsKnown)), timeout]);
    clearTimeout(timer);
    try {
      try {
        engine.desk.openVenues(config.trading.live);
      } catch (err) {
        throw new ConfigError(`live trading could not start: ${(err as Error).message}`);
      }
      engine.desk.start();
      if (config.metrics.port !== undefined) {
        try {
          engine.metricsServer = await startMetricsServer(engine.telemetry, config.metrics.port);
        } catch (err) {
          throw new ConfigError(`metrics.port ${config.metrics.port}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        }
      }
    } catch (err) {
      await engine.stop();
      throw err;
    }
    await engine.startSignals();
    engine.telemetry.start();
    engine.publisher.start();
    return engine;
  }

  /** The signal model, if enabled and present; a model that cannot run leaves inference off, said plainly. */
  private async startSignals(): Promise<void> {
    const cfg = this.config.inference;
    if (!cfg.enabled) {
      this.inferenceOff = 'inference is disabled in the config';
      return;
    }
    const modelPath = isAbsolute(cfg.model) ? cfg.model : appFile(cfg.model);
    let metadata;
    try {
      metadata = readModelInfo(modelPath);
    } catch (err) {
      this.inferenceOff = (err as Error).message;
      log.error(`inference is off: ${this.inferenceOff}`);
      return;
    }
    this.signals = new SignalService({
      modelPath, provider: cfg.provider, force: cfg.force, minIntervalMs: cfg.minIntervalMs, metadata,
      broadcast: (m) => {
        for (const s of this.publisher.sessions) s.link.sendControl(m);
      },
    });
    await this.signals.start();
  }

  about(): AboutInfo {
    return aboutInfo({
      configPath: this.options.configPath ?? null,
      dataDir: this.config.dataDir,
      inference: this.inferenceStatus(),
      shmTap: shmSummary(this.shmStatus()),
      startedAt: this.startedAt,
    });
  }

  /** The shared-memory tap: state, path, records written, readers and their lag (GET /api/v1/shm, About panel). */
  shmStatus(): ShmStatus {
    return this.shm.status();
  }

  inferenceStatus(): InferenceStatus {
    if (this.signals) return this.signals.snapshot();
    return {
      enabled: false, provider: null, requested: this.config.inference.provider, skipped: [], model: null,
      error: this.inferenceOff, runs: 0, batches: 0, latencyP50Us: 0, latencyP99Us: 0,
    };
  }

  /** Tells every client the venue list changed (instruments declared, state changed), at most every 250 ms. */
  private announceVenues(): void {
    if (this.venuesChanged) return;
    this.venuesChanged = setTimeout(() => {
      this.venuesChanged = undefined;
      const message = { type: 'venues' as const, venues: this.venueInfos() };
      for (const s of this.publisher.sessions) s.link.sendControl(message);
    }, 250);
  }

  *books(): Generator<MarketBook> {
    for (const h of this.hosts) yield* h.books;
  }

  host(venue: string): CollectorHost | undefined {
    return this.hosts.find((h) => h.venue === venue);
  }

  findBook(venue: string, symbol: string): MarketBook | undefined {
    return this.host(venue)?.bookOf(symbol);
  }

  attach(link: ClientLink, role: 'trader' | 'risk' = 'trader'): ClientSession {
    return this.publisher.attach(link, role);
  }

  venueInfos(): VenueInfo[] {
    return this.hosts.map((h) => ({
      id: h.venue, kind: h.kind, execution: this.config.trading.live.includes(h.venue) ? ('live' as const) : ('paper' as const),
      state: this.stateOf(h), symbols: h.symbols, instruments: h.instruments,
    }));
  }

  venueStatus(): VenueStatusView[] {
    return this.hosts.map((h) => ({
      id: h.venue,
      kind: h.kind,
      state: this.stateOf(h),
      stateReason: h.stateReason,
      symbols: h.symbols,
      msgsPerSec: Math.round(h.msgsPerSec),
      latencyP50Us: this.latencies.get(h)?.p50 ?? 0,
      latencyP99Us: this.latencies.get(h)?.p99 ?? 0,
      counters: { ...h.counters, gaps: h.counters.gaps + h.books.reduce((n, b) => n + b.gaps, 0) },
      staleBooks: h.books.filter((b) => b.stale).map((b) => b.symbol),
      lastError: h.lastError,
      ...(this.recorder ? { recording: this.recorder.status } : {}),
      ...(h.replay ? { replay: h.replay } : {}),
    }));
  }

  /** Pause / resume / seek / speed of one replay venue, or of all when none is named. */
  replayControl(command: ReplayCommand): { ok: true } | { ok: false; message: string } {
    const targets = this.hosts.filter((h) => h.kind === 'replay' && (command.venue === undefined || h.venue === command.venue));
    if (targets.length === 0) return { ok: false, message: command.venue ? `${command.venue} is not a replay venue` : 'no replay venue is running' };
    for (const h of targets) h.send({ type: 'replay', command });
    return { ok: true };
  }

  replayStatus(): ReplayStatus[] {
    return this.hosts.flatMap((h) => (h.replay ? [h.replay] : []));
  }

  private replayAnnounced: NodeJS.Timeout | undefined;
  /** Replay position goes to every client, at most every 100 ms. */
  private announceReplay(): void {
    if (this.replayAnnounced) return;
    this.replayAnnounced = setTimeout(() => {
      this.replayAnnounced = undefined;
      const message = { type: 'replay' as const, venues: this.replayStatus() };
      for (const s of this.publisher.sessions) s.link.sendControl(message);
    }, 100);
  }

  /** A venue is live only while the collector is live and every one of its books is exact. */
  stateOf(h: CollectorHost): VenueStateName {
    if (h.state !== 'live') return h.state;
    return h.books.some((b) => b.stale) ? 'resyncing' : 'live';
  }

  readiness(): { ready: boolean; reasons: string[] } {
    const reasons: string[] = [];
    for (const h of this.hosts) {
      const state = this.stateOf(h);
      if (state === 'live' && h.books.length > 0) continue;
      const stale = h.books.filter((b) => b.stale).map((b) => `${b.symbol} (${b.staleReason})`);
      reasons.push(`${h.venue} is ${state}${stale.length ? `: ${stale.join(', ')}` : ''}`);
    }
    return { ready: reasons.length === 0, reasons };
  }

  private statusFrames(w: FrameWriter): ArrayBuffer[] {
    this.desk.broadcastMarks();
    if (this.signals) {
      const message = { type: 'inference' as const, status: this.signals.snapshot(true) };
      for (const s of this.publisher.sessions) s.link.sendControl(message);
    }
    const now = nowMicros();
    return this.hosts.map((h) => {
      const p50 = h.latency.getValueAtPercentile(50);
      const p99 = h.latency.getValueAtPercentile(99);
      if (h.latency.totalCount > 0) this.latencies.set(h, { p50, p99 });
      this.telemetry.exchangeLatency(h.venue, h.latency);
      h.latency.reset();
      const state = VENUE_STATE_NAMES.indexOf(this.stateOf(h)) as VenueState;
      const c = h.counters;
      const lat = this.latencies.get(h);
      return encodeVenueStatus(w, h.venue, now, state, {
        msgsPerSec: h.msgsPerSec,
        updates: c.updates,
        trades: c.trades,
        gaps: c.gaps + h.books.reduce((n, b) => n + b.gaps, 0),
        resyncs: c.resyncs,
        overflows: c.overflows,
        reconnects: c.reconnects,
        checksumFailures: c.checksumFailures,
        badMessages: c.badMessages,
        latencyP50Us: lat?.p50 ?? 0,
        latencyP99Us: lat?.p99 ?? 0,
      });
    });
  }

  async stop(): Promise<void> {
    clearTimeout(this.venuesChanged);
    clearTimeout(this.replayAnnounced);
    await this.signals?.stop();
    this.publisher.stop();
    this.telemetry.stop();
    await this.metricsServer?.close();
    await Promise.all(this.hosts.map((h) => h.stop()));
    this.shm.close();
    await this.recorder?.stop();
    this.desk.stop();
  }
}
