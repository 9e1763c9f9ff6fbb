import { useEffect, useRef, useState } from 'react';
import { confirmStore, useConfirm } from '../data/confirm-store';
import '../styles/overlay.css';

/** The one modal confirmation (large orders, the kill switch). Enter confirms, Escape cancels. */
export function ConfirmDialog() {
  const req = useConfirm((s) => s.pending);
  const [input, setInput] = useState('');
  const okRef = useRef<HTMLButtonElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setInput('');
    if (req) (req.input ? inputRef.current : okRef.current)?.focus();
  }, [req]);

  if (!req) return null;
  const answer = (ok: boolean) => confirmStore.getState().answer({ ok, input });
  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-label={req.title}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          answer(false);
        }
      }}
    >
      <div className={`ov-card confirm tone-${req.tone}`} data-testid="confirm">
        <header className="panel-head">
          <span className="panel-title">{req.title}</span>
        </header>
        <div className="ov-body">
          {req.lines.map((l, i) => (
            <p key={i}>{l}</p>
          ))}
          {req.input && (
            <label className="cf-input">
              <span>{req.input.label}</span>
              <input
                ref={inputRef}
                className="ctl"
                data-testid="confirm-input"
                maxLength={200}
                placeholder={req.input.placeholder}
                value={input}
                onChange={(e) => setInput(e.target.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    answer(true);
                  }
                }}
              />
            </label>
          )}
          <div className="cf-actions">
            <button type="button" className="txt-btn" data-testid="confirm-cancel" onClick={() => answer(false)}>
              Cancel
            </button>
            <button ref={okRef} type="button" className={`cf-ok tone-${req.tone}`} data-testid="confirm-ok" onClick={() => answer(true)}>
              {req.okLabel}
            </button>
          </div>
        </div>
      </div>
    </div>
  );
}
