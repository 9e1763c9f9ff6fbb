/**
 * Orders that take reports the way the desk does (so an impossible sequence, e.g. a fill after a
 * cancel, is caught as a violation), and a recorder of every report and log call an adapter makes.
 */
import { parsePrice, parseQty, type Precision } from '../../../../shared/instruments';
import { OrderRequestSchema, type OrderRequestInput } from '../../../../shared/trading';
import type { ExecutionReport, ReportSink } from '../../execution';
import type { LiveAdapterContext } from '../../live';
import { Order } from '../../order';

export interface LogCall {
  level: string;
  msg: string;
  fields?: Record<string, unknown>;
}

/** An order as the desk hands it to a venue: validated onto the grid, journaled, pending. */
export function pendingOrderOf(input: OrderRequestInput, precisionOf: (symbol: string) => Precision): Order {
  const req = OrderRequestSchema.parse(input);
  const p = precisionOf(req.symbol);
  const o = new Order(req, p, parseQty(req.qty, p), req.price === undefined ? null : parsePrice(req.price, p), req.stopPrice === undefined ? null : parsePrice(req.stopPrice, p), Date.now());
  o.transition('pending', Date.now());
  return o;
}

/** What the desk does with a report (desk.ts applyReport), minus journal and positions. */
export function applyLikeDesk(o: Order, r: ExecutionReport): void {
  switch (r.type) {
    case 'ack':
      o.venueOrderId = r.venueOrderId;
      if (o.state === 'pending') o.transition('working', r.at);
      break;
    case 'fill':
      if (o.state === 'pending') o.transition('working', r.at);
      o.fill(r.priceTicks, r.lots, r.at);
      break;
    default:
      if (o.isOpen) o.transition(r.type, r.at, r.reason);
  }
}

/** The order as the desk rebuilds it from its journal: the request, then every report journaled. */
export function fromJournal(o: Order, journaled: ExecutionReport[]): Order {
  const copy = new Order(o.req, o.precision, o.lots, o.priceTicks, o.stopTicks, o.createdAt);
  copy.transition('pending', o.createdAt);
  for (const r of journaled) applyLikeDesk(copy, r);
  return copy;
}

export interface Recorder {
  reports: ExecutionReport[];
  logs: LogCall[];
  /** reports the desk could not apply (an illegal transition), or for an unknown order: must stay empty */
  violations: string[];
  orders: Map<string, Order>;
  report: ReportSink;
  log: LiveAdapterContext['log'];
  reportsOf(clientOrderId: string): ExecutionReport[];
}

export function recorder(): Recorder {
  const reports: ExecutionReport[] = [];
  const logs: LogCall[] = [];
  const violations: string[] = [];
  const orders = new Map<string, Order>();
  return {
    reports, logs, violations, orders,
    report: (r) => {
      reports.push(r);
      const o = orders.get(r.clientOrderId);
      if (!o) return void violations.push(`report for unknown order ${r.clientOrderId}`);
      try {
        applyLikeDesk(o, r);
      } catch (err) {
        violations.push((err as Error).message);
      }
    },
    log: (level, msg, fields) => void logs.push({ level, msg, fields }),
    reportsOf: (id) => reports.filter((r) => r.clientOrderId === id),
  };
}
