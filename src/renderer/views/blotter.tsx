import { useEffect, useRef, useState } from 'react';
import type { FillView, OrderView, PositionView } from '../../shared/trading';
import { fmtTimeMicros } from '../data/format';
import { isWorking, useTrading, type RejectEntry } from '../data/trading-store';
import { useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { PnlPainter, fmtPnl } from './pnl-painter';
import { useSession } from './session-context';
import '../styles/blotter.css';

type Tab = 'working' | 'fills' | 'rejects' | 'positions';
const SHOW = 200;

const time = (ms: number): string => fmtTimeMicros(ms * 1000).slice(0, 8);

function OrderRow({ o, onCancel }: { o: OrderView; onCancel?: (id: string) => void }) {
  const open = isWorking(o);
  return (
    <tr data-testid="blotter-order" data-state={o.state} data-client-order-id={o.clientOrderId} data-side={o.side} className={`side-${o.side}`}>
      <td className="t">{time(o.createdAt)}</td>
      <td className="sym">
        {o.symbol}
        <i>{o.venue}</i>
      </td>
      <td className="sd">{o.side}</td>
      <td>
        {o.type === 'stop-limit' ? 'stop' : o.type === 'market' ? 'mkt' : 'lmt'}
        <i>
          {o.tif}
          {o.postOnly ? ' P' : ''}
          {o.reduceOnly ? ' R' : ''}
        </i>
      </td>
      <td className="n">{o.qty}</td>
      <td className="n">{Number(o.filledQty) > 0 ? o.filledQty : ''}</td>
      <td className="n">
        {o.price ?? (o.avgFillPrice ? `~${o.avgFillPrice}` : 'mkt')}
        {o.stopPrice && <i>stop {o.stopPrice}</i>}
      </td>
      <td>
        <b className={`st st-${o.state}`} title={o.reason ?? ''}>
          {o.state}
        </b>
      </td>
      <td className="act">
        {open && onCancel && (
          <button type="button" className="x-btn" data-testid="blotter-cancel" title={`Cancel ${o.clientOrderId}`} onClick={() => onCancel(o.clientOrderId)}>
            ✕
          </button>
        )}
      </td>
    </tr>
  );
}

function FillRow({ f }: { f: FillView }) {
  return (
    <tr data-testid="blotter-fill" data-client-order-id={f.clientOrderId} className={`side-${f.side}`}>
      <td className="t">{time(f.ts)}</td>
      <td className="sym">
        {f.symbol}
        <i>{f.venue}</i>
      </td>
      <td className="sd">{f.side}</td>
      <td className="n">{f.qty}</td>
      <td className="n">{f.price}</td>
      <td>{f.liquidity}</td>
      <td className="n">{Number(f.fee).toFixed(4)}</td>
      <td className="id" title={f.clientOrderId}>
        {f.clientOrderId}
      </td>
    </tr>
  );
}

function RejectRow({ r }: { r: RejectEntry }) {
  return (
    <tr data-testid="blotter-reject" data-client-order-id={r.clientOrderId} className={r.side ? `side-${r.side}` : ''}>
      <td className="t">{time(r.ts)}</td>
      <td className="sym">
        {r.symbol}
        <i>{r.venue}</i>
      </td>
      <td className="sd">{r.side}</td>
      <td>{r.source === 'engine' ? 'engine' : r.source === 'error' ? 'refused' : 'not sent'}</td>
      <td className="reason" title={r.reason}>
        {r.reason}
      </td>
    </tr>
  );
}

function PositionRow({ p, onFlatten }: { p: PositionView; onFlatten?: (venue: string, symbol: string) => void }) {
  const flat = Number(p.qty) === 0;
  return (
    <tr data-testid="blotter-position" data-venue={p.venue} data-symbol={p.symbol} data-qty={p.qty} className={flat ? 'flat' : Number(p.qty) > 0 ? 'long' : 'short'}>
      <td className="sym">
        {p.symbol}
        <i>{p.venue}</i>
      </td>
      <td className="n q">{p.qty}</td>
      <td className="n">{p.avgPrice ?? '–'}</td>
      <td className="n" data-mark="" data-venue={p.venue} data-symbol={p.symbol} data-engine-mark={p.mark ?? ''} />
      <td
        className="n pnl"
        data-testid="position-upnl"
        data-upnl=""
        data-venue={p.venue}
        data-symbol={p.symbol}
        data-qty={p.qty}
        data-avg={p.avgPrice ?? ''}
        data-engine={p.unrealizedPnl}
      />
      <td className={`n pnl ${p.realizedPnl > 0 ? 'pos' : p.realizedPnl < 0 ? 'neg' : ''}`} data-testid="position-rpnl">
        {fmtPnl(p.realizedPnl)}
      </td>
      <td className="n">{p.fees.toFixed(2)}</td>
      <td className="act">
        {!flat && onFlatten && (
          <button type="button" className="txt-btn" data-testid="blotter-flatten" title="Cancel its orders and close the position at market (reduce-only)" onClick={() => onFlatten(p.venue, p.symbol)}>
            Flatten
          </button>
        )}
      </td>
    </tr>
  );
}

/** Orders, fills, rejects and positions. Unrealised PnL is marked live (PnlPainter) from the books this terminal follows. */
export function Blotter() {
  const session = useSession();
  const [tab, setTab] = useState<Tab>('working');
  const [showDone, setShowDone] = useState(false);
  const orders = useTrading((s) => s.orders);
  const fills = useTrading((s) => s.fills);
  const rejects = useTrading((s) => s.rejects);
  const positions = useTrading((s) => s.positions);
  const role = useTrading((s) => s.role);
  const selection = useUi((s) => s.selection);
  const rootRef = useRef<HTMLElement>(null);

  useEffect(() => {
    const painter = new PnlPainter(rootRef.current!, session.market);
    return addFrameTask('blotter-pnl', (now) => painter.paint(now));
  }, [session]);

  const all = [...orders.values()].sort((a, b) => b.createdAt - a.createdAt);
  const working = all.filter(isWorking);
  const shownOrders = (showDone ? all : working).slice(0, SHOW);
  const shownFills = fills.slice(-SHOW).reverse();
  const shownRejects = rejects.slice(-SHOW).reverse();
  const open = positions.filter((p) => Number(p.qty) !== 0).length;
  const cancel = (id: string) => session.trading.cancel(id);
  const flatten = role === 'trader' ? (venue: string, symbol: string) => session.trading.flatten(venue, symbol) : undefined;
  const mineHere = selection ? working.filter((o) => o.venue === selection.venue && o.symbol === selection.symbol).length : 0;

  const tabs: Array<[Tab, string, number]> = [
    ['working', 'Working', working.length],
    ['fills', 'Fills', fills.length],
    ['rejects', 'Rejects', rejects.length],
    ['positions', 'Positions', open],
  ];

  return (
    <section ref={rootRef} className="panel blotter" data-testid="blotter">
      <header className="panel-head">
        <span className="panel-title">Blotter</span>
        <div className="seg" role="tablist">
          {tabs.map(([id, label, n]) => (
            <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'seg-btn on' : 'seg-btn'} data-testid={`blotter-tab-${id}`} onClick={() => setTab(id)}>
              {label}
              {n > 0 && <span className={id === 'rejects' ? 'cnt bad' : 'cnt'}>{n}</span>}
            </button>
          ))}
        </div>
        <span className="grow" />
        {tab === 'working' && (
          <>
            <label className="bl-opt">
              <input type="checkbox" data-testid="blotter-show-done" checked={showDone} onChange={(e) => setShowDone(e.target.checked)} />
              done too
            </label>
            <button
              type="button"
              className="txt-btn"
              data-testid="blotter-cancel-all"
              disabled={!selection || mineHere === 0}
              title={selection ? `Cancel every working order on ${selection.venue} ${selection.symbol}` : ''}
              onClick={() => selection && session.trading.cancelAll(selection.venue, selection.symbol)}
            >
              Cancel {selection?.symbol ?? ''} ({mineHere})
            </button>
          </>
        )}
      </header>
      <div className="bl-body">
        <table className="bl">
          {tab === 'working' && (
            <>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th className="n">Qty</th>
                  <th className="n">Filled</th>
                  <th className="n">Price</th>
                  <th>State</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {shownOrders.map((o) => (
                  <OrderRow key={o.clientOrderId} o={o} onCancel={cancel} />
                ))}
              </tbody>
            </>
          )}
          {tab === 'fills' && (
            <>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th className="n">Qty</th>
                  <th className="n">Price</th>
                  <th>Liq.</th>
                  <th className="n">Fee</th>
                  <th>Order</th>
                </tr>
              </thead>
              <tbody>
                {shownFills.map((f) => (
                  <FillRow key={f.fillId} f={f} />
                ))}
              </tbody>
            </>
          )}
          {tab === 'rejects' && (
            <>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Symbol</th>
                  <th>Side</th>
                  <th>By</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {shownRejects.map((r, i) => (
                  <RejectRow key={`${r.clientOrderId}-${i}`} r={r} />
                ))}
              </tbody>
            </>
          )}
          {tab === 'positions' && (
            <>
              <thead>
                <tr>
                  <th>Symbol</th>
                  <th className="n">Qty</th>
                  <th className="n">Avg</th>
                  <th className="n">Mark</th>
                  <th className="n">Unreal.</th>
                  <th className="n">Realised</th>
                  <th className="n">Fees</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {positions.map((p) => (
                  <PositionRow key={`${p.venue}/${p.symbol}`} p={p} onFlatten={flatten} />
                ))}
              </tbody>
            </>
          )}
        </table>
        {((tab === 'working' && shownOrders.length === 0) ||
          (tab === 'fills' && fills.length === 0) ||
          (tab === 'rejects' && rejects.length === 0) ||
          (tab === 'positions' && positions.length === 0)) && <div className="bl-empty">{tab === 'working' ? 'No working orders' : `No ${tab} yet`}</div>}
      </div>
    </section>
  );
}
