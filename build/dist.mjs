// `npm run dist [-- electron-builder args]`: checks that the Electron zip can be had, builds, then
// packages with electron-builder. Offline, electron-builder prints a stack trace and then hangs ~45 s;
// here the download is probed first (8 s bound) and its failure is one line.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { format, parse } from 'node:url';

const require = createRequire(import.meta.url);
const root = new URL('..', import.meta.url);
const args = process.argv.slice(2);
const env = process.env;

function fail(message) {
  console.error(`npm run dist: ${message}`);
  process.exit(1);
}

/** The (platform, arch) pairs electron-builder will package for these args (its own flags). */
function targetsOf(argv, platform = process.platform, arch = process.arch) {
  const has = (...flags) => argv.some((a) => flags.includes(a));
  const platforms = [
    has('-l', '--linux') && 'linux',
    has('-m', '-o', '--mac', '--macos') && 'darwin',
    has('-w', '--win', '--windows') && 'win32',
  ].filter(Boolean);
  const archs = ['x64', 'arm64', 'ia32', 'armv7l', 'universal'].filter((a) => argv.includes(`--${a}`));
  return (platforms.length ? platforms : [platform]).flatMap((p) =>
    (archs.length ? archs : [p === 'darwin' ? 'arm64' : arch]).map((a) => ({ platform: p, arch: a })),
  );
}

// @electron/get's settings, read the way it reads them (.npmrc, package.json config, env).
const setting = (name) =>
  env[`npm_config_electron_${name}`] || env[`NPM_CONFIG_ELECTRON_${name.toUpperCase()}`] ||
  env[`npm_package_config_electron_${name}`] || env[`ELECTRON_${name.toUpperCase()}`] || undefined;

function electronCacheRoot() {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'electron');
  if (process.platform === 'win32') return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'electron', 'Cache');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'electron');
}

/** Cached zip plus a seeded SHASUMS256.txt: electron-builder then needs no network at all. */
function cachedOffline(zipUrl, version, zip) {
  const cache = electronCacheRoot();
  // @electron/get's cache folder: sha256 of the URL without its file name (legacy url API, as it does).
  const { search, hash, pathname, ...rest } = parse(zipUrl);
  const hashDir = createHash('sha256').update(format({ ...rest, pathname: dirname(pathname ?? '') })).digest('hex');
  const sums = [`SHASUMS256.txt-${version}`, 'SHASUMS256.txt'].map((f) => join(cache, f)).filter((f) => existsSync(f));
  return existsSync(join(cache, hashDir, zip)) && sums.some((f) => readFileSync(f, 'utf8').includes(zip));
}

/** Null when the Electron zip for each target is cached or its download host answers; else why not. */
async function electronUnavailable(version) {
  const mirror = setting('mirror') ?? 'https://github.com/electron/electron/releases/download/';
  const dir = (setting('custom_dir') ?? `v${version}`).replace('{{ version }}', version);
  const dirUrl = `${mirror}${dir}/`;
  for (const { platform, arch } of targetsOf(args)) {
    const zip = `electron-v${version}-${platform}-${arch}.zip`;
    if (cachedOffline(`${dirUrl}${zip}`, version, zip)) continue;
    const what = `cannot download Electron ${version} for ${platform}-${arch}`;
    let res;
    try {
      res = await fetch(`${dirUrl}${zip}`, { method: 'HEAD', redirect: 'follow', signal: AbortSignal.timeout(8000) });
    } catch (err) {
      const cause = err.name === 'TimeoutError' ? 'no answer in 8 s' : (err.cause?.message ?? err.message);
      const host = new URL(dirUrl).host;
      return `${what} (${cause}); set ELECTRON_MIRROR or run where ${host} is reachable`;
    }
    if (!res.ok) return `${what} (HTTP ${res.status} from ${dirUrl}${zip}); check ELECTRON_MIRROR`;
  }
  return null;
}

function run(cmd, argv) {
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd: root, stdio: ['inherit', 'pipe', 'pipe'] });
    let killer;
    const relay = (to) => (data) => {
      to.write(data);
      // electron-builder reports a failure with ⨯ and may then hang for ~45 s: give it 5 s to exit.
      if (!killer && data.includes('⨯')) killer = setTimeout(() => child.kill(), 5000);
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve(code ?? 1);
    });
  });
}

async function main() {
  const version = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  const proxied = env.ELECTRON_GET_USE_PROXY || env.HTTPS_PROXY || env.https_proxy || env.GLOBAL_AGENT_HTTPS_PROXY;
  const ownElectron = args.some((a) => /electronDist/.test(a));
  if (!ownElectron && !proxied && !env.PULSE_DIST_SKIP_PROBE) {
    const why = await electronUnavailable(version);
    if (why) fail(why);
  }
  const npm = env.npm_execpath ? [process.execPath, [env.npm_execpath]] : [process.platform === 'win32' ? 'npm.cmd' : 'npm', []];
  const build = spawnSync(npm[0], [...npm[1], 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && !env.npm_execpath });
  if (build.status !== 0) fail('`npm run build` failed (see above)');
  const cli = join(require.resolve('electron-builder/package.json'), '..', 'cli.js');
  const code = await run(process.execPath, [cli, ...args]);
  if (code !== 0) fail(`electron-builder exited with ${code} (see above)`);
}

await main();
