import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SyncError } from '../errors.js';
import type { Clock } from '../ports.js';
import { createSyncMetrics, type MetricsSource } from './sync-metrics.js';
import { healthOf } from './sync-health.js';

export interface ServeMetricsOptions {
  port: number;
  /** Loopback unless the user asks otherwise: the figures name agents and models. */
  host?: string;
  clock: Clock;
  defaultMetrics?: boolean;
}

export interface MetricsEndpoint {
  url: string;
  port: number;
  close(): Promise<void>;
}

function reply(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

/**
 * The engine's GET /metrics (Prometheus text format) and GET /healthz (200 ok / 503 degraded with the reason) on
 * http://127.0.0.1:<port>; close() stops serving and unsubscribes the metrics from the engine.
 */
export async function serveMetrics(source: MetricsSource, o: ServeMetricsOptions): Promise<MetricsEndpoint> {
  const metrics = createSyncMetrics(source, { defaultMetrics: o.defaultMetrics ?? true });
  const { registry } = metrics;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://metrics').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'text/plain', 'Method Not Allowed\n');
    if (path === '/metrics') {
      registry.metrics().then(
        (text) => reply(res, 200, registry.contentType, text),
        (e: unknown) => reply(res, 500, 'text/plain', `collecting metrics failed: ${String(e)}\n`),
      );
      return;
    }
    if (path === '/healthz') {
      const health = healthOf(source.status(), o.clock.now());
      return reply(res, health.status === 'ok' ? 200 : 503, 'application/json', JSON.stringify(health));
    }
    reply(res, 404, 'text/plain', 'Not Found: try /metrics or /healthz\n');
  });
  const host = o.host ?? '127.0.0.1';
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(o.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    metrics.close();
    const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const why = busy ? `port ${o.port} is already in use` : String((e as Error).message);
    throw new SyncError('CONFIG', `Cannot serve metrics: ${why}. Pick another --metrics-port (or 0 for any free port).`, { retryable: false, cause: e });
  }
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      metrics.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
