import { useEffect, useState } from 'react';
import type { AboutInfo } from '../../shared/about';
import type { AppInfo, DesktopSettings } from '../../shared/bridge';
import { uiStore, useUi } from '../data/ui-store';
import { useSession } from './session-context';
import '../styles/overlay.css';

function rows(about: AboutInfo | null, app: AppInfo | null): Array<[string, string, string]> {
  if (!about) return [];
  const out: Array<[string, string, string]> = [
    ['version', 'Pulse', app?.version ?? about.version],
    ['shell', 'Shell', about.shell === 'electron' ? `desktop (Electron)${app?.packaged ? ', packaged' : ''}` : 'web shell'],
  ];
  if (about.electron) out.push(['electron', 'Electron', about.electron]);
  if (about.chrome) out.push(['chrome', 'Chromium', about.chrome]);
  out.push(
    ['node', 'Node', about.node],
    ['platform', 'Platform', `${about.platform} ${about.arch}`],
    ['onnx', 'ONNX provider', `${about.onnxProvider ?? 'none'} — ${about.onnxNote}`],
    ['config', 'Config file', about.configPath ?? 'none (defaults and command line)'],
    ['data', 'Data folder', about.dataDir],
    ['shm', 'Shared-memory tap', about.shmTap],
    ['pid', 'Engine', `pid ${about.pid}, started ${about.startedAt.replace('T', ' ').slice(0, 19)} UTC`],
  );
  return out;
}

/** The desktop-only setting: the shared-memory tap, written to the settings file, applied at the next start. */
function ShmSetting({ settings, onChange }: { settings: DesktopSettings; onChange(s: DesktopSettings): void }) {
  const [error, setError] = useState('');
  const toggle = (enabled: boolean) => {
    setError('');
    window.pulse?.setShmTap(enabled).then(onChange, (e: Error) => setError(e.message));
  };
  return (
    <div className="ov-settings">
      <label className="tk-check">
        <input type="checkbox" data-testid="about-shm-toggle" checked={settings.shmTap} onChange={(e) => toggle(e.target.checked)} />
        Shared-memory tap for other processes on this workstation (saved in {settings.path})
      </label>
      {settings.restartNeeded && <p className="about-note">Takes effect when Pulse restarts.</p>}
      {error && <p className="about-note err">{error}</p>}
    </div>
  );
}

/** Which build is running, on what, with which model provider, and where its config and data live. */
export function AboutOverlay() {
  const open = useUi((s) => s.overlay === 'about');
  const about = useUi((s) => s.about);
  const session = useSession();
  const [app, setApp] = useState<AppInfo | null>(null);
  const [settings, setSettings] = useState<DesktopSettings | null>(null);

  useEffect(() => window.pulse?.onShowAbout(() => uiStore.getState().setOverlay('about')), []);

  useEffect(() => {
    if (!open) return;
    session.requestAbout();
    window.pulse?.appInfo().then(setApp, () => setApp(null));
    window.pulse?.desktopSettings().then(setSettings, () => setSettings(null));
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && uiStore.getState().setOverlay('none');
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open, session]);

  if (!open) return null;
  const close = () => uiStore.getState().setOverlay('none');
  return (
    <div className="overlay" role="dialog" aria-modal="true" aria-label="About Pulse" onMouseDown={(e) => e.target === e.currentTarget && close()}>
      <div className="ov-card" data-testid="about-panel">
        <header className="panel-head">
          <span className="panel-title">About Pulse</span>
          <span className="grow" />
          <button type="button" className="icon-btn" aria-label="Close" onClick={close}>
            ✕
          </button>
        </header>
        <div className="ov-body">
          {!about && <p>Asking the engine…</p>}
          <table className="hk about">
            <tbody>
              {rows(about, app).map(([key, label, value]) => (
                <tr key={key} data-testid={`about-${key}`}>
                  <td className="hk-tag">{label}</td>
                  <td className="about-value">{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {settings && <ShmSetting settings={settings} onChange={setSettings} />}
        </div>
      </div>
    </div>
  );
}
