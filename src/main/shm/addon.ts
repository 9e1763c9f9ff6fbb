/**
 * Loads the pulse_shm N-API addon (native/, built at `npm ci`). A missing or unloadable addon is
 * not an error: the caller gets the reason and the shared-memory tap stays off. Node side only.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { appRoot } from '../desktop-launch';

/** Where the build puts the addon, from the package root (the packaged app unpacks exactly this path). */
export const ADDON_RELATIVE_PATH = 'native/build/Release/pulse_shm.node';
/** The file layout the addon writes (docs/shm.md). */
export const SHM_LAYOUT_VERSION = 1;

export interface ShmWriterOptions {
  bookSlots: number;
  tradeSlots: number;
  readerSlots: number;
  instrumentSlots?: number;
  heartbeatMs: number;
  staleAfterMs: number;
  /** shown to readers in the header */
  name: string;
}

export interface ShmDirectoryEntry {
  venueId: number;
  symbolId: number;
  venue: string;
  symbol: string;
  tickSize: number;
  lotSize: number;
  tickText: string;
  lotText: string;
  priceDecimals: number;
  sizeDecimals: number;
  venueState: number;
}

export interface ShmReaderView {
  slot: number;
  state: 'active' | 'detached' | 'unknown';
  pid: number;
  /** the reader process still holds its slot's lock */
  alive: boolean;
  name: string;
  bookSeq: number;
  tradeSeq: number;
  bookLag: number;
  tradeLag: number;
  heartbeatAgeMs: number;
  overruns: number;
  snapshotRequests: number;
  snapshotsServed: number;
}

/** One open shared-memory file (native/src/pulse_shm.c). Every method throws once closed. */
export interface ShmWriter {
  /** Copies the 256-byte book record at `bytes[off]` into the book ring and publishes it. */
  writeBook(bytes: Uint8Array, off: number): void;
  /** Copies the 128-byte trade record at `bytes[off]` into the trade ring and publishes it. */
  writeTrade(bytes: Uint8Array, off: number): void;
  heartbeat(): void;
  setInstruments(entries: ShmDirectoryEntry[]): number;
  /** Active reader slots asking for full books; remembers the requests it saw. */
  pendingSnapshots(): number;
  /** The requests seen by the last pendingSnapshots() are answered (`records` book records written). */
  snapshotsServed(records: number): void;
  counters(): { book: number; trade: number; bookBacklog: number; tradeBacklog: number; fileBytes: number };
  /** Largest book backlog among active readers (writer's sequence − reader's). */
  bookBacklog(): number;
  readers(): ShmReaderView[];
  /** Marks the file closed (clean shutdown) and, by default, removes it. */
  close(unlink?: boolean): void;
}

export interface ShmAddon {
  Writer: new (path: string, options: ShmWriterOptions) => ShmWriter;
  /** The clock the header's heartbeats use: CLOCK_MONOTONIC on Linux (same as process.hrtime). */
  monoNs(): bigint;
  layoutVersion: number;
}

export type AddonLoad = { ok: true; addon: ShmAddon; path: string } | { ok: false; reason: string; path: string | null };

/** The addon file: PULSE_SHM_ADDON if set, else the build output under the package root (app.asar.unpacked when packaged). */
export function addonPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PULSE_SHM_ADDON) return resolve(env.PULSE_SHM_ADDON);
  const inRoot = join(appRoot(), ADDON_RELATIVE_PATH);
  const asar = `${sep}app.asar${sep}`;
  return inRoot.includes(asar) ? inRoot.replace(asar, `${sep}app.asar.unpacked${sep}`) : inRoot;
}

let cached: AddonLoad | undefined;

export function loadAddon(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): AddonLoad {
  if (platform === 'win32') return { ok: false, reason: 'shared memory is not supported on Windows', path: null };
  const path = addonPath(env);
  if (cached?.path === path) return cached;
  let result: AddonLoad;
  if (!existsSync(path)) {
    result = { ok: false, path, reason: `the pulse_shm addon is not built (${path} is missing; \`npm ci\` builds it where a C compiler and python3 exist)` };
  } else {
    try {
      const addon = createRequire(import.meta.url)(path) as ShmAddon;
      result =
        addon.layoutVersion === SHM_LAYOUT_VERSION
          ? { ok: true, addon, path }
          : { ok: false, path, reason: `the pulse_shm addon at ${path} writes layout ${addon.layoutVersion}, this build expects ${SHM_LAYOUT_VERSION}; rebuild it` };
    } catch (err) {
      result = { ok: false, path, reason: `the pulse_shm addon at ${path} failed to load: ${(err as Error).message.split('\n')[0]}` };
    }
  }
  cached = result;
  return result;
}

/**
 * The file for a configured name: a value with a path separator is a path (relative to the
 * working folder); a bare name lives in /dev/shm on Linux and in the temp folder on macOS
 * (readers apply the same rule: examples/python/pulse_shm_reader.py).
 */
export function resolveShmPath(nameOrPath: string, platform: NodeJS.Platform = process.platform): string | null {
  if (isAbsolute(nameOrPath) || nameOrPath.includes('/') || nameOrPath.includes(sep)) return resolve(nameOrPath);
  if (platform === 'linux') return join('/dev/shm', nameOrPath);
  if (platform === 'darwin') return join(tmpdir(), nameOrPath);
  return null;
}
