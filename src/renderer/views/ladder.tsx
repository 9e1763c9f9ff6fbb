import { memo, useEffect, useRef } from 'react';
import { GROUPINGS, type Grouping } from '../data/grouping';
import { useTrading } from '../data/trading-store';
import { uiStore, useUi } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { LADDER_DEPTH, LadderPainter } from './ladder-painter';
import { LadderSize, attachLadderTrading } from './ladder-trading';
import { useSession } from './session-context';
import '../styles/ladder.css';

const ROW_KEYS = Array.from({ length: LADDER_DEPTH * 2 }, (_, i) => i);

const Row = memo(function Row({ rowRef }: { rowRef: (el: HTMLDivElement | null) => void }) {
  return (
    <div ref={rowRef} className="lrow empty" data-testid="ladder-row" data-side="" data-price="" data-size="">
      <div className="lbar depth" />
      <div className="lbar size" />
      <span className="lc mine" data-testid="ladder-working" />
      <span className="lc price" />
      <span className="lc size" />
      <span className="lc cum" />
    </div>
  );
});

/**
 * The price ladder. React renders the fixed rows once; LadderPainter rewrites them from the
 * frame loop when the book version, grouping, our working orders or a flash changes. Clicks and
 * drags on the rows trade (ladder-trading.ts).
 */
export function Ladder() {
  const session = useSession();
  const selection = useUi((s) => s.selection);
  const grouping = useUi((s) => s.grouping);
  const viewOnly = useTrading((s) => s.role === 'risk');
  const rootRef = useRef<HTMLElement>(null);
  const bodyRef = useRef<HTMLDivElement>(null);
  const rows = useRef<HTMLDivElement[]>([]);
  const rowSetters = useRef(ROW_KEYS.map((i) => (el: HTMLDivElement | null) => void (el && (rows.current[i] = el)))).current;
  const spreadRef = useRef<HTMLDivElement>(null);
  const badgeRef = useRef<HTMLSpanElement>(null);
  const bidRef = useRef<HTMLSpanElement>(null);
  const askRef = useRef<HTMLSpanElement>(null);
  const versionRef = useRef<HTMLSpanElement>(null);

  useEffect(() => {
    const painter = new LadderPainter(
      {
        root: rootRef.current!,
        rows: rows.current,
        spread: spreadRef.current!,
        badge: badgeRef.current!,
        bestBid: bidRef.current!,
        bestAsk: askRef.current!,
        version: versionRef.current!,
      },
      session.market,
      uiStore,
      session.tradingStore,
    );
    const detach = attachLadderTrading(bodyRef.current!, rows.current, painter, session);
    const remove = addFrameTask('ladder', (now) => painter.paint(now));
    return () => {
      remove();
      detach();
    };
  }, [session]);

  const center = (): void => {
    const body = bodyRef.current;
    const spread = spreadRef.current;
    if (body && spread) body.scrollTop = spread.offsetTop - body.clientHeight / 2 + spread.offsetHeight / 2;
  };
  useEffect(center, [selection?.venue, selection?.symbol, grouping]);
  useEffect(() => {
    const body = bodyRef.current;
    if (!body) return;
    const ro = new ResizeObserver(center);
    ro.observe(body);
    return () => ro.disconnect();
  }, []);

  return (
    <section ref={rootRef} className="panel ladder is-stale" data-testid="ladder" data-stale="true">
      <header className="panel-head">
        <span className="panel-title">Book</span>
        <span className="panel-sub">{selection ? `${selection.symbol}` : '—'}</span>
        <span ref={badgeRef} className="badge badge-stale" data-testid="stale-badge">
          NO SNAPSHOT
        </span>
        <span className="grow" />
        <button type="button" className="icon-btn" title="Centre on the spread" aria-label="Centre on the spread" onClick={center}>
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
            <circle cx="8" cy="8" r="4.5" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M8 0v4M8 12v4M0 8h4M12 8h4" stroke="currentColor" strokeWidth="1.5" />
          </svg>
        </button>
        <select
          className="ctl"
          data-testid="grouping-select"
          title="Price grouping (ticks)"
          value={grouping}
          onChange={(e) => uiStore.getState().setGrouping(Number(e.target.value) as Grouping)}
        >
          {GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {g === 1 ? '1 tick' : `${g} ticks`}
            </option>
          ))}
        </select>
      </header>
      <div className="ladder-bbo">
        <span className="bbo bid">
          <label>Bid</label>
          <span ref={bidRef} data-testid="best-bid">–</span>
        </span>
        <span className="bbo ask">
          <label>Ask</label>
          <span ref={askRef} data-testid="best-ask">–</span>
        </span>
        <span className="bbo ver">
          <label>v</label>
          <span ref={versionRef} data-testid="book-version">–</span>
        </span>
      </div>
      <LadderSize viewOnly={viewOnly} />
      <div className="ladder-cols">
        <span title="Your working quantity: click to cancel, drag to another price to move">Mine</span>
        <span>Price</span>
        <span>Size</span>
        <span>Total</span>
      </div>
      <div ref={bodyRef} className={viewOnly ? 'ladder-body view-only' : 'ladder-body'}>
        {ROW_KEYS.slice(0, LADDER_DEPTH).map((i) => (
          <Row key={i} rowRef={rowSetters[i]} />
        ))}
        <div ref={spreadRef} className="ladder-spread" data-testid="ladder-spread">
          <span className="spread-val">–</span>
          <span className="last-trade" data-testid="last-trade" />
        </div>
        {ROW_KEYS.slice(LADDER_DEPTH).map((i) => (
          <Row key={i} rowRef={rowSetters[i]} />
        ))}
      </div>
    </section>
  );
}
