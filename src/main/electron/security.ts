import { app, net, protocol, session, shell, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ExternalLinkResult } from '../../shared/bridge';
import { CSP } from '../serve/static-files';
import { log } from '../telemetry/log';
import { externalUrlRefusal } from './external-links';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer on app://pulse/, never a path outside it, always with the CSP. */
export function serveRenderer(rendererDir: string): void {
  const root = rendererDir.endsWith(sep) ? rendererDir : rendererDir + sep;
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'pulse') return new Response('not found', { status: 404 });
    const file = normalize(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(root)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(res.headers);
    headers.set('content-security-policy', CSP);
    headers.set('x-content-type-options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

/** The only way out of the app: https links on the allow-list, to the user's browser. */
export async function openExternalLink(url: string): Promise<ExternalLinkResult> {
  const refusal = externalUrlRefusal(url);
  if (refusal) {
    log.warn({ url }, `external link refused: ${refusal}`);
    return { opened: false, reason: refusal };
  }
  await shell.openExternal(url);
  return { opened: true };
}

function denyNavigation(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // A target=_blank link to an allowed site opens in the browser; no Electron window ever opens.
    void openExternalLink(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Deny by default: new windows, navigation, webviews, permissions, devices. */
export function lockDown(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  s.setDevicePermissionHandler(() => false);
  app.on('web-contents-created', (_event, contents) => denyNavigation(contents));
}
