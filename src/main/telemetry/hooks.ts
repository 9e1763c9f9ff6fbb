/**
 * What the desk and the publisher report for metrics. The engine's Telemetry implements these;
 * they stay free of prom-client so the reporting side imports nothing heavy. Each call is a
 * counter increment or a histogram record.
 */

/** How one desk.place() ended. */
export type OrderResult = 'sent' | 'rejected' | 'invalid' | 'journal-failed';
export const ORDER_RESULTS: readonly OrderResult[] = ['sent', 'rejected', 'invalid', 'journal-failed'];

/** µs spent in each stage of desk.place(); NaN for a stage that did not run. */
export interface OrderPathTimes {
  validateUs: number;
  riskUs: number;
  journalUs: number;
  sendUs: number;
}

export interface DeskMetrics {
  order(venue: string, result: OrderResult, path?: OrderPathTimes): void;
  /** one journal append's fdatasync */
  journalSync(us: number): void;
}

export interface PublisherMetrics {
  /** a delta frame went out: engine receive of its newest change → send, µs */
  deltaSent(venue: string, latencyUs: number): void;
}
