/**
 * One mock venue per test file, and the rig each test makes: after every test the mock's injected
 * faults are cleared and its stream is let back in, the rig is closed, and two things must hold:
 * the rig saw no violation (a report out of order, a fill beyond the order), and the adapter never
 * misused the venue (a refused signature, a missing header).
 */
import { afterAll, afterEach, beforeAll, expect } from 'vitest';

export interface HookedMock {
  close(): Promise<void>;
  /** injected faults cleared, the private stream accepted again */
  reset(): void;
  /** what the adapter did that the venue refused as misuse (auth, signatures, headers) */
  misuse(): readonly string[];
}

export interface HookedRig {
  close(): Promise<void>;
  violations: unknown[];
}

/** `start` makes the file's mock (the caller keeps it); `rig` gives the current test's rig, if any. */
export function mockVenueHooks(start: () => Promise<HookedMock>, rig: () => HookedRig | undefined): void {
  let mock: HookedMock | undefined;
  let closed: HookedRig | undefined;
  beforeAll(async () => {
    mock = await start();
  });
  afterAll(async () => {
    await mock?.close();
  });
  afterEach(async () => {
    mock?.reset();
    const r = rig();
    if (r && r !== closed) {
      closed = r;
      await r.close();
      expect(r.violations).toEqual([]);
    }
    expect(mock?.misuse()).toEqual([]);
  });
}
