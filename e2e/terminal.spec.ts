import { expect, test } from '@playwright/test';
import { openTerminal, pulseForFile } from './support/fixtures';

const pulse = pulseForFile(() => ['--rate', '400']);

interface LadderRow {
  side: string;
  price: string;
  size: string;
  y: number;
}

async function ladder(page: import('@playwright/test').Page): Promise<LadderRow[]> {
  return page.$$eval('[data-testid="ladder-row"]', (rows) =>
    rows.map((r) => ({
      side: r.getAttribute('data-side') ?? '',
      price: r.getAttribute('data-price') ?? '',
      size: r.getAttribute('data-size') ?? '',
      y: r.getBoundingClientRect().top,
    })),
  );
}

test('the terminal shows a live ladder with asks above bids and a candle chart', async ({ page }, testInfo) => {
  await openTerminal(page, pulse().url);

  // The ladder fills: ask rows and bid rows with prices.
  await expect.poll(async () => (await ladder(page)).filter((r) => r.side === 'bid' && r.price).length, { timeout: 10_000 }).toBeGreaterThan(5);
  const rows = (await ladder(page)).filter((r) => r.side && r.price);
  const asks = rows.filter((r) => r.side === 'ask');
  const bids = rows.filter((r) => r.side === 'bid');
  expect(asks.length).toBeGreaterThan(5);

  // Asks sit above bids: every ask row is drawn higher on screen than every bid row.
  const lowestAsk = Math.max(...asks.map((r) => r.y));
  const highestBid = Math.min(...bids.map((r) => r.y));
  expect(lowestAsk).toBeLessThan(highestBid);
  // Ask prices fall towards the spread, bid prices fall away from it.
  const askPrices = asks.map((r) => Number(r.price));
  const bidPrices = bids.map((r) => Number(r.price));
  expect(askPrices).toEqual([...askPrices].sort((a, b) => b - a));
  expect(bidPrices).toEqual([...bidPrices].sort((a, b) => b - a));

  // The best bid is below the best ask (both read in one go: the market moves between two reads).
  const [bestBid, bestAsk] = await page.evaluate(() =>
    ['best-bid', 'best-ask'].map((id) => Number(document.querySelector(`[data-testid="${id}"]`)?.textContent)),
  );
  expect(bestBid).toBeGreaterThan(0);
  expect(bestBid).toBeLessThan(bestAsk);

  // Prices and sizes change within a few seconds.
  const before = JSON.stringify(rows.map((r) => [r.price, r.size]));
  await expect
    .poll(async () => JSON.stringify((await ladder(page)).filter((r) => r.side && r.price).map((r) => [r.price, r.size])), { timeout: 5_000 })
    .not.toBe(before);

  // The chart shows candles, drawn on its canvas (more than a blank background).
  const chart = page.getByTestId('chart');
  await expect.poll(async () => Number(await chart.getAttribute('data-candles')), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
  const colours = await chart.evaluate((el) => {
    const seen = new Set<number>();
    for (const canvas of el.querySelectorAll('canvas')) {
      const ctx = canvas.getContext('2d');
      if (!ctx || canvas.width === 0) continue;
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
    }
    return seen.size;
  });
  expect(colours).toBeGreaterThan(4);

  // The tape shows trades.
  await expect.poll(async () => page.getByTestId('tape-row').count(), { timeout: 10_000 }).toBeGreaterThan(0);

  const shot = testInfo.outputPath('terminal.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('terminal', { path: shot, contentType: 'image/png' });
});

test('switching venue and symbol resubscribes and shows that book', async ({ page }) => {
  await openTerminal(page, pulse().url);
  await page.getByTestId('venue-select').selectOption('sim-b');
  await page.getByTestId('symbol-select').selectOption('SOL-USD');
  // SOL-USD trades near 150 with a 0.001 tick: the ladder must show that book, not BTC's.
  await expect
    .poll(async () => Number(await page.getByTestId('best-bid').textContent()), { timeout: 10_000 })
    .toBeLessThan(1000);
  const bid = (await page.getByTestId('best-bid').textContent()) ?? '';
  expect(bid).toMatch(/^\d+\.\d{3}$/);
});
