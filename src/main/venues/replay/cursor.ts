/** Walks one recorded venue's rows in recorded order, across batches and files. */
import type { Manifest } from '../../recording/manifest';
import { readRecording, type DecodedBatch } from '../../recording/reader';

export class RowCursor {
  batch: DecodedBatch | null = null;
  row = -1;
  /** the batch's symbol index → the replay venue's symbol id (-1: not one of ours) */
  symbolId = new Int32Array(0);
  private batches: Generator<DecodedBatch>;
  private venueIdx = -1;

  constructor(private readonly dir: string, private readonly manifest: Manifest, private readonly source: string, private readonly ids: Map<string, number>) {
    this.batches = readRecording(dir, manifest);
  }

  /** Back to before the first row. */
  rewind(): void {
    this.batches.return(undefined);
    this.batches = readRecording(this.dir, this.manifest);
    this.batch = null;
    this.row = -1;
  }

  /** Moves to the source venue's next row; false at the end of the recording. */
  next(): boolean {
    for (;;) {
      const b = this.batch;
      if (b) {
        let r = this.row + 1;
        while (r < b.rows && b.venue[r] !== this.venueIdx) r++;
        if (r < b.rows) {
          this.row = r;
          return true;
        }
      }
      const it = this.batches.next();
      if (it.done) {
        this.batch = null;
        return false;
      }
      this.load(it.value);
    }
  }

  private load(b: DecodedBatch): void {
    this.batch = b;
    this.row = -1;
    this.venueIdx = b.venues.indexOf(this.source);
    this.symbolId = Int32Array.from(b.symbols, (s) => this.ids.get(s) ?? -1);
  }
}
