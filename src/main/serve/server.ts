/**
 * The web shell: HTTP serves the built renderer and the REST API; /ws carries the same binary
 * frames and JSON commands the Electron shell carries over a MessagePort.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Engine } from '../engine';
import { handleRest, sendJson } from './rest';
import { findRendererDir, serveStatic } from './static-files';
import { WsLink } from './ws-link';
import { Authenticator, type AuthConfig } from './auth';
import { sendMetrics } from '../telemetry/metrics-server';

export interface WebShell {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/**
 * A browser page on another site must not drive the terminal (cross-site WebSocket hijacking):
 * accept tools that send no Origin, and pages served by this server.
 */
/** The request's path, or null for a target that is not a valid path ('//', garbage). */
function pathOf(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}

function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function startWebShell(engine: Engine, host: string, port: number, auth: AuthConfig = { require: false, tokens: [] }): Promise<WebShell> {
  const rendererDir = findRendererDir();
  const authenticator = new Authenticator(auth, host);
  const server = createServer((req, res) => {
    const url = pathOf(req);
    if (!url) {
      sendJson(res, 400, { error: `bad request target: ${String(req.url).slice(0, 100)}` });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJson(res, 405, { error: `${req.method} is not allowed here` });
      return;
    }
    const isApi = url.pathname.startsWith('/api/');
    // /health stays open for supervisors; every other REST call needs a token when one is required
    if (isApi || url.pathname === '/ready' || url.pathname === '/metrics') {
      if (!authenticator.authenticate(req)) {
        sendJson(res, 401, { error: 'a valid token is required (Authorization: Bearer <token> or ?token=)' });
        return;
      }
    }
    if (url.pathname === '/metrics') {
      void sendMetrics(engine.telemetry, res, req.method === 'HEAD');
      return;
    }
    if (handleRest(engine, url.pathname, url.searchParams, res)) return;
    void serveStatic(rendererDir, url.pathname, res);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    // Node hands over an upgrade socket without its error listener: a client that resets it
    // (ECONNRESET/EPIPE) would otherwise throw out of the event loop and take the engine down.
    socket.on('error', () => socket.destroy());
    const path = pathOf(req)?.pathname ?? '';
    const principal = path === '/ws' && originAllowed(req) ? authenticator.authenticate(req) : null;
    if (!principal) {
      const status = path !== '/ws' ? '404 Not Found' : !originAllowed(req) ? '403 Forbidden' : '401 Unauthorized';
      socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = engine.attach(new WsLink(ws), principal.role);
      ws.on('message', (data, isBinary) => {
        if (isBinary) {
          ws.send(JSON.stringify({ type: 'error', code: 'bad-command', message: 'commands are JSON text, not binary' }));
          return;
        }
        session.handleText(data.toString());
      });
      ws.on('close', () => session.close());
      ws.on('error', () => session.close());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return {
    url: `http://${shownHost}:${addr.port}/`,
    server,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
