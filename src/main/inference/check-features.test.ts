import { describe, expect, it } from 'vitest';
import { FEATURE_NAMES } from './features';
import { checkFeatures } from './signal-service';

describe('model feature list check', () => {
  it('accepts exactly the engine feature list', () => {
    expect(() => checkFeatures([...FEATURE_NAMES])).not.toThrow();
  });

  it('refuses a model with another feature list, naming the mismatch', () => {
    const [first, ...rest] = FEATURE_NAMES;
    expect(() => checkFeatures([...rest, 'moon_phase'])).toThrow(new RegExp(`missing ${first}; unknown moon_phase`));
    expect(() => checkFeatures([...rest, first!])).toThrow(/same names in another order/);
    expect(() => checkFeatures([])).toThrow(/does not match the engine's \(missing /);
  });
});
