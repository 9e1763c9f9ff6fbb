import { expect, test } from '@playwright/test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTerminal, pulseForFile } from './support/fixtures';

const pulse = pulseForFile(() => {
  // The simulator's venues drift apart by about a bps: with 0.1 bps taker fees, crosses clear them.
  const config = join(mkdtempSync(join(tmpdir(), 'pulse-arb-')), 'pulse.json');
  writeFileSync(config, JSON.stringify({ arbitrage: { takerFeeBps: { default: 0.1 } }, inference: { enabled: false } }));
  return ['--config', config];
});

test('the arbitrage panel lists crossed venues net of fees beside the BBO of every venue', async ({ page }, testInfo) => {
  await openTerminal(page, pulse().url);
  await page.getByTestId('tab-arbitrage').click();
  const panel = page.getByTestId('arbitrage-panel');
  await expect(panel).toBeVisible();

  // Live opportunities: buy venue @ ask, sell venue @ bid, size, net bps and profit, duration.
  const live = page.locator('[data-testid="arb-opportunity"][data-state="live"]');
  await expect(live.first()).toBeVisible({ timeout: 20_000 });
  const row = live.first();
  await expect(row.locator('.arb-buy')).toHaveText(/^buy sim-[abc] @ \d+\.\d+$/);
  await expect(row.locator('.arb-sell')).toHaveText(/^sell sim-[abc] @ \d+\.\d+$/);
  await expect(row.locator('[data-f="net-bps"]')).toHaveText(/^\d+\.\d\d bps$/);
  await expect(row.locator('[data-f="profit"]')).toHaveText(/^[\d,]+(\.\d\d)? USD$/);
  await expect(row.locator('[data-f="size"]')).toHaveText(/^× \d+\.\d+$/);
  await expect(row.locator('[data-f="duration"]')).toHaveText(/^\d+(ms|\.\ds|m\d\ds|h\d\dm)$/);
  // the panel agrees with the engine's REST view about there being live opportunities
  const rest = (await (await page.request.get(`${pulse().url.replace(/\/$/, '')}/api/v1/arbitrage/opportunities`)).json()) as { live: unknown[] };
  expect(Array.isArray(rest.live)).toBe(true);

  // The selected symbol across venues: one BBO row per venue, and merged levels tagged by venue.
  const book = page.getByTestId('consolidated-book');
  await expect(book).toHaveAttribute('data-symbol', 'BTC-USD');
  const rows = page.getByTestId('bbo-row');
  await expect(rows).toHaveCount(3, { timeout: 10_000 });
  await expect(rows.first().locator('[data-f="bid"]')).toHaveText(/^\d+\.\d+$/);
  await expect(rows.first().locator('[data-f="ask"]')).toHaveText(/^\d+\.\d+$/);
  await expect(page.locator('[data-testid="bbo-row"] td.best')).not.toHaveCount(0);
  await expect(page.locator('[data-testid="consolidated-level"][data-side="bid"]').first()).toBeVisible();
  await expect(page.locator('[data-testid="consolidated-level"] .cb-part').first()).toHaveAttribute('data-venue', /^sim-[abc]$/);

  // The tab shows how many are live.
  await expect(page.getByTestId('arb-tab-count')).toHaveText(/^\d+$/);

  // Ended ones stay, greyed, under the live ones (they come and go on the simulator).
  await expect(page.locator('[data-testid="arb-opportunity"][data-state="ended"]').first()).toBeVisible({ timeout: 30_000 });

  const shot = testInfo.outputPath('arbitrage.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('arbitrage', { path: shot, contentType: 'image/png' });
});
