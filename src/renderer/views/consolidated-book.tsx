import { useStore } from 'zustand';
import type { ConsolidatedLevel, VenueBbo } from '../../shared/arbitrage';
import { useUi } from '../data/ui-store';
import { useSession } from './session-context';

/** Levels shown per side (the engine sends 20): the column is shared with the opportunities and the ticket. */
const LEVELS = 5;

/** The best live bid and ask across venues, so the table can mark which venue holds each. */
function bestOf(venues: readonly VenueBbo[]): { bid: number; ask: number } {
  let bid = -Infinity;
  let ask = Infinity;
  for (const v of venues) {
    if (!v.live) continue;
    if (v.bid !== null) bid = Math.max(bid, Number(v.bid));
    if (v.ask !== null) ask = Math.min(ask, Number(v.ask));
  }
  return { bid, ask };
}

function Level({ level, side }: { level: ConsolidatedLevel; side: 'bid' | 'ask' }) {
  return (
    <div className={`cb-level ${side}`} data-testid="consolidated-level" data-side={side} data-price={level.price}>
      <span className="cb-price num">{level.price}</span>
      <span className="cb-size num">{level.size}</span>
      <span className="cb-parts">
        {level.venues.map((v) => (
          <span key={v.venue} className="cb-part" data-venue={v.venue} title={`${v.venue}: ${v.size}`}>
            {v.venue.replace(/^sim-/, '')}
            <i className="num">{v.size}</i>
          </span>
        ))}
      </span>
    </div>
  );
}

/**
 * The selected symbol across venues: each venue's touch side by side (the best bid and best ask
 * marked, stale venues greyed and left out), then the book merged by price with each level's
 * venues. JSON snapshots a few times a second; this is not the ladder's hot path.
 */
export function ConsolidatedBook() {
  const session = useSession();
  const symbol = useUi((s) => s.selection?.symbol ?? null);
  const link = useUi((s) => s.link);
  const entry = useStore(session.arbitrage, (s) => (symbol ? s.consolidated[symbol] : undefined));
  const book = entry?.book;
  const best = book ? bestOf(book.venues) : { bid: NaN, ask: NaN };
  const crossed = best.bid > best.ask;
  return (
    <div className="cb" data-testid="consolidated-book" data-symbol={symbol ?? ''} data-state={!book ? 'waiting' : link !== 'open' ? 'link-down' : 'live'}>
      <div className="cb-head">
        <span className="cb-title">{symbol ?? '—'} across venues</span>
        <span className="grow" />
        {crossed && <span className="cb-crossed" title="the best bid on one venue is above the best ask on another (before fees)">crossed</span>}
      </div>
      {!book && <div className="arb-empty">Waiting for the venues’ books…</div>}
      {book && (
        <>
          <table className="cb-bbo" data-testid="bbo-table">
            <thead>
              <tr>
                <th>venue</th>
                <th className="r">bid size</th>
                <th className="r">bid</th>
                <th className="r">ask</th>
                <th className="r">ask size</th>
                <th className="r" title="taker fee, bps">fee</th>
              </tr>
            </thead>
            <tbody>
              {book.venues.map((v) => (
                <tr key={v.venue} data-testid="bbo-row" data-venue={v.venue} data-live={v.live ? 'true' : 'false'} className={v.live ? '' : 'stale'} title={v.live ? undefined : `stale: ${v.staleReason ?? ''}`}>
                  <td className="cb-venue">
                    {v.venue}
                    {!v.live && <span className="cb-stale">stale</span>}
                  </td>
                  <td className="r num">{v.bidSize ?? '–'}</td>
                  <td className={`r num bid${v.live && v.bid !== null && Number(v.bid) === best.bid ? ' best' : ''}`} data-f="bid">
                    {v.bid ?? '–'}
                  </td>
                  <td className={`r num ask${v.live && v.ask !== null && Number(v.ask) === best.ask ? ' best' : ''}`} data-f="ask">
                    {v.ask ?? '–'}
                  </td>
                  <td className="r num">{v.askSize ?? '–'}</td>
                  <td className="r num dim">{v.takerFeeBps}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="cb-book" data-testid="consolidated-levels">
            {book.asks
              .slice(0, LEVELS)
              .reverse()
              .map((l) => (
                <Level key={`a${l.price}`} level={l} side="ask" />
              ))}
            <div className="cb-mid" />
            {book.bids.slice(0, LEVELS).map((l) => (
              <Level key={`b${l.price}`} level={l} side="bid" />
            ))}
          </div>
        </>
      )}
    </div>
  );
}
