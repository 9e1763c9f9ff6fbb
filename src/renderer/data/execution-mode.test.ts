import { describe, expect, it } from 'vitest';
import type { VenueInfo } from '../../shared/protocol';
import { executionMode } from './execution-mode';

const v = (kind: VenueInfo['kind'], extra: object = {}): VenueInfo => ({ id: 'x', kind, state: 'live', symbols: [], instruments: [], ...extra });

describe('execution mode', () => {
  it('says paper only where it must be paper, unless the engine says', () => {
    expect(executionMode(v('simulator'))).toBe('paper');
    expect(executionMode(v('replay'))).toBe('paper');
    expect(executionMode(v('exchange'))).toBe('unknown');
    expect(executionMode(v('exchange', { execution: 'live' }))).toBe('live');
    expect(executionMode(v('exchange', { execution: 'paper' }))).toBe('paper');
    expect(executionMode(undefined)).toBe('unknown');
  });
});
