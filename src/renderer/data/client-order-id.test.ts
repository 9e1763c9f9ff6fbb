import { describe, expect, it } from 'vitest';
import { CLIENT_ORDER_ID, createIdGenerator } from './client-order-id';

describe('client order ids', () => {
  it('match the engine rule and never repeat', () => {
    const gen = createIdGenerator();
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) {
      const id = gen(i % 2 ? 'tk' : 'ld');
      expect(id).toMatch(CLIENT_ORDER_ID);
      seen.add(id);
    }
    expect(seen.size).toBe(20_000);
  });

  it('carry the time, a counter and randomness, and clean the prefix', () => {
    const gen = createIdGenerator(() => 1_700_000_000_000, () => 0.5);
    expect(gen('tk')).toBe(`tk-${(1_700_000_000_000).toString(36)}-1-iiiiii`);
    expect(gen('bad prefix!')).toMatch(/^badprefi-[0-9a-z]+-2-i{6}$/);
    expect(gen('')).toMatch(/^ui-/);
  });

  it('two terminals started in the same millisecond still differ', () => {
    const a = createIdGenerator(() => 5);
    const b = createIdGenerator(() => 5);
    expect(a()).not.toBe(b());
  });
});
