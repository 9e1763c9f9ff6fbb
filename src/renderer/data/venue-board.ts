import { STATUS_FIELDS, VENUE_STATE_NAMES, type FrameHeader, type VenueState, type VenueStateName, type VenueStatusFields } from '../../shared/frames';
import { readVenueStatus } from '../../shared/frame-codec';

export interface VenueEntry {
  id: string;
  state: VenueState;
  stateName: VenueStateName | 'unknown';
  fields: VenueStatusFields;
  /** local clock (ms) of the last status frame */
  updatedMs: number;
  frames: number;
}

export function emptyFields(): VenueStatusFields {
  const f = {} as VenueStatusFields;
  for (const name of STATUS_FIELDS) f[name] = 0;
  return f;
}

/** Per-venue state and counters from VenueStatus frames. */
export class VenueBoard {
  readonly entries = new Map<string, VenueEntry>();
  version = 0;

  apply(view: DataView, h: FrameHeader, nowMs: number): VenueEntry {
    const { state, fields } = readVenueStatus(view, h);
    let e = this.entries.get(h.venue);
    if (!e) {
      e = { id: h.venue, state, stateName: 'unknown', fields, updatedMs: nowMs, frames: 0 };
      this.entries.set(h.venue, e);
    }
    e.state = state;
    e.stateName = VENUE_STATE_NAMES[state] ?? 'unknown';
    e.fields = fields;
    e.updatedMs = nowMs;
    e.frames++;
    this.version++;
    return e;
  }

  /** True when we know the venue and it is not live. */
  isDegraded(venue: string): boolean {
    const e = this.entries.get(venue);
    return e !== undefined && e.stateName !== 'live';
  }
}
