// Kraken WebSocket v2 book checksum: https://docs.kraken.com/exchange/guides/websockets/book-checksum-v2
// Top 10 asks (low→high) then top 10 bids (high→low); each price and qty written with the pair's
// precision, '.' and leading zeros removed, concatenated; CRC32 (IEEE) of it, unsigned.
//
// A price or qty at a fixed precision minus '.' and leading zeros is its integer count of
// 10^-precision units in decimal, so digits come straight from integers. And CRC32 is linear:
// running a state s over a segment b gives shift_len(b)(s) XOR crc0(b), where crc0 starts from 0
// and shift_L is L zero bytes. So each level's crc0 is cached (levels near the touch rarely change
// between messages) and a checksum is 20 table shifts instead of ~400 byte steps.
import type { L2Book } from '../../market/l2-book';

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** CRC32 (IEEE, as zlib) of a string of ASCII characters; for tests and the mock. */
export function crc32Ascii(text: string): number {
  let crc = -1;
  for (let i = 0; i < text.length; i++) crc = TABLE[(crc ^ text.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** SHIFT[L] maps a state to the state after L zero bytes, one 256-entry table per state byte. */
const SHIFT: Int32Array[] = [];
function shiftTable(len: number): Int32Array {
  let z = SHIFT[len];
  if (z) return z;
  z = new Int32Array(1024);
  for (let k = 0; k < 4; k++) {
    for (let v = 0; v < 256; v++) {
      let s = v << (8 * k);
      for (let i = 0; i < len; i++) s = TABLE[s & 0xff]! ^ (s >>> 8);
      z[k * 256 + v] = s;
    }
  }
  return (SHIFT[len] = z);
}

const digits = new Uint8Array(24);
let segLen = 0;

/** Runs the decimal digits of a non-negative integer (< 2^53) through the CRC from `crc`; counts them in segLen. */
function crcUnits(crc: number, units: number): number {
  let n = 0;
  do {
    const q = Math.floor(units / 10);
    digits[n++] = 0x30 + units - q * 10;
    units = q;
  } while (units > 0);
  segLen += n;
  while (n > 0) crc = TABLE[(crc ^ digits[--n]!) & 0xff]! ^ (crc >>> 8);
  return crc;
}

export const CHECKSUM_LEVELS = 10;
/** Levels cached per instrument (direct-mapped by price): the top 20 and their recent sizes fit many times over. */
const CACHE_SLOTS = 1024;

/** Kraken's checksum for one instrument's books: prices are ticks of tickUnits, sizes lots of lotUnits precision units. */
export class BookChecksum {
  private readonly prices = new Float64Array(CACHE_SLOTS).fill(NaN);
  private readonly qtys = new Float64Array(CACHE_SLOTS);
  private readonly crcs = new Int32Array(CACHE_SLOTS);
  private readonly lens = new Uint8Array(CACHE_SLOTS);
  private readonly topPrices = new Float64Array(CHECKSUM_LEVELS);
  private readonly topQtys = new Float64Array(CHECKSUM_LEVELS);

  constructor(private readonly tickUnits: number, private readonly lotUnits: number) {}

  of(book: L2Book): number {
    let crc = -1;
    const { prices, qtys, crcs, lens, topPrices, topQtys } = this;
    for (let side = 1; side >= 0; side--) {
      const n = book.top(side as 0 | 1, CHECKSUM_LEVELS, topPrices, topQtys);
      for (let r = 0; r < n; r++) {
        const price = topPrices[r]!;
        const qty = topQtys[r]!;
        const slot = (price + side * 517) & (CACHE_SLOTS - 1);
        if (prices[slot] !== price || qtys[slot] !== qty) {
          segLen = 0;
          crcs[slot] = crcUnits(crcUnits(0, price * this.tickUnits), qty * this.lotUnits);
          lens[slot] = segLen;
          prices[slot] = price;
          qtys[slot] = qty;
        }
        const z = SHIFT[lens[slot]!] ?? shiftTable(lens[slot]!);
        crc = z[crc & 0xff]! ^ z[256 + ((crc >>> 8) & 0xff)]! ^ z[512 + ((crc >>> 16) & 0xff)]! ^ z[768 + (crc >>> 24)]! ^ crcs[slot]!;
      }
    }
    return ~crc >>> 0;
  }
}
