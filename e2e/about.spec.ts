import { expect, test } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTerminal, pulseForFile } from './support/fixtures';

// The About panel must show the facts of the engine actually running: its version, Node, the
// ONNX provider it chose (CPU here: no accelerator) and the config file it was started with.
const configFile = join(mkdtempSync(join(tmpdir(), 'pulse-about-')), 'pulse.json');
writeFileSync(configFile, JSON.stringify({ symbols: ['BTC-USD'] }));
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const pulse = pulseForFile(() => ['--venues', 'sim-a', '--config', configFile]);

test('the About panel shows version, runtimes, ONNX provider and config path; hotkeys stay off behind it', async ({ page }, testInfo) => {
  await openTerminal(page, pulse().url);
  await page.getByTestId('open-about').click();
  const panel = page.getByTestId('about-panel');
  await expect(panel).toBeVisible();
  await expect(page.getByTestId('about-version')).toContainText(version);
  await expect(page.getByTestId('about-shell')).toContainText('web shell');
  await expect(page.getByTestId('about-node')).toContainText(process.versions.node);
  await expect(page.getByTestId('about-config')).toContainText(configFile);
  await expect(page.getByTestId('about-onnx')).toContainText(/^ONNX provider\s*cpu/, { timeout: 30_000 });
  // The desktop-only setting needs the Electron preload; the web shell must not offer it.
  await expect(page.getByTestId('about-shm-toggle')).toHaveCount(0);
  const shot = testInfo.outputPath('about.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('about', { path: shot, contentType: 'image/png' });
  // "?" would open the hotkey help behind the panel if hotkeys leaked through it.
  await page.keyboard.press('?');
  await expect(page.getByTestId('hotkey-help')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
});
