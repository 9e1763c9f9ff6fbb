/** Helpers for the recording tests: books rebuilt from a recording, and its event stream as comparable lines. */
import { readRecording } from './reader';
import { RowFlags, RowKind } from './schema';

export type Levels = Map<number, number>;
export interface RebuiltBook { bids: Levels; asks: Levels }

/** Each book of `venue` as the recording has it at `untilUs` (all updates received by then). */
export function rebuildBooks(dir: string, venue: string, untilUs = Infinity): Map<string, RebuiltBook> {
  const books = new Map<string, RebuiltBook>();
  let open = false;
  for (const b of readRecording(dir)) {
    for (let r = 0; r < b.rows; r++) {
      if (b.kind[r] !== RowKind.Book || b.venues[b.venue[r]!] !== venue) continue;
      if (!open && b.recvTs[r]! > untilUs) return books;
      const symbol = b.symbols[b.symbol[r]!]!;
      let book = books.get(symbol);
      if (!book) books.set(symbol, (book = { bids: new Map(), asks: new Map() }));
      const flags = b.flags[r]!;
      if (!open && (flags & RowFlags.Snapshot) !== 0) {
        book.bids.clear();
        book.asks.clear();
      }
      open = (flags & RowFlags.End) === 0;
      if ((flags & RowFlags.Empty) !== 0) continue;
      const side = b.side[r] === 0 ? book.bids : book.asks;
      if (b.qty[r] === 0) side.delete(b.price[r]!);
      else side.set(b.price[r]!, b.qty[r]!);
    }
  }
  return books;
}

/**
 * The recorded events of `venue` as text lines: book updates (symbol, version, prevVersion,
 * flags, levels) and trades, without the receive times (stamped anew by every run) and without
 * venue status rows (their place among the records depends on message timing).
 */
export function eventLines(dir: string, venue: string): { books: string[]; trades: string[] } {
  const books: string[] = [];
  const trades: string[] = [];
  let cur = '';
  for (const b of readRecording(dir)) {
    for (let r = 0; r < b.rows; r++) {
      if (b.venues[b.venue[r]!] !== venue) continue;
      const symbol = b.symbols[b.symbol[r]!];
      if (b.kind[r] === RowKind.Trade) {
        trades.push(`${symbol} ${b.side[r]} ${b.price[r]} ${b.qty[r]} ${b.tradeId[r]} ${b.exchangeTs[r]}`);
      } else if (b.kind[r] === RowKind.Book) {
        if (cur === '') cur = `${symbol} v${b.version[r]}/${b.prevVersion[r]} f${b.flags[r]! & RowFlags.Snapshot} ex${b.exchangeTs[r]}:`;
        if ((b.flags[r]! & RowFlags.Empty) === 0) cur += ` ${b.side[r]}@${b.price[r]}=${b.qty[r]}`;
        if ((b.flags[r]! & RowFlags.End) !== 0) {
          books.push(cur);
          cur = '';
        }
      }
    }
  }
  return { books, trades };
}
