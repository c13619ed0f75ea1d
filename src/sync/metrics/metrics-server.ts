import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { SyncHealth } from './sync-health.js';

export interface MetricsServerOptions {
  port: number;
  /** Loopback unless the user asks otherwise: the figures name agents and models. */
  host?: string;
  registry: Registry;
  health: () => SyncHealth;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/** Serves GET /metrics (Prometheus text format) and GET /healthz (200 ok / 503 degraded with the reason). */
export async function startMetricsServer(o: MetricsServerOptions): Promise<MetricsServer> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'Method Not Allowed\n');
    if (path === '/metrics') {
      o.registry.metrics().then(
        (text) => reply(res, 200, o.registry.contentType, text),
        (e: unknown) => reply(res, 500, 'text/plain', `collecting metrics failed: ${String(e)}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      const health = o.health();
      return reply(res, health.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(health));
    }
    reply(res, 404, 'text/plain', 'Not Found: try /metrics or /healthz\n');
  });
  const host = o.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
