import { expect, test } from '@playwright/test';
import { openTerminal, pulseForFile } from './support/fixtures';

const pulse = pulseForFile(() => ['--rate', '600']);

test('the signal panel shows the model on CPU and live class probabilities (advice only)', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await openTerminal(page, pulse().url);
  await page.getByTestId('tab-signals').click();
  const panel = page.getByTestId('signal-panel');
  await expect(panel).toBeVisible();
  // The provider in use is reported (no accelerator on this machine: CPU).
  await expect(page.getByTestId('signal-provider')).toHaveAttribute('data-provider', 'cpu', { timeout: 30_000 });
  // The features need 30 s of history; then every symbol of the venue gets a class.
  await expect
    .poll(async () => page.locator('[data-testid="signal-row"][data-class]:not([data-class=""])').count(), { timeout: 70_000, intervals: [1000] })
    .toBe(3);
  await expect(page.getByTestId('signal-advice')).toContainText(/never places orders/i);
  const shot = testInfo.outputPath('signals.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('signals', { path: shot, contentType: 'image/png' });
});
