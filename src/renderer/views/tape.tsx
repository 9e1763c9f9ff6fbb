import { useEffect, useRef } from 'react';
import { uiStore } from '../data/ui-store';
import { addFrameTask } from './frame-loop';
import { useSession } from './session-context';
import { TAPE_ROWS, TapePainter } from './tape-painter';
import '../styles/tape.css';

const KEYS = Array.from({ length: TAPE_ROWS }, (_, i) => i);

/** Time & sales: the last trades of the selected book, newest on top. */
export function Tape() {
  const session = useSession();
  const rows = useRef<HTMLDivElement[]>([]);

  useEffect(() => {
    const painter = new TapePainter(rows.current, session.market, uiStore);
    return addFrameTask('tape', () => painter.paint());
  }, [session]);

  return (
    <section className="panel tape" data-testid="tape">
      <header className="panel-head">
        <span className="panel-title">Time &amp; sales</span>
      </header>
      <div className="tape-cols">
        <span>Time</span>
        <span>Side</span>
        <span>Price</span>
        <span>Size</span>
        <span />
      </div>
      <div className="tape-body">
        {KEYS.map((i) => (
          <div key={i} ref={(el) => void (el && (rows.current[i] = el))} className="trow empty">
            <span className="tc time" />
            <span className="tc side" />
            <span className="tc price" />
            <span className="tc size" />
            <span className="tc bar">
              <i className="tbar" />
            </span>
          </div>
        ))}
      </div>
    </section>
  );
}
