import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { openTerminal, pulseForFile } from './support/fixtures';
import { startPulse } from './support/pulse-server';

// One engine (its own --data-dir) for the whole file; the tests run in order because the kill
// switch, the last one, stays engaged in the engine's journal.
test.describe.configure({ mode: 'serial' });

const pulse = pulseForFile(() => ['--rate', '150']);

async function open(page: Page): Promise<void> {
  await openTerminal(page, pulse().url);
  await expect(page.getByTestId('ladder')).toHaveAttribute('data-stale', 'false', { timeout: 10_000 });
  await expect.poll(() => page.locator('[data-testid="ladder-row"][data-side="bid"]').count(), { timeout: 10_000 }).toBeGreaterThan(20);
}

const result = (page: Page) => page.getByTestId('ticket-result');
const order = (page: Page, id: string) => page.locator(`[data-testid="blotter-order"][data-client-order-id="${id}"]`);
const workingRow = (page: Page, side: 'bid' | 'ask', price: string) => page.locator(`[data-testid="ladder-row"][data-side="${side}"][data-price="${price}"]`);

async function lastOrderId(page: Page, state: RegExp): Promise<string> {
  await expect(result(page)).toHaveAttribute('data-state', state, { timeout: 10_000 });
  return (await result(page).getAttribute('data-client-order-id')) ?? '';
}

/** A buy price `below` under the best bid, on the 0.01 grid: far enough that the moving simulator does not fill it. */
async function farBid(page: Page, below: number): Promise<string> {
  return (Number(await page.getByTestId('best-bid').textContent()) - below).toFixed(2);
}

async function ticketLimit(page: Page, side: 'buy' | 'sell', qty: string, price: string): Promise<void> {
  await page.getByTestId(`ticket-side-${side}`).click();
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-qty').fill(qty);
  await page.getByTestId('ticket-price').fill(price);
  await page.getByTestId('ticket-submit').click();
}

test('a limit order from the ticket rests: working on the ladder and in the blotter; dragged to another price; cancelled from the ladder', async ({ page }, testInfo) => {
  await open(page);
  // 300 below the bid: not a level of the book, so the ladder adds a row for it
  const price = await farBid(page, 300);
  await page.getByTestId('ticket-qty').fill('0.01');
  await page.getByTestId('ticket-price').fill(price);
  await expect(page.getByTestId('ticket-precheck')).toHaveAttribute('data-level', 'ok');
  await ticketLimit(page, 'buy', '0.01', price);

  const id = await lastOrderId(page, /^working$/);
  expect(id).toMatch(/^tk-[a-z0-9]+-[a-z0-9]+-[a-z0-9]{6}$/);
  await expect(result(page)).toContainText(`buy 0.01000 BTC-USD @ ${price}`);
  await expect(workingRow(page, 'bid', price)).toHaveAttribute('data-working', '0.01000');
  await expect(order(page, id)).toHaveAttribute('data-state', 'working');

  // a second one further down, then drag the first one's marker onto its row: cancel/replace there
  const lower = await farBid(page, 350);
  await ticketLimit(page, 'buy', '0.01', lower);
  const second = await lastOrderId(page, /^working$/);
  await expect(workingRow(page, 'bid', lower)).toHaveAttribute('data-working', '0.01000');
  await workingRow(page, 'bid', lower).scrollIntoViewIfNeeded();

  const shot = testInfo.outputPath('working-orders.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('working-orders', { path: shot, contentType: 'image/png' });

  const from = (await workingRow(page, 'bid', price).locator('.lc.mine').boundingBox())!;
  const to = (await workingRow(page, 'bid', lower).locator('.lc.price').boundingBox())!;
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(order(page, id)).toHaveCount(0);
  const moved = await lastOrderId(page, /^working$/);
  expect(moved).not.toBe(id);
  expect(moved).not.toBe(second);
  await expect(result(page)).toContainText(`buy 0.01000 BTC-USD @ ${lower}`);
  await expect(workingRow(page, 'bid', lower)).toHaveAttribute('data-working', '0.02000');
  await expect(workingRow(page, 'bid', price)).toHaveCount(0);

  // a click on the marker cancels both orders at that price
  await workingRow(page, 'bid', lower).locator('.lc.mine').click();
  await expect(page.locator('[data-testid="blotter-order"]')).toHaveCount(0);
  await expect(page.locator('[data-testid="ladder-row"][data-working]')).toHaveCount(0);
  await page.getByTestId('blotter-show-done').check();
  for (const x of [id, second, moved]) await expect(order(page, x)).toHaveAttribute('data-state', 'cancelled');
});

test('clicking an ask price on the ladder sells the ladder size there; cancelled from the blotter', async ({ page }) => {
  await open(page);
  await page.getByTestId('ladder-size').fill('0.02');
  // 100-tick rows: the top ask row is some 50 above the touch, out of the moving market's reach
  await page.getByTestId('grouping-select').selectOption('100');
  await expect
    .poll(() => page.$$eval('[data-testid="ladder-row"][data-side="ask"]', (rows) => rows.every((r) => /\.00$/.test(r.getAttribute('data-price') ?? ''))))
    .toBe(true);
  // read the row and click it in one go: the book moves between two round trips
  const price = await page.evaluate(() => {
    const row = document.querySelector<HTMLElement>('[data-testid="ladder-row"][data-side="ask"]')!;
    row.querySelector<HTMLElement>('.lc.price')!.click();
    return row.dataset.price!;
  });
  const id = await lastOrderId(page, /^working$/);
  expect(id).toMatch(/^ld-/);
  await expect(result(page)).toContainText(`sell 0.02000 BTC-USD @ ${price}`);
  await expect(workingRow(page, 'ask', price)).toHaveAttribute('data-working', '0.02000');
  await order(page, id).getByTestId('blotter-cancel').click();
  await expect(order(page, id)).toHaveCount(0);
  await expect(page.locator('[data-testid="ladder-row"][data-working]')).toHaveCount(0);
});

test('hotkeys: join the bid, cancel all with Escape, help on ?', async ({ page }) => {
  await open(page);
  await page.getByTestId('chart').click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('b');
  const id = await lastOrderId(page, /^(working|partially-filled|filled)$/);
  expect(id).toMatch(/^hk-/);
  await expect(result(page)).toContainText('buy 0.01000 BTC-USD @');
  // typing in a field is not a command
  await page.getByTestId('ticket-qty').focus();
  await page.keyboard.press('b');
  await expect(page.getByTestId('ticket-qty')).toHaveValue(/b$/);
  await expect(result(page)).toHaveAttribute('data-client-order-id', id);
  await page.getByTestId('ticket-qty').fill('0.01');
  await page.getByTestId('chart').click({ position: { x: 200, y: 10 } });
  await page.keyboard.press('Escape');
  await expect
    .poll(() => page.$$eval('[data-testid="blotter-order"]', (rows) => rows.map((r) => `${r.getAttribute('data-client-order-id')} ${r.getAttribute('data-state')}`)))
    .toEqual([]);
  await page.keyboard.press('Shift+?');
  await expect(page.getByTestId('hotkey-help')).toBeVisible();
  await expect(page.locator('[data-testid="hotkey-row"][data-action="joinBid"] .kbd')).toHaveText('B');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('hotkey-help')).toHaveCount(0);
});

test('a marketable order fills: the fill, the position and live PnL in the blotter; large orders confirm; flatten', async ({ page }) => {
  await open(page);
  await page.getByTestId('ticket-side-buy').click();
  await page.getByTestId('ticket-type').selectOption('market');
  await page.getByTestId('ticket-qty').fill('0.01');
  await page.getByTestId('ticket-submit').click();
  const id = await lastOrderId(page, /^filled$/);
  await expect(result(page)).toContainText('filled 0.01000 @');

  await page.getByTestId('blotter-tab-fills').click();
  await expect(page.locator(`[data-testid="blotter-fill"][data-client-order-id="${id}"]`).first()).toBeVisible();

  await page.getByTestId('blotter-tab-positions').click();
  const pos = page.locator('[data-testid="blotter-position"][data-symbol="BTC-USD"]');
  await expect(pos).toBeVisible();
  const qty = Number(await pos.getAttribute('data-qty'));
  expect(qty).toBeGreaterThanOrEqual(0.01);
  await expect(pos.getByTestId('position-upnl')).toHaveText(/^([+−][\d,]+\.\d\d|0\.00)$/);
  await expect(pos.getByTestId('position-upnl')).toHaveAttribute('data-live', 'true');

  // 1 BTC is over the 50,000 confirmation threshold: cancel once, then confirm
  await page.getByTestId('ticket-qty').fill('1');
  await page.getByTestId('ticket-submit').click();
  await expect(page.getByTestId('confirm')).toContainText('Buy 1.00000 BTC-USD?');
  await page.getByTestId('confirm-cancel').click();
  await expect(page.getByTestId('ticket-notice')).toContainText('cancelled at the confirmation');
  await expect(result(page)).toHaveAttribute('data-client-order-id', id);
  await page.getByTestId('ticket-submit').click();
  await page.getByTestId('confirm-ok').click();
  const big = await lastOrderId(page, /^filled$/);
  expect(big).not.toBe(id);
  await expect.poll(async () => Number(await pos.getAttribute('data-qty'))).toBeCloseTo(qty + 1, 5);

  await pos.getByTestId('blotter-flatten').click();
  await expect(pos).toHaveAttribute('data-qty', '0.00000');
  await expect(pos.getByTestId('position-rpnl')).toHaveText(/^([+−][\d,]+\.\d\d|0\.00)$/);
});

test('the kill switch: engaged with a confirm and a reason; a new order is rejected naming it', async ({ page }, testInfo) => {
  await open(page);
  await page.getByTestId('tab-risk').click();
  const risk = page.getByTestId('risk-view');
  await expect(risk).toBeVisible();
  await expect(page.getByTestId('kill-switch-state')).toHaveAttribute('data-engaged', 'false');
  await expect(risk.getByTestId('risk-usage').first()).toBeVisible();

  await page.getByTestId('kill-switch').click();
  await page.getByTestId('confirm-input').fill('e2e drill');
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId('kill-switch-state')).toHaveAttribute('data-engaged', 'true');
  await expect(page.getByTestId('kill-switch-state')).toContainText('e2e drill');
  await expect(page.getByTestId('kill-flag')).toBeVisible();

  const price = await farBid(page, 100);
  await page.getByTestId('ticket-type').selectOption('limit');
  await page.getByTestId('ticket-qty').fill('0.01');
  await page.getByTestId('ticket-price').fill(price);
  await expect(page.getByTestId('ticket-precheck')).toContainText('kill switch engaged');
  await page.getByTestId('ticket-submit').click();
  await lastOrderId(page, /^rejected$/);
  await expect(result(page)).toContainText('kill switch');
  await expect(risk.getByTestId('risk-reject').first()).toContainText('killSwitch');
  await page.getByTestId('blotter-tab-rejects').click();
  await expect(page.getByTestId('blotter-reject').first()).toContainText('kill switch engaged (e2e drill)');

  const shot = testInfo.outputPath('kill-switch.png');
  await page.screenshot({ path: shot });
  await testInfo.attach('kill-switch', { path: shot, contentType: 'image/png' });
});

test('the risk role sees everything, cannot enter orders (and is told why), and may use the kill switch', async ({ page }, testInfo) => {
  // its own engine, with tokens required even on loopback and one risk token
  const token = randomBytes(24).toString('base64url');
  const dir = mkdtempSync(join(tmpdir(), 'pulse-e2e-risk-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({ auth: { require: true, tokens: [{ name: 'desk', role: 'risk', sha256: createHash('sha256').update(token).digest('hex') }] } }));
  const desk = await startPulse(['--config', config, '--rate', '100']);
  try {
    await openTerminal(page, new URL(`/?token=${token}`, desk.url).href);
    await expect(page.getByTestId('role')).toHaveText('risk');
    await expect(page.getByTestId('risk-view')).toBeVisible();
    await expect(page.getByTestId('ticket-blocked')).toContainText('risk role');
    await expect(page.getByTestId('ticket-submit')).toBeDisabled();
    await expect(page.getByTestId('ladder-view-only')).toBeVisible();
    await expect.poll(() => page.locator('[data-testid="ladder-row"][data-side="bid"]').count(), { timeout: 10_000 }).toBeGreaterThan(5);

    await page.locator('[data-testid="ladder-row"][data-side="bid"] .lc.price').first().click();
    await expect(result(page)).toHaveAttribute('data-state', 'rejected');
    await expect(result(page)).toContainText('not sent: risk role');
    await page.getByTestId('chart').click({ position: { x: 200, y: 10 } });
    await page.keyboard.press('b');
    await expect(page.getByTestId('ticket-notice')).toContainText('risk role');
    await expect(page.locator('[data-testid="blotter-order"]')).toHaveCount(0);

    await page.getByTestId('kill-switch').click();
    await page.getByTestId('confirm-input').fill('desk review');
    await page.getByTestId('confirm-ok').click();
    await expect(page.getByTestId('kill-switch-state')).toHaveAttribute('data-engaged', 'true');

    const shot = testInfo.outputPath('risk-role.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('risk-role', { path: shot, contentType: 'image/png' });
  } finally {
    await desk.stop();
  }
});
