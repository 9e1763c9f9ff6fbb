/** What every e2e spec does the same way: one Pulse per file, and the terminal opened on it. */
import { expect, test, type Page } from '@playwright/test';
import { startPulse, type PulseProcess } from './pulse-server';

/** Starts `pulse serve` with `args` before the file's tests and stops it after; call the result for it. */
export function pulseForFile(args: () => string[]): () => PulseProcess {
  let pulse: PulseProcess | undefined;
  test.beforeAll(async () => {
    pulse = await startPulse(args());
  });
  test.afterAll(async () => {
    await pulse?.stop();
  });
  return () => {
    if (!pulse) throw new Error('pulse is not running (beforeAll failed?)');
    return pulse;
  };
}

/** Opens the terminal at `url` and waits until its link to the engine is open. */
export async function openTerminal(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.getByTestId('link-state')).toHaveText(/open/i, { timeout: 10_000 });
}
