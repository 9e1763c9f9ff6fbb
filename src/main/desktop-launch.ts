/**
 * `pulse` alone: start the Electron shell where the Electron binary is installed and a display
 * exists; otherwise say why in one line so the caller can fall back to the web shell. Plain
 * Node: the Electron binary is found on disk, never imported.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ElectronProbe = { ok: true; binary: string } | { ok: false; reason: string };

/** The Electron binary, if installed: node_modules/electron/path.txt names it under dist/. */
export function probeElectron(env: NodeJS.ProcessEnv = process.env, platform = process.platform): ElectronProbe {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, reason: 'the Electron binary was never downloaded (no network at install?)' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary is missing at ${binary}` };
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  return { ok: true, binary };
}

/** The app folder Electron is started on: the package root (its "main" is out/main/index.js). */
export function appRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Pulse package root');
    dir = up;
  }
  return dir;
}

/**
 * Runs Electron with the same options; resolves with its exit code, or rejects if it could not
 * start at all (the caller then falls back to the web shell).
 */
export function launchElectron(binary: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [appRoot(), ...args], { stdio: 'inherit' });
    const startedAt = Date.now();
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      // Dying within two seconds with an error is "could not start", not a user quitting.
      if (code !== 0 && Date.now() - startedAt < 2000) reject(new Error(`Electron exited at start (${signal ?? `code ${code}`})`));
      else resolve(code ?? 0);
    });
  });
}
