/** Real processes for the shm tests: the Python example reader and the test writer child. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadAddon, resolveShmPath } from './addon';
import { until } from '../testing/book-client';

export const READER = fileURLToPath(new URL('../../../examples/python/pulse_shm_reader.py', import.meta.url));
const WRITER = fileURLToPath(new URL('./shm-writer-child.ts', import.meta.url));

const python = spawnSync('python3', ['--version'], { encoding: 'utf8' });
const addon = loadAddon();
/** Why the shm tests cannot run here, or null. Only a missing addon (no compiler at `npm ci`) or python3 may skip them. */
export const skipReason: string | null = !addon.ok
  ? `pulse_shm addon not built: ${addon.reason}`
  : python.status !== 0
    ? 'python3 is not installed'
    : process.platform !== 'linux' && process.platform !== 'darwin'
      ? `shared memory is not supported on ${process.platform}`
      : null;
if (skipReason) console.warn(`shm tests skipped: ${skipReason}`);

/** A fresh file name per test (in /dev/shm on Linux). */
export function testShmPath(tag: string): string {
  const path = resolveShmPath(`pulse-test-${tag}-${process.pid}-${Date.now().toString(36)}`)!;
  return path;
}

export function removeShm(path: string): void {
  rmSync(path, { force: true });
}

export interface Proc {
  child: ChildProcess;
  /** stdout lines parsed as JSON (others kept as { text }) */
  lines: any[];
  stderr: () => string;
  exited: Promise<number | null>;
  /** resolves with the first line `pred` accepts, looking at lines already seen too */
  waitFor(pred: (line: any) => boolean, ms: number, what: string): Promise<any>;
  kill(signal?: NodeJS.Signals): void;
}

function track(child: ChildProcess): Proc {
  const lines: any[] = [];
  let err = '';
  let partial = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    for (const p of parts.filter(Boolean)) {
      try {
        lines.push(JSON.parse(p));
      } catch {
        lines.push({ text: p });
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return {
    child,
    lines,
    stderr: () => err,
    exited,
    waitFor: async (pred, ms, what) => {
      let found: any;
      await until(() => (found = lines.find(pred)) !== undefined, ms, `${what} (stderr: ${err.slice(-300)})`);
      return found;
    },
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}

/** No __pycache__ in the repo from the tests. */
const pythonEnv = { ...process.env, PYTHONDONTWRITEBYTECODE: '1' };

export function spawnReader(path: string, args: string[]): Proc {
  return track(spawn('python3', [READER, path, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: pythonEnv }));
}

export interface WriterJob {
  mode: 'sequence' | 'crash';
  path: string;
  count: number;
  bookSlots: number;
}

export function spawnWriter(job: WriterJob): Proc {
  return track(spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

/** Runs the reader to completion (e.g. --status) and returns its last JSON line and exit code. */
export function readerOnce(path: string, args: string[]): { code: number | null; out: any } {
  const r = spawnSync('python3', [READER, path, ...args], { encoding: 'utf8', timeout: 10_000, env: pythonEnv });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let out: any = { text: r.stdout + r.stderr };
  try {
    out = JSON.parse(last);
  } catch {
    // not JSON: keep the text
  }
  return { code: r.status, out };
}
