/**
 * Live execution: which venues trade for real, with whose keys. A venue trades live only when
 * it is listed in `trading.live` AND its credentials are in the store; every other venue trades
 * on the paper venue. Each adapter lives in its venue folder (`venues/<venue>/live/`), signs
 * exactly as its venue documents, and reports through the same ExecutionReport stream.
 */
import type { Precision } from '../../shared/instruments';
import type { VenueCredentials } from '../credentials/file-store';
import type { LogLevel } from '../telemetry/log';
import type { ExecutionVenue, ReportSink } from './execution';
import { createBinanceUsExecution } from '../venues/binanceus/live/execution';
import { createCoinbaseExecution } from '../venues/coinbase/live/execution';
import { createKrakenExecution } from '../venues/kraken/live/execution';
import { createOandaExecution } from '../venues/oanda/live/execution';

export interface LiveAdapterContext {
  venue: string;
  /** the venue's validated settings: restUrl, wsUrl, … and resilience */
  settings: Record<string, unknown>;
  credentials: VenueCredentials;
  report: ReportSink;
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  now(): number;
  /** tick/lot precision of a canonical symbol on this venue (undefined if unknown) */
  precision(symbol: string): Precision | undefined;
}

export type LiveAdapterFactory = (ctx: LiveAdapterContext) => ExecutionVenue;

export const LIVE_ADAPTERS: Readonly<Record<string, LiveAdapterFactory>> = {
  coinbase: createCoinbaseExecution,
  kraken: createKrakenExecution,
  binanceus: createBinanceUsExecution,
  oanda: createOandaExecution,
};
