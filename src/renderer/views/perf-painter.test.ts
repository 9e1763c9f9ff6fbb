import { describe, expect, it } from 'vitest';
import type { PerfMessage } from '../../shared/protocol';
import type { Session } from '../data/session';
import { PERF_METRICS, PerfPainter, perfCells } from './perf-painter';

const message = (ts: number): PerfMessage => ({
  type: 'perf',
  ts,
  engineToRenderer: { count: 60, p50Us: 850, p99Us: 4200, maxUs: 5100 },
  eventLoopLag: { count: 98, p50Us: 120, p99Us: 2300, maxUs: 9000 },
  orderPath: { count: 3, p50Us: 900, p99Us: 1800, maxUs: 1800 },
  journalSync: { count: 0, p50Us: 0, p99Us: 0, maxUs: 0 },
  heapUsedBytes: 48 * 1048576,
  rssBytes: 300 * 1048576,
});

describe('perf cells', () => {
  it('shows the engine figures in ms and MiB, and – for what was not measured', () => {
    expect(perfCells(message(1))).toEqual({
      e2rP50: '0.85', e2rP99: '4.2', loopP99: '2.3', loopMax: '9.0', orderP99: '1.8', orders: '3', fsyncP99: '–', heap: '48', rss: '300',
    });
    expect(Object.values(perfCells(null)).every((v) => v === '–')).toBe(true);
  });

  it('paints a new message into the card and blanks it when messages stop', () => {
    const cells = PERF_METRICS.map(([metric]) => ({ dataset: { metric }, textContent: '–' }));
    const root = { dataset: {} as Record<string, string>, querySelectorAll: () => cells } as unknown as HTMLElement;
    let current: PerfMessage | null = message(1000);
    const painter = new PerfPainter(root, { enginePerf: () => current } as unknown as Session);
    painter.paint(0);
    const text = () => Object.fromEntries(cells.map((c) => [c.dataset.metric, c.textContent]));
    expect(text()).toMatchObject({ e2rP99: '4.2', orders: '3' });
    expect(root.dataset.perf).toBe('1000');
    painter.paint(2000);
    expect(text().e2rP99).toBe('4.2');
    painter.paint(4000);
    expect(text().e2rP99).toBe('–');
    expect(root.dataset.perf).toBe('');
    current = message(5000);
    painter.paint(4100);
    expect(text().e2rP99).toBe('4.2');
  });
});
