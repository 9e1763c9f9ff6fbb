/**
 * `pulse` alone: start the Electron shell where the Electron binary is installed and a display
 * exists; otherwise say why in one line so the caller can fall back to the web shell. Plain
 * Node: the Electron binary is found on disk, never imported.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type ElectronProbe = { ok: true; binary: string } | { ok: false; reason: string };

function electronPackageDir(): string | null {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/** The Electron binary, if installed (node_modules/electron/path.txt names it under dist/), and a display. */
export function probeElectron(env: NodeJS.ProcessEnv = process.env, platform = process.platform): ElectronProbe {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return { ok: false, reason: 'no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  const pkgDir = electronPackageDir();
  if (!pkgDir) return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, reason: 'the Electron binary is not downloaded' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { ok: false, reason: `the Electron binary is missing at ${binary}` };
  return { ok: true, binary };
}

/**
 * Like probeElectron, but fetches a missing binary first with the electron package's own
 * installer (electron 45 downloads lazily, not at `npm ci`). Offline it fails within a second.
 */
export function ensureElectron(env: NodeJS.ProcessEnv = process.env): ElectronProbe {
  const probe = probeElectron(env);
  const pkgDir = electronPackageDir();
  if (probe.ok || !pkgDir || !/not downloaded|missing/.test(probe.reason)) return probe;
  const result = spawnSync(process.execPath, [join(pkgDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
  if (result.status === 0) return probeElectron(env);
  const why = `${result.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => /error|fetch|ENOTFOUND|EAI_AGAIN/i.test(l));
  return { ok: false, reason: `the Electron binary could not be downloaded${why ? ` (${why.slice(0, 120)})` : ''}` };
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
 * A file shipped with the app, named from the package root (`resources/models/x.onnx`). Packaged,
 * the root is app.asar and electron-builder's extraResources put `resources/*` beside it, in
 * process.resourcesPath (set by Electron only, so plain Node always gets the root's copy).
 */
export function appFile(rel: string): string {
  const inRoot = join(appRoot(), rel);
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const shipped = /^resources[\\/](.+)$/.exec(rel);
  if (existsSync(inRoot) || !resourcesPath || !shipped) return inRoot;
  const packaged = join(resourcesPath, shipped[1]!);
  return existsSync(packaged) ? packaged : inRoot;
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
