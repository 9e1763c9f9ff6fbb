/** What the shared-memory tap reports: GET /api/v1/shm, the About panel, the desktop setting. */
import type { ShmReaderView } from './addon';

export type ShmState = 'off' | 'running' | 'unavailable' | 'failed' | 'closed';

export interface ShmStatus {
  /** `shm.enabled` (the desktop setting, or `--shm`) */
  enabled: boolean;
  /** off: not enabled; unavailable: no addon or platform; failed: the file could not be made or written */
  state: ShmState;
  /** why the tap is not running, in a sentence; null while running */
  reason: string | null;
  path: string | null;
  layoutVersion: number;
  bookSlots: number;
  tradeSlots: number;
  readerSlots: number;
  /** records written since the tap opened (snapshot rounds included) */
  records: { book: number; trade: number };
  /** rounds of full books written for readers that asked (docs/shm.md, "Resync") */
  snapshots: { rounds: number; records: number };
  instruments: number;
  readers: ShmReaderView[];
}

/** One line for the About panel: "on: /dev/shm/pulse-shm, 1 reader", "off", "unavailable: …". */
export function shmSummary(s: ShmStatus): string {
  if (s.state === 'running') {
    const alive = s.readers.filter((r) => r.alive).length;
    return `on: ${s.path}, ${alive} reader${alive === 1 ? '' : 's'}`;
  }
  return s.reason ? `${s.state}: ${s.reason}` : s.state;
}
