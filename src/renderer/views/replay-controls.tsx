import { useState } from 'react';
import { useStore } from 'zustand';
import { useSession } from './session-context';
import './replay-controls.css';

const SPEEDS = [0.25, 0.5, 1, 2, 5, 10, 50, 100];

const clock = (us: number): string => new Date(us / 1000).toISOString().replace('T', ' ').slice(0, 23);

/** Pause, speed and a seek bar over the recording; shown only while replay venues run (`--replay`). */
export function ReplayControls() {
  const { replay } = useSession();
  const venues = useStore(replay.store, (s) => s.venues);
  const [draft, setDraft] = useState<number | null>(null);
  if (venues.length === 0) return null;
  const startUs = Math.min(...venues.map((v) => v.startUs));
  const endUs = Math.max(...venues.map((v) => v.endUs));
  const positionUs = Math.min(...venues.map((v) => v.positionUs));
  const paused = venues.every((v) => v.paused);
  const ended = venues.every((v) => v.ended);
  const speed = venues[0]!.speed;
  const seek = (): void => {
    if (draft !== null) replay.send({ type: 'replay', action: 'seek', timeUs: draft });
    setDraft(null);
  };
  return (
    <div className="replay-controls" data-testid="replay-controls">
      <span className="replay-label">Replay</span>
      <button
        type="button"
        data-testid="replay-toggle"
        onClick={() => replay.send({ type: 'replay', action: paused ? 'resume' : 'pause' })}
      >
        {paused ? 'Play' : 'Pause'}
      </button>
      <label className="field">
        <span>speed</span>
        <select data-testid="replay-speed" value={speed} onChange={(e) => replay.send({ type: 'replay', action: 'speed', speed: Number(e.target.value) })}>
          {(SPEEDS.includes(speed) ? SPEEDS : [...SPEEDS, speed].sort((a, b) => a - b)).map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        className="replay-seek"
        data-testid="replay-seek"
        type="range"
        min={startUs}
        max={Math.max(endUs, startUs + 1)}
        step={1000}
        value={draft ?? positionUs}
        onChange={(e) => setDraft(Number(e.target.value))}
        onPointerUp={seek}
        onKeyUp={seek}
      />
      <span className="replay-time" data-testid="replay-time">
        {clock(draft ?? positionUs)}
        {ended ? ' · end' : ''}
      </span>
    </div>
  );
}
