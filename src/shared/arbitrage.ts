/**
 * Cross-venue views the engine sends as JSON control messages and serves on REST: crossed
 * markets between venues net of taker fees, and one symbol's book consolidated across venues.
 * Prices and sizes are exact decimal strings (as in the REST books); bps and profit are numbers.
 */

/**
 * Buy at `buyVenue`'s ask, sell at `sellVenue`'s bid, both as a taker. Reported only while
 * the sell venue's best bid beats the buy venue's best ask by more than both legs' taker fees.
 */
export interface ArbOpportunity {
  /** `${symbol}:${buyVenue}>${sellVenue}@${firstSeen}`: one appearance of a crossed pair */
  id: string;
  symbol: string;
  buyVenue: string;
  /** best ask at the buy venue */
  buyPrice: string;
  sellVenue: string;
  /** best bid at the sell venue */
  sellPrice: string;
  /** the books' versions the numbers were computed from */
  buyVersion: number;
  sellVersion: number;
  /** min of the two touch sizes */
  touchSize: string;
  /** base quantity while the next unit is still profitable net of fees, walking both books (top levels only) */
  size: string;
  /** levels of the buy / sell book the size walks */
  buyLevels: number;
  sellLevels: number;
  /** volume-weighted prices over `size` */
  buyVwap: number;
  sellVwap: number;
  /** (best bid - best ask) / best ask, before fees */
  grossBps: number;
  /** profit / buy notional over `size`, after fees */
  netBps: number;
  /** quote currency over `size`, after both taker fees; > 0 */
  profit: number;
  quote: string;
  buyFeeBps: number;
  sellFeeBps: number;
  /** engine ms since the epoch */
  firstSeen: number;
  lastSeen: number;
  /** null while it lasts */
  endedAt: number | null;
  /** first seen → now (live) or → ended */
  durationMs: number;
  /** best net bps seen over its life */
  peakNetBps: number;
}

/** Said once when an opportunity appears, and not again for the same pair within the alert interval. */
export interface ArbAlert {
  id: string;
  symbol: string;
  buyVenue: string;
  sellVenue: string;
  netBps: number;
  profit: number;
  size: string;
  ts: number;
}

export interface ArbitrageState {
  /** engine ms since the epoch when this was computed */
  ts: number;
  /** opportunities now, best net bps first */
  live: ArbOpportunity[];
  /** ended ones, newest end first */
  recent: ArbOpportunity[];
  /** gross crosses between live books that fees turn into no opportunity, now */
  crossedUnderFees: number;
  /** taker fee per venue in use, and the default for others */
  takerFeeBps: Record<string, number>;
  alertIntervalSeconds: number;
}

export interface ArbitrageMessage extends ArbitrageState {
  type: 'arbitrage';
  /** alerts raised since the previous message */
  alerts: ArbAlert[];
}

/** One venue's touch for the symbol, side by side with the others. */
export interface VenueBbo {
  venue: string;
  /** false: the book is stale (not known to be exact) and is left out of the consolidated levels */
  live: boolean;
  staleReason?: string;
  version: number;
  bid: string | null;
  bidSize: string | null;
  ask: string | null;
  askSize: string | null;
  takerFeeBps: number;
}

/** One price level across venues: the total and each venue's part. */
export interface ConsolidatedLevel {
  price: string;
  size: string;
  venues: Array<{ venue: string; size: string }>;
}

export interface ConsolidatedMessage {
  type: 'consolidated';
  symbol: string;
  ts: number;
  venues: VenueBbo[];
  /** best first; live books only */
  bids: ConsolidatedLevel[];
  asks: ConsolidatedLevel[];
}
