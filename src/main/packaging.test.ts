/**
 * Packaging, checked offline (README "Packaging"): electron-builder packs linux --dir around a
 * stand-in Electron (a file carrying a real fuse wire), and we read back what it made. The mac and
 * win sections are checked against electron-builder's schema and on disk, since they cannot be
 * built here. Needs out/ (built here when missing: `npm test` runs vitest before `npm run build`).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appFile } from './desktop-launch';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const config = require(join(root, 'electron-builder.cjs'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const ORT = 'node_modules/onnxruntime-node/bin/napi-v6';
const ADDON = 'native/build/Release/pulse_shm.node';

/** A stand-in for the Electron binary: Electron 45's fuse wire (V1, 9 fuses) at its defaults. */
function fakeElectron(file: string): void {
  const wire = [FuseState.ENABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.DISABLE, FuseState.ENABLE, FuseState.ENABLE];
  const sentinel = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX');
  writeFileSync(file, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), sentinel, Buffer.from([1, wire.length, ...wire]), Buffer.alloc(32)]));
  chmodSync(file, 0o755);
}

/** Every file path in an asar archive, with whether it lives in app.asar.unpacked. */
function asarFiles(file: string): Map<string, boolean> {
  const buf = readFileSync(file);
  const header = JSON.parse(buf.subarray(16, 16 + buf.readUInt32LE(12)).toString('utf8'));
  type Node = { files?: Record<string, Node>; unpacked?: boolean };
  const out = new Map<string, boolean>();
  const walk = (node: Node, prefix: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      if (child.files) walk(child, `${prefix}${name}/`);
      else out.set(`${prefix}${name}`, child.unpacked === true);
    }
  };
  walk(header, '');
  return out;
}

/** Runs node with `args` without blocking the test worker; resolves with status and output. */
function node(args: string[], opts: { env?: NodeJS.ProcessEnv; timeout: number }): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd: root, env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill(), opts.timeout);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

let tmp: string;
let build: { status: number | null; stdout: string; stderr: string };
let resources: string;
let files: Map<string, boolean>;

beforeAll(async () => {
  if (!['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'].every((f) => existsSync(join(root, f)))) {
    const vite = await node([join(require.resolve('electron-vite/package.json'), '../bin/electron-vite.js'), 'build'], { timeout: 90_000 });
    if (vite.status !== 0) throw new Error(`electron-vite build failed:\n${vite.stderr}`);
  }
  tmp = mkdtempSync(join(tmpdir(), 'pulse-pack-'));
  mkdirSync(join(tmp, 'electron'));
  fakeElectron(join(tmp, 'electron', 'electron'));
  const cli = join(require.resolve('electron-builder/package.json'), '..', 'cli.js');
  const args = ['--linux', '--dir', '--x64', `-c.electronDist=${join(tmp, 'electron')}`, `-c.directories.output=${join(tmp, 'dist')}`];
  build = await node([cli, ...args], { timeout: 90_000 });
  resources = join(tmp, 'dist', 'linux-unpacked', 'resources');
  files = existsSync(join(resources, 'app.asar')) ? asarFiles(join(resources, 'app.asar')) : new Map();
}, 120_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('electron-builder --linux --dir (offline, stand-in Electron)', () => {
  it('packs without error', () => {
    expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  });

  it('puts the bundles, package.json and the production dependencies in app.asar', () => {
    for (const f of ['out/main/index.js', 'out/main/cli.js', 'out/main/collector-worker.js', 'out/main/inference-worker.js', 'out/main/recorder-worker.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'package.json']) {
      expect(files.has(f), f).toBe(true);
    }
    for (const dep of Object.keys(pkg.dependencies)) expect(files.has(`node_modules/${dep}/package.json`), dep).toBe(true);
  });

  it('holds every package the main bundles import (a devDependency there would crash the packaged app at start)', () => {
    // import/export … from "x", import("x"), require("x"), with a bare specifier
    const bare = /(?:(?:^|[;\n])\s*(?:import|export)\b[^;'"]*?\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([^"'./\s][^"'\s]*)["']/g;
    const missing = new Set<string>();
    for (const f of [...files.keys()].filter((x) => /^out\/(main|preload)\/[^/]+\.c?js$/.test(x))) {
      for (const [, spec] of readFileSync(join(root, f), 'utf8').matchAll(bare)) {
        const name = spec!.startsWith('@') ? spec!.split('/').slice(0, 2).join('/') : spec!.split('/')[0]!;
        if (name === 'electron' || name.startsWith('node:') || builtinModules.includes(name)) continue;
        if (!files.has(`node_modules/${name}/package.json`)) missing.add(`${f} -> ${name}`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it("keeps parquet-wasm's Node build only (the export loads node/parquet_wasm_bg.wasm)", () => {
    expect(files.has('node_modules/parquet-wasm/node/parquet_wasm_bg.wasm')).toBe(true);
    expect([...files.keys()].filter((f) => /^node_modules\/parquet-wasm\/(esm|bundler)\//.test(f))).toEqual([]);
  });

  it('leaves out sources, tests, benches, docs and devDependencies', () => {
    const own = [...files.keys()].filter((f) => !f.startsWith('node_modules/'));
    expect(own.filter((f) => !/^(out\/|package\.json$|native\/build\/Release\/[^/]+\.node$)/.test(f))).toEqual([]);
    expect(own.filter((f) => /\.(test|spec|bench)\.|\.map$/.test(f))).toEqual([]);
    // @types/* may arrive as a production dependency's dependency (apache-arrow lists @types/node).
    const dev = Object.keys(pkg.devDependencies).filter((d) => !d.startsWith('@types/'));
    expect(dev.filter((d) => [...files.keys()].some((f) => f.startsWith(`node_modules/${d}/`)))).toEqual([]);
  });

  it('unpacks onnxruntime-node for linux x64 only', () => {
    const binding = `${ORT}/linux/x64/onnxruntime_binding.node`;
    expect(files.get(binding)).toBe(true);
    expect(files.get(`${ORT}/linux/x64/libonnxruntime.so.1`)).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', binding))).toBe(true);
    const foreign = (f: string) => new RegExp(`^${ORT}/(darwin|win32|linux/arm64)/`).test(f);
    expect([...files.keys()].filter(foreign)).toEqual([]);
    for (const dir of ['darwin', 'win32', 'linux/arm64']) expect(existsSync(join(resources, 'app.asar.unpacked', ORT, dir)), dir).toBe(false);
  });

  it.runIf(existsSync(join(root, ADDON)))('unpacks the native addon when it was built', () => {
    expect(files.get(ADDON)).toBe(true);
    expect(existsSync(join(resources, 'app.asar.unpacked', ADDON))).toBe(true);
  });

  it('ships the signal model beside app.asar, where the engine looks for it', () => {
    const shipped = join(resources, 'models', 'pulse-signal.onnx');
    expect(readFileSync(shipped).equals(readFileSync(join(root, 'resources/models/pulse-signal.onnx')))).toBe(true);
  });

  it('flips the fuses in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(join(tmp, 'dist', 'linux-unpacked', config.linux.executableName));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.WasmTrapHandlers]).toBe(FuseState.ENABLE);
  });
});

describe('the mac and win sections (not buildable here)', () => {
  it("match electron-builder's schema", async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
    const logger = { isEnabled: false, add() {} };
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    await expect(validateConfiguration({ ...config, mac: { ...config.mac, hardenedRuntme: true } }, logger)).rejects.toThrow(/configuration\.mac/);
  });

  it('sign macOS with the hardened runtime and a parsable, minimal entitlements plist', () => {
    expect(config.mac).toMatchObject({ hardenedRuntime: true, target: [{ target: 'dmg', arch: ['arm64'] }] });
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
    const plist = require('plist').parse(readFileSync(join(root, config.mac.entitlements), 'utf8'));
    expect(plist).toEqual({ 'com.apple.security.cs.allow-jit': true, 'com.apple.security.cs.disable-library-validation': true });
  });

  it('keep only their own onnxruntime binaries and have their icons', () => {
    expect(config.mac.files).toEqual(expect.arrayContaining([`!${ORT}/linux/**`, `!${ORT}/win32/**`]));
    expect(config.win.files).toEqual(expect.arrayContaining([`!${ORT}/darwin/**`, `!${ORT}/linux/**`]));
    expect(config.win.target).toEqual(['nsis']);
    expect(readFileSync(join(root, config.mac.icon)).subarray(0, 4).toString('latin1')).toBe('icns');
    expect([...readFileSync(join(root, config.win.icon)).subarray(0, 4)]).toEqual([0, 0, 1, 0]);
    const png = readFileSync(join(root, config.linux.icon));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });
});

describe('the packaged engine finds its model', () => {
  it('in process.resourcesPath when the app folder (app.asar) has none', () => {
    const proc = process as { resourcesPath?: string };
    const before = proc.resourcesPath;
    const res = join(tmp, 'fake-resources');
    mkdirSync(join(res, 'models'), { recursive: true });
    writeFileSync(join(res, 'models', 'only-packaged.onnx'), '');
    try {
      proc.resourcesPath = res;
      expect(appFile('resources/models/only-packaged.onnx')).toBe(join(res, 'models', 'only-packaged.onnx'));
      expect(appFile('resources/models/pulse-signal.onnx')).toBe(join(root, 'resources/models/pulse-signal.onnx'));
    } finally {
      proc.resourcesPath = before;
    }
  });
});

describe('npm run dist without a reachable Electron download', () => {
  it('says why in one line and exits non-zero, fast', async () => {
    const port = await new Promise<number>((done) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => done(port));
      });
    });
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, XDG_CACHE_HOME: join(tmp, 'cache') };
    for (const k of ['PULSE_DIST_SKIP_PROBE', 'ELECTRON_GET_USE_PROXY', 'HTTPS_PROXY', 'https_proxy', 'GLOBAL_AGENT_HTTPS_PROXY', 'npm_config_electron_mirror']) delete env[k];
    const started = Date.now();
    const run = await node([join(root, 'build/dist.mjs'), '--linux', '--dir'], { env, timeout: 20_000 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm run dist: cannot download Electron \d+\.\d+\.\d+ for linux-x64 \(connect ECONNREFUSED 127\.0\.0\.1:\d+\); set ELECTRON_MIRROR/);
  });
});
