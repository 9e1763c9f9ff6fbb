/** Control messages between the engine's Recorder and its worker (postMessage). */
import type { InstrumentInfo } from '../../shared/protocol';
import type { ColumnBatch } from './columns';

export interface RecorderInit {
  dir: string;
  maxFileBytes: number;
  rotateHourly: boolean;
  venues: Array<{ id: string; kind: string }>;
}

export type ToRecorderWorker =
  /** a venue declared its instruments; `symbols` is the whole global symbol list (indexes of the symbol column) */
  | { type: 'instruments'; venueIndex: number; instruments: InstrumentInfo[]; symbols: string[] }
  /** `reasons`: the status rows' reason text, by row */
  | { type: 'batch'; rows: number; cols: ColumnBatch; reasons: Array<[number, string]> }
  | { type: 'close' };

export type FromRecorderWorker =
  | { type: 'written'; rows: number; bytes: number; files: number; cols: ColumnBatch }
  | { type: 'failed'; code: string; message: string }
  | { type: 'closed'; files: number; bytes: number };
