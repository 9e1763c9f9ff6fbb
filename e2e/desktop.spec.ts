import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { appRoot, probeElectron } from '../src/main/desktop-launch';

const BIN = fileURLToPath(new URL('../bin/pulse.js', import.meta.url));
const probe = probeElectron();

test('`pulse` without a usable Electron says why in one line and serves the web shell', async () => {
  test.skip(probe.ok, 'Electron can start here; the Electron test below covers `pulse`');
  const child = spawn(process.execPath, [BIN, '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'pulse-e2e-'))], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  try {
    await expect.poll(() => /web shell on (http:\/\/\S+)/.exec(out)?.[1], { timeout: 20_000 }).toBeTruthy();
    const lines = out.trim().split('\n');
    expect(lines[0]).toMatch(/^Pulse: no desktop shell here \(.+\); serving the web shell instead\.$/);
    const url = /web shell on (http:\/\/\S+)/.exec(out)![1]!;
    expect((await fetch(`${url}health`)).status).toBe(200);
    expect(out).not.toMatch(/Error|at .*\(.*:\d+:\d+\)/); // no stack trace
  } finally {
    child.kill('SIGTERM');
  }
});

test('the Electron shell opens the terminal and receives frames over its MessagePort', async () => {
  if (!probe.ok) {
    console.log(`Skipping the Electron shell test: ${probe.reason}. It runs where the Electron binary and a display exist (xvfb-run -a npm run test:e2e).`);
    test.skip(true, `Electron not usable here: ${probe.reason}`);
    return;
  }
  const app = await electron.launch({ executablePath: probe.binary, args: [appRoot(), '--port', '0', '--data-dir', mkdtempSync(join(tmpdir(), 'pulse-e2e-'))] });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('link-state')).toHaveText(/open/i, { timeout: 20_000 });
    await expect.poll(async () => Number(await page.getByTestId('best-bid').textContent()), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(page.url()).toMatch(/^app:\/\/pulse\//);
    const exposed = await page.evaluate(() => Object.keys((globalThis as unknown as { pulse: object }).pulse).sort());
    expect(exposed).toEqual(['appInfo', 'shell']);
    const hasRequire = await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require);
    expect(hasRequire).toBe('undefined');
  } finally {
    await app.close();
  }
});
