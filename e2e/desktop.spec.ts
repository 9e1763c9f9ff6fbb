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
    expect(exposed).toEqual(['appInfo', 'desktopSettings', 'onShowAbout', 'openExternal', 'setShmTap', 'shell']);
    const hasRequire = await page.evaluate(() => typeof (globalThis as unknown as { require?: unknown }).require);
    expect(hasRequire).toBe('undefined');

    // The About panel gets Electron's own versions through the validated IPC.
    await page.getByTestId('open-about').click();
    await expect(page.getByTestId('about-electron')).toContainText(/\d+\.\d+\.\d+/);
    await expect(page.getByTestId('about-shm-toggle')).toHaveCount(1);

    // What a compromised page might try: each must be refused, and the window must stay on app://.
    type Api = { openExternal(u: string): Promise<unknown>; setShmTap(v: unknown): Promise<unknown> };
    const refused = await page.evaluate(async () => {
      const api = (globalThis as unknown as { pulse: Api }).pulse;
      const local = await api.openExternal('file:///etc/passwd');
      const badArg = await api.setShmTap('yes').then(() => 'accepted', (e: Error) => e.message);
      const popup = window.open('https://example.com/');
      return { local, badArg, popup: popup === null };
    });
    expect(refused.local).toMatchObject({ opened: false });
    expect(refused.badArg).toMatch(/refused/);
    expect(refused.popup).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/pulse\//);
    expect(app.windows()).toHaveLength(1);
  } finally {
    await app.close();
  }
});
