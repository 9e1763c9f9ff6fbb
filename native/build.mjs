#!/usr/bin/env node
// Builds native/build/Release/pulse_shm.node at `npm ci` (the root package's "install" script).
// Without a compiler, make or python3 it prints one line and exits 0: the shared-memory tap is
// optional and everything else installs and runs. Full output goes to native/build/build.log.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const disabled = (reason) => {
  console.log(`pulse: shared-memory tap disabled: ${reason}`);
  process.exit(0);
};

if (process.env.PULSE_SKIP_NATIVE) disabled('PULSE_SKIP_NATIVE is set');
if (process.platform === 'win32') disabled('shared memory is not supported on Windows');

const found = (cmd, args = ['--version']) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const python = [process.env.PYTHON, 'python3', 'python'].find((p) => p && found(p));
if (!python) disabled('python3 was not found (node-gyp needs it)');
const cc = [process.env.CC, 'cc', 'gcc', 'clang'].find((c) => c && found(c));
if (!cc) disabled('no C compiler was found (cc, gcc or clang)');
if (!found('make')) disabled('make was not found');

// npm hands scripts its bundled node-gyp; run by hand, use the one inside this node's npm, else npx.
const prefix = dirname(dirname(process.execPath));
const gyp = [process.env.npm_config_node_gyp, join(prefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')].find((p) => p && existsSync(p));
const [cmd, pre] = gyp ? [process.execPath, [gyp]] : ['npx', ['--yes', 'node-gyp']];
const args = [...pre, 'rebuild', '--release'];
// Headers: npm's `nodedir` setting, else those beside this node (e.g. /usr/include/node); never a download when they are here.
if (!process.env.npm_config_nodedir) {
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
}

const run = spawnSync(cmd, args, { cwd: here, encoding: 'utf8', env: { ...process.env, PYTHON: python, CC: cc }, timeout: 180_000 });
const log = `$ ${cmd} ${args.join(' ')}\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${run.error.message}` : ''}`;
mkdirSync(join(here, 'build'), { recursive: true });
writeFileSync(join(here, 'build', 'build.log'), log);
const addon = join(here, 'build', 'Release', 'pulse_shm.node');
if (run.status !== 0 || !existsSync(addon)) {
  const why = log.split('\n').map((l) => l.replace(/^gyp ERR! /, '').trim()).find((l) => /error|not found|cannot|ENOENT|EACCES/i.test(l) && !/^stack|^cwd|^node -v|^node-gyp -v/.test(l));
  disabled(`the addon did not build (${(why ?? `exit ${run.status ?? run.signal}`).slice(0, 160)}); see native/build/build.log`);
}
console.log('pulse: shared-memory tap addon built: native/build/Release/pulse_shm.node');
