/**
 * `GET /metrics` in Prometheus text format: on the web shell beside the REST API, and on a
 * separate loopback-only listener when `metrics.port` is set (the desktop shell has no HTTP
 * server of its own). The listener serves nothing else.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Telemetry } from './telemetry';
import { log } from './log';

export async function sendMetrics(telemetry: Telemetry, res: ServerResponse, head = false): Promise<void> {
  try {
    const text = await telemetry.metricsText();
    res.writeHead(200, { 'content-type': telemetry.contentType, 'cache-control': 'no-store' });
    res.end(head ? undefined : text);
  } catch (err) {
    log.error({ err }, 'metrics could not be collected');
    res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('metrics could not be collected\n');
  }
}

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:`port` (0 picks a free one). */
export async function startMetricsServer(telemetry: Telemetry, port: number): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD')) {
      void sendMetrics(telemetry, res, req.method === 'HEAD');
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('only GET /metrics is served here\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  log.info({ url }, 'metrics listener started');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
