// Coinbase Advanced Trade WebSocket channels: https://docs.cdp.coinbase.com/coinbase-app/advanced-trade-apis/websocket/websocket-channels
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parsePrice } from '../../../shared/instruments';
import { emptyEnvelope, parseSteps, parseTimestampMicros, readEnvelope, type Envelope } from './messages';
import { payload } from './tests/rig-support';

describe('parseSteps', () => {
  it('agrees with parsePrice (shared/instruments) on every unsigned decimal, and is NaN exactly where parsePrice throws', () => {
    const decimal = fc.tuple(fc.stringMatching(/^\d{0,7}$/), fc.option(fc.stringMatching(/^\d{0,10}$/))).map(([w, f]) => (f === null ? w : `${w}.${f}`));
    const step = fc.constantFrom(['0.01', 2, 1], ['0.05', 2, 5], ['0.00000001', 8, 1], ['0.0025', 4, 25], ['1', 0, 1], ['5', 0, 5]);
    fc.assert(
      fc.property(decimal, step, (text, [tick, decimals, units]) => {
        let expected: number;
        try {
          expected = parsePrice(text, { priceDecimals: decimals as number, tickUnits: units as number, sizeDecimals: 0, lotUnits: 1 });
        } catch {
          expected = NaN;
        }
        expect(parseSteps(text, decimals as number, units as number), `${text} on ${tick}`).toBe(expected);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses what a venue number must not be', () => {
    for (const bad of ['-1', '+1', '1e3', ' 1', '1 ', '0x10', '1.2.3', '.', '', 'NaN', 'Infinity', '１']) expect(parseSteps(bad, 2, 1), bad).toBeNaN();
    for (const bad of [1, null, undefined, {}, ['1']]) expect(parseSteps(bad, 2, 1)).toBeNaN();
    expect(parseSteps('9007199254740993', 0, 1)).toBeNaN();
    expect(parseSteps('64120.150000000', 2, 1)).toBe(6_412_015);
  });
});

describe('parseTimestampMicros', () => {
  const base = Date.UTC(2023, 1, 9, 20, 32, 50) * 1000;
  it('keeps the sub-millisecond digits Date.parse drops', () => {
    expect(parseTimestampMicros('2023-02-09T20:32:50.714964855Z')).toBe(base + 714_964);
    expect(parseTimestampMicros('2023-02-09T20:32:50.714964Z')).toBe(base + 714_964);
    expect(parseTimestampMicros('2023-02-09T20:32:50.7Z')).toBe(base + 700_000);
    expect(parseTimestampMicros('2023-02-09T20:32:50Z')).toBe(base);
    expect(parseTimestampMicros('2023-02-09T22:32:50.000001+02:00')).toBe(base + 1);
    expect(parseTimestampMicros('2023-02-09T20:32:50.714964855Z') / 1000).toBeCloseTo(Date.parse('2023-02-09T20:32:50.714Z'), -1);
  });
  it('reads the same second through its cache exactly as the first time', () => {
    const first = parseTimestampMicros('2023-02-09T20:32:50.000000001Z');
    expect(first).toBe(base);
    for (const [frac, us] of [['714964855', 714_964], ['7', 700_000], ['123456', 123_456], ['000001', 1]] as const) expect(parseTimestampMicros(`2023-02-09T20:32:50.${frac}Z`)).toBe(base + us);
    for (const bad of ['2023-02-09T20:32:50.Z', '2023-02-09T20:32:50.12a4Z', '2023-02-09T20:32:50.1234567890Z']) expect(parseTimestampMicros(bad), bad).toBeNaN();
    expect(parseTimestampMicros('2023-02-09T20:32:51.5Z')).toBe(base + 1_500_000);
  });
  it('is NaN for anything else', () => {
    for (const bad of ['2023-02-09', '2023-13-09T20:32:50Z', '2023-02-09T25:32:50Z', '2023-02-09T20:32:50.Z', '1675974770', 1675974770, null]) expect(parseTimestampMicros(bad)).toBeNaN();
  });
});

describe('readEnvelope', () => {
  const read = (m: Record<string, unknown>): Envelope | string => {
    const out = emptyEnvelope();
    return readEnvelope(m, out) ?? out;
  };
  it('reads channel, sequence_num, events and the timestamp of recorded payloads', () => {
    expect(read(payload('l2-update'))).toMatchObject({ channel: 'l2_data', seq: 2, tsMicros: Date.UTC(2024, 4, 14, 9, 21, 7) * 1000 + 391_007 });
    expect(read(payload('heartbeats'))).toMatchObject({ channel: 'heartbeats', seq: 4 });
  });
  it('says what is missing', () => {
    expect(read({ channel: 'l2_data', sequence_num: -1, events: [] })).toMatch(/sequence_num -1/);
    expect(read({ channel: 'l2_data', sequence_num: 1.5, events: [] })).toMatch(/sequence_num 1.5/);
    expect(read({ channel: 'l2_data', sequence_num: 3 })).toMatch(/without an events array/);
    expect(read({ type: 'error' })).toMatch(/without a channel/);
  });
});
