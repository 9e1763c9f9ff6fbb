import type { LinkState } from '../../shared/bridge';
import { SIGNAL_CLASSES, type InferenceStatus } from '../../shared/signals';

export type InferenceState = 'waiting' | 'link-down' | 'off' | 'error' | 'starting' | 'running';

/** What the signal panel says about the inference runtime, in words and flags; no DOM. */
export interface InferenceView {
  state: InferenceState;
  /** provider badge text */
  badge: string;
  /** a GPU provider was asked for by name and another one runs: shown amber */
  fellBack: boolean;
  /** providers were skipped on the way to the one in use (with 'auto' too), listed in the tooltip */
  skippedAny: boolean;
  tooltip: string;
  /** one plain sentence when signals are not flowing or something is off; '' otherwise */
  notice: string;
  horizon: string;
  p50: string;
  p99: string;
  runs: string;
}

const CPU = 'cpu';

/** Milliseconds from µs with two decimals, as the panel shows latencies. */
export const usToMs = (us: number): string => (Number.isFinite(us) ? (us / 1000).toFixed(2) : '–');

export function fmtHorizon(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}

/** Signal age: tenths under 10 s, then seconds, then minutes; '–' when there is none. */
export function fmtAge(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const s = Math.max(0, ms) / 1000;
  if (s < 10) return `${s.toFixed(1)}s`;
  if (s < 120) return `${Math.round(s)}s`;
  return `${Math.round(s / 60)}m`;
}

export function describeInference(status: InferenceStatus | null, link: LinkState): InferenceView {
  const view: InferenceView = {
    state: 'running', badge: '–', fellBack: false, skippedAny: false, tooltip: '', notice: '', horizon: '–', p50: '–', p99: '–', runs: '–',
  };
  if (!status) {
    view.state = link === 'open' ? 'waiting' : 'link-down';
    view.notice = link === 'open' ? 'No inference status from the engine yet.' : 'Link down: no signals until the engine is back.';
    view.tooltip = 'The engine has not reported its inference runtime';
    return view;
  }
  const requested = status.requested || 'auto';
  const inUse = status.provider;
  view.badge = inUse ? inUse.toUpperCase() : !status.enabled ? 'OFF' : status.error ? 'ERROR' : '…';
  view.fellBack = inUse !== null && requested !== 'auto' && requested !== CPU && inUse !== requested;
  view.skippedAny = status.skipped.length > 0;
  if (status.model) view.horizon = fmtHorizon(status.model.horizonMs);
  if (status.runs > 0) {
    view.p50 = usToMs(status.latencyP50Us);
    view.p99 = usToMs(status.latencyP99Us);
  }
  view.runs = String(status.runs);

  const lines = [`in use: ${inUse ?? 'none'}`, `requested: ${requested}`];
  for (const s of status.skipped) lines.push(`skipped ${s.provider}: ${s.reason}`);
  if (status.model) {
    const m = status.model;
    lines.push(`model: ${m.path}${m.trainedAt ? ` (trained ${m.trainedAt})` : ''}`);
    lines.push(`horizon ${fmtHorizon(m.horizonMs)} · classes ${m.classes.join('/')}`);
    lines.push(`features (${m.featureNames.length}): ${m.featureNames.join(', ')}`);
  }
  if (status.error) lines.push(`error: ${status.error}`);
  view.tooltip = lines.join('\n');

  if (!status.enabled) {
    view.state = 'off';
    view.notice = `Inference is off: no signals.${status.error ? ` ${status.error}` : ''}`;
  } else if (status.error) {
    view.state = 'error';
    view.notice = `Inference error: ${status.error}`;
  } else if (!inUse) {
    view.state = 'starting';
    view.notice = 'Inference is starting…';
  } else if (link !== 'open') {
    view.state = 'link-down';
    view.notice = 'Link down: signals paused.';
  } else if (view.fellBack) {
    view.notice = `Asked for ${requested.toUpperCase()}, running on ${inUse.toUpperCase()}: ${status.skipped.find((s) => s.provider === requested)?.reason ?? 'see the provider badge'}.`;
  } else if (status.model && !sameClasses(status.model.classes)) {
    view.notice = `Model classes ${status.model.classes.join('/')} are not down/flat/up: the bars may be mislabelled.`;
  }
  return view;
}

function sameClasses(classes: readonly string[]): boolean {
  return classes.length === SIGNAL_CLASSES.length && classes.every((c, i) => c === SIGNAL_CLASSES[i]);
}
