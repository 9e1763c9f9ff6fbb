/**
 * The desktop shell's settings file: an ordinary Pulse config file (the same schema as
 * `--config`) in Electron's userData folder, read at start when no --config is given. The
 * window may change only what DesktopSettings names; every write is validated as a whole
 * config first, so the file can never be left unreadable. No electron import (tested in Node).
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseConfig } from '../config';

type RawConfig = Record<string, unknown> & { shm?: Record<string, unknown> };

function readRaw(path: string): RawConfig {
  if (!existsSync(path)) return {};
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${path} must hold a JSON object`);
  return raw as RawConfig;
}

export function readShmTap(path: string): boolean {
  return readRaw(path).shm?.enabled === true;
}

/** Sets `shm.enabled`, keeping every other setting in the file as it was. */
export function writeShmTap(path: string, enabled: boolean): void {
  const raw = readRaw(path);
  const next: RawConfig = { ...raw, shm: { ...raw.shm, enabled } };
  parseConfig(next, path);
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}
