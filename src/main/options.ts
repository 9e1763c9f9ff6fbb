/** Command-line options shared by `pulse serve` and `pulse` (desktop), merged over --config. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, parseConfig, readConfigFile, type PulseConfig } from './config';
import { replayConfig } from './venues/replay/replay-config';

export const USAGE = `Usage:
  pulse [options]          the desktop terminal (falls back to the web shell without Electron)
  pulse serve [options]    the web shell: UI, REST API and WebSocket on --host:--port
  pulse journal verify FILE   check an order journal's hash chain
  pulse token new --role trader|risk   a web shell token and its config line
  pulse credentials add VENUE | list | remove VENUE   venue API keys, encrypted at rest
  pulse model train [--minutes N --seed N --out FILE] | info [FILE]   the signal model
  pulse export --to parquet RECORDING_DIR [--out DIR]   a recording as Parquet files (default --out RECORDING_DIR/parquet)

Options:
  --venues a,b         venues to run (default sim-a,sim-b,sim-c)
  --symbols X,Y        symbols to run (default: every symbol of each venue)
  --host HOST          address to bind (default 127.0.0.1)
  --port N             port (default 8600; 0 picks a free one)
  --config FILE        JSON config file (validated; CLI options win over it)
  --rate N             simulator book updates per second per venue (default 200)
  --seed N             simulator seed (default 42)
  --frame-interval MS  publisher coalescing interval (default 16)
  --data-dir DIR       where the order journal lives (default ~/.pulse)
  --record DIR         record every book update, trade and venue state to Arrow files in DIR
  --replay DIR         play a recording back: one venue replay-<venue> per recorded venue
  --speed N            replay speed (default 1; 10 = ten times faster)
  --shm [PATH]         copy book updates and trades to shared memory for other processes
                       (default name pulse-shm: /dev/shm/pulse-shm on Linux; docs/shm.md)
  -h, --help           this text
`;

export interface ParsedCommand {
  command: 'serve' | 'desktop' | 'help';
  config: PulseConfig;
  /** the config file read (--config, else the caller's default when it exists), or null */
  configPath: string | null;
}

export interface CommandLineDefaults {
  /** read when --config is not given and this file exists (the desktop shell's settings file) */
  configFile?: string;
}

/**
 * `--shm` takes an optional value, which parseArgs cannot express: a bare `--shm` (last, or
 * before another option or the command word) becomes `--shm=`, i.e. the configured path.
 */
function optionalShmValue(argv: string[]): string[] {
  return argv.map((a, i) => {
    const next = argv[i + 1];
    return a === '--shm' && (next === undefined || next.startsWith('-') || ['serve', 'desktop', 'help'].includes(next)) ? '--shm=' : a;
  });
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter(Boolean);

function intOption(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || value.trim() === '') throw new ConfigError(`--${name} must be a number, got "${value}"`);
  return n;
}

export function parseCommandLine(argv: string[], defaults: CommandLineDefaults = {}): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: optionalShmValue(argv),
      allowPositionals: true,
      strict: true,
      options: {
        venues: { type: 'string' },
        symbols: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        config: { type: 'string' },
        rate: { type: 'string' },
        seed: { type: 'string' },
        'frame-interval': { type: 'string' },
        'data-dir': { type: 'string' },
        record: { type: 'string' },
        replay: { type: 'string' },
        speed: { type: 'string' },
        shm: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const sub = positionals[0] ?? 'desktop';
  if (positionals.length > 1 || !['serve', 'desktop', 'help'].includes(sub)) {
    throw new ConfigError(`unknown command "${positionals.join(' ')}"\n\n${USAGE}`);
  }
  const configPath = values.config ?? (defaults.configFile && existsSync(defaults.configFile) ? defaults.configFile : null);
  const raw = (configPath ? readConfigFile(configPath) : {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`config file ${configPath} must hold a JSON object`);
  const merged: Record<string, unknown> = { ...raw };
  if (values.venues !== undefined) merged.enabled = list(values.venues);
  if (values.symbols !== undefined) merged.symbols = list(values.symbols);
  if (values.host !== undefined) merged.host = values.host;
  if (values.port !== undefined) merged.port = intOption('port', values.port);
  if (values['data-dir'] !== undefined) merged.dataDir = values['data-dir'];
  if (values['frame-interval'] !== undefined) merged.frameIntervalMs = intOption('frame-interval', values['frame-interval']);
  if (values.record !== undefined) merged.record = { ...(raw.record as Record<string, unknown> | undefined), dir: values.record };
  if (values.shm !== undefined) {
    merged.shm = { ...(raw.shm as Record<string, unknown> | undefined), enabled: true, ...(values.shm ? { path: values.shm } : {}) };
  }
  const speed = intOption('speed', values.speed);
  if (speed !== undefined && values.replay === undefined) throw new ConfigError('--speed applies to --replay DIR only');
  if (values.replay !== undefined) {
    if (values.venues !== undefined) throw new ConfigError('--replay plays every venue of the recording; leave out --venues');
    let replay;
    try {
      replay = replayConfig(values.replay, speed);
    } catch (err) {
      throw new ConfigError(`--replay: ${(err as Error).message}`);
    }
    merged.enabled = replay.enabled;
    merged.venues = { ...(raw.venues as Record<string, unknown> | undefined), ...replay.venues };
  }
  const rate = intOption('rate', values.rate);
  const seed = intOption('seed', values.seed);
  if (rate !== undefined || seed !== undefined) {
    const sim = { ...(raw.simulator as Record<string, unknown> | undefined) };
    if (rate !== undefined) sim.updatesPerSecond = rate;
    if (seed !== undefined) sim.seed = seed;
    merged.simulator = sim;
  }
  const config = parseConfig(merged, configPath ? `config (${configPath} + command line)` : 'command line');
  return { command: values.help ? 'help' : (sub as ParsedCommand['command']), config, configPath: configPath ? resolve(configPath) : null };
}
