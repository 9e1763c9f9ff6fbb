/**
 * A headless Pulse client over the real WebSocket: keeps its own copy of each subscribed book
 * from snapshots and deltas, detects version gaps and asks for a snapshot, exactly as the
 * renderer must. Used by integration tests and the latency benchmark.
 */
import WebSocket from 'ws';
import { forEachLevel, forEachTrade, readBookInfo } from '../../shared/frame-codec';
import { FrameFlags, FrameType, readHeader } from '../../shared/frames';
import type { Command, ControlMessage } from '../../shared/protocol';
import { nowMicros } from '../../shared/units';

export interface ClientBook {
  version: number;
  stale: boolean;
  bids: Map<number, number>;
  asks: Map<number, number>;
  snapshots: number;
  deltas: number;
  gaps: number;
  awaitingSnapshot: boolean;
}

export class BookClient {
  readonly books = new Map<string, ClientBook>();
  readonly control: ControlMessage[] = [];
  trades = 0;
  /** engine receive → client decode of the newest change in each delta (µs) */
  readonly latencies: number[] = [];
  /** the same for the oldest change in each delta: includes the wait for the frame interval */
  readonly oldestLatencies: number[] = [];
  /** when set, the next delta for this book is dropped as if lost (tests gap recovery) */
  dropNextDelta: string | null = null;
  onDelta?: (key: string, book: ClientBook) => void;
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.onFrame(data as Buffer);
      else this.control.push(JSON.parse(data.toString()) as ControlMessage);
    });
  }

  static connect(url: string): Promise<BookClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.binaryType = 'nodebuffer';
      const client = new BookClient(ws);
      ws.once('open', () => resolve(client));
      ws.once('error', reject);
    });
  }

  send(command: Command | Record<string, unknown> | string): void {
    this.ws.send(typeof command === 'string' ? command : JSON.stringify(command));
  }

  subscribe(venue: string, symbol: string): void {
    this.send({ type: 'subscribe', venue, symbol });
  }

  book(venue: string, symbol: string): ClientBook | undefined {
    return this.books.get(`${venue}/${symbol}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private onFrame(buf: Buffer): void {
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    const h = readHeader(view);
    if (h.type === FrameType.Trades) {
      this.trades += forEachTrade(view, h, () => {});
      return;
    }
    if (h.type !== FrameType.BookSnapshot && h.type !== FrameType.BookDelta) return;
    const key = `${h.venue}/${h.symbol}`;
    const info = readBookInfo(view, h);
    let book = this.books.get(key);
    if (!book) {
      book = { version: NaN, stale: true, bids: new Map(), asks: new Map(), snapshots: 0, deltas: 0, gaps: 0, awaitingSnapshot: true };
      this.books.set(key, book);
    }
    if (h.type === FrameType.BookSnapshot) {
      book.bids.clear();
      book.asks.clear();
      book.snapshots++;
      book.awaitingSnapshot = false;
    } else {
      if (this.dropNextDelta === key) {
        this.dropNextDelta = null;
        return;
      }
      if (book.awaitingSnapshot) return;
      if (info.prevVersion !== book.version) {
        book.gaps++;
        book.awaitingSnapshot = true;
        this.send({ type: 'snapshot', venue: h.venue, symbol: h.symbol });
        return;
      }
      book.deltas++;
      const now = nowMicros();
      this.latencies.push(now - info.lastTs);
      this.oldestLatencies.push(now - info.firstTs);
    }
    forEachLevel(view, info, (side, price, qty) => {
      const m = side === 0 ? book!.bids : book!.asks;
      if (qty === 0) m.delete(price);
      else m.set(price, qty);
    });
    book.version = info.version;
    book.stale = (h.flags & FrameFlags.Stale) !== 0;
    if (h.type === FrameType.BookDelta) this.onDelta?.(key, book);
  }
}

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
