import { SyncError } from '../errors.js';
import type { Clock } from '../ports.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';
import { createSyncMetrics, type MetricsSource } from './sync-metrics.js';
import { healthOf } from './sync-health.js';

export interface ServeMetricsOptions {
  port: number;
  host?: string;
  clock: Clock;
  defaultMetrics?: boolean;
}

/** The engine's metrics on http://127.0.0.1:<port>/metrics and /healthz; close() stops both. */
export async function serveMetrics(source: MetricsSource, o: ServeMetricsOptions): Promise<MetricsServer> {
  const metrics = createSyncMetrics(source, { defaultMetrics: o.defaultMetrics ?? true });
  try {
    const server = await startMetricsServer({
      port: o.port,
      ...(o.host ? { host: o.host } : {}),
      registry: metrics.registry,
      health: () => healthOf(source.status(), o.clock.now()),
    });
    return {
      ...server,
      close: async () => {
        metrics.close();
        await server.close();
      },
    };
  } catch (e) {
    metrics.close();
    const busy = (e as NodeJS.ErrnoException).code === 'EADDRINUSE';
    const why = busy ? `port ${o.port} is already in use` : String((e as Error).message);
    throw new SyncError('CONFIG', `Cannot serve metrics: ${why}. Pick another --metrics-port (or 0 for any free port).`, { retryable: false, cause: e });
  }
}
