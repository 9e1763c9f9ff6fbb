import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RiskLimitsSchema } from './trading/limits';
import { AuthSchema } from './serve/auth';

/** Simulated venues built into Pulse; the default when no venue is named. */
export const SIM_VENUES = ['sim-a', 'sim-b', 'sim-c'] as const;

const feeBps = z.number().min(0).max(1000);
/** Same as the paper venue's default taker fee. */
const DEFAULT_ARB_FEE_BPS = 5;

const SHM_DEFAULTS = { enabled: false, path: 'pulse-shm', bookSlots: 1 << 14, tradeSlots: 1 << 12, readerSlots: 16, staleAfterMs: 2000 };
const shmSlots = z.number().int().min(16).max(1 << 24).refine((n) => (n & (n - 1)) === 0, 'must be a power of two');

const symbolList = z.array(z.string().regex(/^[A-Z0-9]{1,12}-[A-Z0-9]{1,12}$/, 'symbols are BASE-QUOTE in capitals, e.g. BTC-USD')).min(1);

export const ConfigSchema = z
  .object({
    host: z.string().min(1).default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8600),
    /** Venue ids to run; venue-specific settings go under `venues`. */
    enabled: z.array(z.string().min(1)).min(1).default([...SIM_VENUES]),
    symbols: symbolList.optional(),
    /** Publisher coalescing interval: one delta per book per interval. */
    frameIntervalMs: z.number().min(1).max(1000).default(16),
    /** a client with more than this queued is skipped, then resynced with a snapshot */
    maxClientBacklogBytes: z.number().int().min(1024).default(8 * 1024 * 1024),
    simulator: z
      .object({
        seed: z.number().int().default(42),
        updatesPerSecond: z.number().min(1).max(2_000_000).default(200),
        levelsPerSide: z.number().int().min(10).max(5000).default(400),
      })
      .strict()
      .default({ seed: 42, updatesPerSecond: 200, levelsPerSide: 400 }),
    /** Per-venue settings keyed by venue id (endpoints for real venues arrive with them). */
    venues: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
    /** Web shell tokens (required when bound to anything but loopback). */
    auth: AuthSchema.default({ require: false, tokens: [] }),
    /** Where the order journal and other state live. */
    dataDir: z.string().min(1).default(join(homedir(), '.pulse')),
    trading: z
      .object({
        paper: z
          .object({ takerFeeBps: z.number().min(0).default(5), makerFeeBps: z.number().min(0).default(1) })
          .strict()
          .default({ takerFeeBps: 5, makerFeeBps: 1 }),
        risk: RiskLimitsSchema.default(RiskLimitsSchema.parse({})),
        /** venues whose orders go to the real venue (needs their credentials); all others trade on paper */
        live: z.array(z.string()).default([]),
      })
      .strict()
      .default({ paper: { takerFeeBps: 5, makerFeeBps: 1 }, risk: RiskLimitsSchema.parse({}), live: [] }),
    /** The signal model: advice on screen, never orders. */
    inference: z
      .object({
        enabled: z.boolean().default(true),
        /** ONNX model file; relative paths are from the app folder */
        model: z.string().min(1).default('resources/models/pulse-signal.onnx'),
        /** preferred execution provider; auto = CoreML on macOS, CUDA on Linux/Windows, CPU always last */
        provider: z.enum(['auto', 'cpu', 'cuda', 'tensorrt', 'coreml']).default('auto'),
        /** only the chosen provider, or fail (no fallback) */
        force: z.boolean().default(false),
        /** per symbol, at most one inference this often */
        minIntervalMs: z.number().int().min(1).max(60_000).default(100),
      })
      .strict()
      .default({ enabled: true, model: 'resources/models/pulse-signal.onnx', provider: 'auto', force: false, minIntervalMs: 100 }),
    /** Cross-venue arbitrage: crossed markets between venues, net of taker fees on both legs. */
    arbitrage: z
      .object({
        /** taker fee per venue id, bps; `default` for every venue not named */
        takerFeeBps: z.object({ default: feeBps.default(DEFAULT_ARB_FEE_BPS) }).catchall(feeBps).default({ default: DEFAULT_ARB_FEE_BPS }),
        /** an opportunity alerts when it appears, and the same pair not again within this many seconds */
        alertIntervalSeconds: z.number().min(0).max(86_400).default(30),
        /** levels per side the size may walk */
        depth: z.number().int().min(1).max(500).default(50),
        /** ended opportunities kept for REST and clients */
        recentLimit: z.number().int().min(0).max(1000).default(50),
      })
      .strict()
      .default({ takerFeeBps: { default: DEFAULT_ARB_FEE_BPS }, alertIntervalSeconds: 30, depth: 50, recentLimit: 50 }),
    /** `--record DIR`: every normalised event to Arrow IPC files (docs/recording.md). */
    record: z
      .object({
        dir: z.string().min(1),
        /** a file is finished and a new one started past this size */
        maxFileMB: z.number().min(0.01).default(256),
        /** also start a new file at each UTC hour */
        rotateHourly: z.boolean().default(true),
        /** rows per record batch */
        batchRows: z.number().int().min(64).max(1 << 20).default(16384),
        /** a partial batch is written at least this often */
        flushMs: z.number().int().min(10).max(60_000).default(1000),
      })
      .strict()
      .optional(),
    /** Prometheus metrics: always at GET /metrics on the web shell; `port` adds a listener on 127.0.0.1 (for the desktop shell). */
    metrics: z
      .object({ port: z.number().int().min(0).max(65535).optional() })
      .strict()
      .default({}),
    /** Ring capacities (records); powers of two. */
    rings: z
      .object({
        bookSlots: z.number().int().min(16).default(1 << 14),
        tradeSlots: z.number().int().min(16).default(1 << 12),
      })
      .strict()
      .default({ bookSlots: 1 << 14, tradeSlots: 1 << 12 }),
    /** `--shm [PATH]`: book records and trades copied to shared memory for other processes (docs/shm.md). The desktop setting is `shm.enabled`. */
    shm: z
      .object({
        enabled: z.boolean().default(false),
        /** a bare name lives in /dev/shm (Linux) or the temp folder (macOS); anything with a slash is a path */
        path: z.string().min(1).default(SHM_DEFAULTS.path),
        bookSlots: shmSlots.default(SHM_DEFAULTS.bookSlots),
        tradeSlots: shmSlots.default(SHM_DEFAULTS.tradeSlots),
        /** processes that can attach at once */
        readerSlots: z.number().int().min(1).max(64).default(SHM_DEFAULTS.readerSlots),
        /** readers call a writer whose heartbeat is older than this stalled */
        staleAfterMs: z.number().int().min(200).max(600_000).default(SHM_DEFAULTS.staleAfterMs),
      })
      .strict()
      .default(SHM_DEFAULTS),
  })
  .strict();

export type PulseConfig = z.infer<typeof ConfigSchema>;
export type ConfigInput = z.input<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Validates a config object; the error names every bad field by its path. */
export function parseConfig(raw: unknown, source = 'config'): PulseConfig {
  const result = ConfigSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => {
    const field = i.path.length ? i.path.join('.') : '(top level)';
    return `  ${field}: ${i.message}`;
  });
  throw new ConfigError(`${source} is invalid:\n${lines.join('\n')}`);
}

export function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
}
