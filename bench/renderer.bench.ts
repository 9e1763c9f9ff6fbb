/**
 * Renderer frame time in Debian's Chromium (Playwright) with the simulator at 10,000 book
 * updates/s across the engine. Reads the page's own perf probe (window.__pulsePerf): the interval
 * between animation frames, and the time our per-frame update took inside each.
 */
import { chromium } from '@playwright/test';
import { startPulse } from '../e2e/support/pulse-server';
import { fmt, isEntry, percentiles, sleep } from './support';

interface PerfProbe {
  frames: number;
  frameIntervalsMs: number[];
  workMs: number[];
}

export async function main(): Promise<void> {
  const totalRate = 10_000;
  const pulse = await startPulse(['--rate', String(totalRate / 3)]);
  const browser = await chromium.launch({
    executablePath: process.env.PULSE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await page.goto(pulse.url);
    await page.getByTestId('link-state').filter({ hasText: /open/i }).waitFor({ timeout: 15_000 });
    await sleep(3000);
    await page.evaluate(() => (globalThis as unknown as { __pulsePerf: { reset(): void } }).__pulsePerf.reset());
    const seconds = 10;
    await sleep(seconds * 1000);
    const perf = await page.evaluate(() => {
      const p = (globalThis as unknown as { __pulsePerf: PerfProbe }).__pulsePerf;
      return { frames: p.frames, intervals: [...p.frameIntervalsMs], work: [...p.workMs] };
    });
    const [i50, i95, i99] = percentiles(perf.intervals, [50, 95, 99]);
    const [w50, w95, w99] = percentiles(perf.work, [50, 95, 99]);
    console.log(`renderer @ ${totalRate.toLocaleString()} updates/s, BTC-USD ladder + chart + tape, headless Chromium --disable-gpu:`);
    console.log(`  frame interval p50 ${fmt(i50!)} ms, p95 ${fmt(i95!)} ms, p99 ${fmt(i99!)} ms (${fmt(perf.frames / seconds, 1)} fps)`);
    console.log(`  our per-frame work p50 ${fmt(w50!)} ms, p95 ${fmt(w95!)} ms, p99 ${fmt(w99!)} ms`);
  } finally {
    await browser.close();
    await pulse.stop();
  }
}

if (isEntry(import.meta.url)) await main();
