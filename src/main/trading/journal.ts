/**
 * The order journal: append-only NDJSON, hash-chained (each entry holds the hash of the one
 * before), every order entry written and fdatasync'ed before the caller goes on — so an order is
 * on disk before it is sent. Venue reports caused by one command may be group-committed: written
 * at once, synced together at its end, and shown to no client before that (desk.ts). Opening verifies the whole chain: a break in the middle refuses to
 * open (never trade on a journal that lies); a torn last line (a crash mid-write) is reported,
 * kept aside in `<file>.torn-<time>`, and cut off so appends continue on a clean boundary.
 */
import { createHash } from 'node:crypto';
import { closeSync, fdatasyncSync, fstatSync, ftruncateSync, openSync, readFileSync, writeFileSync, writeSync, existsSync } from 'node:fs';

export interface JournalEntry {
  seq: number;
  ts: number;
  kind: string;
  data: unknown;
  prev: string;
  hash: string;
}

export interface TornTail {
  line: number;
  bytes: number;
  keptAt: string | null;
}

export class JournalCorrupt extends Error {
  constructor(readonly path: string, readonly line: number, detail: string) {
    super(`journal ${path} is corrupt at line ${line}: ${detail}`);
    this.name = 'JournalCorrupt';
  }
}

export class JournalWriteFailed extends Error {
  constructor(readonly path: string, cause: Error) {
    super(`journal ${path}: write failed (${(cause as NodeJS.ErrnoException).code ?? cause.message}); no order is sent until it is fixed`);
    this.name = 'JournalWriteFailed';
  }
}

export const GENESIS = '0'.repeat(64);

export function entryHash(prev: string, seq: number, ts: number, kind: string, data: unknown): string {
  return createHash('sha256').update(`${prev}\n${seq}\n${ts}\n${kind}\n${JSON.stringify(data)}`).digest('hex');
}

export interface ReadResult {
  entries: JournalEntry[];
  /** bytes of the valid prefix */
  validBytes: number;
  torn: { line: number; bytes: number } | null;
}

/** Reads and verifies a journal's text. Throws JournalCorrupt for a break before the last line. */
export function readJournal(path: string, text: string): ReadResult {
  const entries: JournalEntry[] = [];
  let prev = GENESIS;
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    line++;
    const raw = nl < 0 ? text.slice(pos) : text.slice(pos, nl);
    const isLast = nl < 0 || nl === text.length - 1;
    const bad = (detail: string): ReadResult => {
      if (isLast) return { entries, validBytes: Buffer.byteLength(text.slice(0, pos)), torn: { line, bytes: Buffer.byteLength(text.slice(pos)) } };
      throw new JournalCorrupt(path, line, detail);
    };
    if (nl < 0) return bad('last line has no newline');
    let e: JournalEntry;
    try {
      e = JSON.parse(raw) as JournalEntry;
    } catch {
      return bad('not JSON');
    }
    if (e.seq !== entries.length + 1) return bad(`sequence ${e.seq}, expected ${entries.length + 1}`);
    if (e.prev !== prev) return bad('previous-hash link broken');
    if (e.hash !== entryHash(e.prev, e.seq, e.ts, e.kind, e.data)) return bad('hash does not match the entry');
    entries.push(e);
    prev = e.hash;
    pos = nl + 1;
  }
  return { entries, validBytes: Buffer.byteLength(text), torn: null };
}

export class Journal {
  private fd: number;
  private prev: string;
  private seq: number;
  private size: number;
  /** set after a failed write that could not be rolled back: nothing more is accepted */
  broken: Error | null = null;
  /** time spent in fdatasync, for the benchmark */
  syncNanos = 0n;
  syncs = 0;
  /** entries written since the last fdatasync (deferred appends) */
  private unsynced = false;

  private constructor(readonly path: string, fd: number, last: JournalEntry | undefined, size: number) {
    this.fd = fd;
    this.prev = last?.hash ?? GENESIS;
    this.seq = last?.seq ?? 0;
    this.size = size;
  }

  static open(path: string, now = Date.now()): { journal: Journal; entries: JournalEntry[]; torn: TornTail | null } {
    const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
    const read = readJournal(path, text);
    let torn: TornTail | null = null;
    const fd = openSync(path, existsSync(path) ? 'r+' : 'w+');
    if (read.torn) {
      const keptAt = `${path}.torn-${now}`;
      let kept: string | null = keptAt;
      try {
        writeFileSync(keptAt, Buffer.from(text, 'utf8').subarray(read.validBytes));
      } catch {
        kept = null;
      }
      ftruncateSync(fd, read.validBytes);
      fdatasyncSync(fd);
      torn = { ...read.torn, keptAt: kept };
    }
    return { journal: new Journal(path, fd, read.entries.at(-1), read.validBytes), entries: read.entries, torn };
  }

  get length(): number {
    return this.seq;
  }

  /**
   * Appends one entry and syncs it (and any deferred entry before it) to disk; throws
   * JournalWriteFailed (and writes nothing) on failure. With `sync` false the entry is written
   * but the fdatasync is left to the next synced append or flush(): the caller must not act on
   * it, nor show it, before then (group commit).
   */
  append(kind: string, data: unknown, ts = Date.now(), sync = true): JournalEntry {
    if (this.broken) throw new JournalWriteFailed(this.path, this.broken);
    const seq = this.seq + 1;
    const hash = entryHash(this.prev, seq, ts, kind, data);
    const entry: JournalEntry = { seq, ts, kind, data, prev: this.prev, hash };
    const bytes = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off, this.size + off);
      if (sync) this.sync();
    } catch (err) {
      try {
        ftruncateSync(this.fd, this.size); // never leave half an entry behind
      } catch (truncErr) {
        this.broken = truncErr as Error;
      }
      throw new JournalWriteFailed(this.path, err as Error);
    }
    this.size += bytes.length;
    this.seq = seq;
    this.prev = hash;
    if (!sync) this.unsynced = true;
    return entry;
  }

  /** Syncs the deferred entries, if any; throws JournalWriteFailed when the disk refuses. */
  flush(): void {
    if (!this.unsynced) return;
    try {
      this.sync();
    } catch (err) {
      throw new JournalWriteFailed(this.path, err as Error);
    }
  }

  private sync(): void {
    const t0 = process.hrtime.bigint();
    fdatasyncSync(this.fd);
    this.syncNanos += process.hrtime.bigint() - t0;
    this.syncs++;
    this.unsynced = false;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** bytes on disk, for tests */
  diskSize(): number {
    return fstatSync(this.fd).size;
  }
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  lastHash: string;
  problem: string | null;
}

/** `pulse journal verify FILE`: checks the whole chain without changing the file. */
export function verifyJournalFile(path: string): VerifyReport {
  const text = readFileSync(path, 'utf8');
  try {
    const r = readJournal(path, text);
    const last = r.entries.at(-1)?.hash ?? GENESIS;
    if (r.torn) return { ok: false, entries: r.entries.length, lastHash: last, problem: `torn last line ${r.torn.line} (${r.torn.bytes} bytes): a write was cut off` };
    return { ok: true, entries: r.entries.length, lastHash: last, problem: null };
  } catch (err) {
    return { ok: false, entries: 0, lastHash: '', problem: (err as Error).message };
  }
}
