import type { MetricsState } from '../shared/ipc-contract.js';
import type { Settings } from '../shared/settings.js';
import { errorMessage } from '../sync/errors.js';
import type { MetricsEndpoint, ServeMetricsOptions } from '../sync/metrics/metrics-endpoint.js';
import type { MetricsSource } from '../sync/metrics/sync-metrics.js';
import type { Clock, Logger } from '../sync/ports.js';

export type ServeMetrics = (source: MetricsSource, options: ServeMetricsOptions) => Promise<MetricsEndpoint>;

export interface AppMetricsDeps {
  serve: ServeMetrics;
  settings: () => Settings;
  log: Logger;
  clock: Clock;
}

export interface AppMetrics {
  /** Serves `engine`'s metrics when `metricsPort` is set; resolves to the function that stops serving. Never throws. */
  attach(engine: MetricsSource): Promise<() => Promise<void>>;
  state(): MetricsState;
}

/** serveMetrics wraps the listen error in a SyncError (its text names the CLI flag); the code sits in `cause`. */
function isPortBusy(e: unknown): boolean {
  const code = (err: unknown) => (err as NodeJS.ErrnoException | undefined)?.code;
  return code(e) === 'EADDRINUSE' || (e instanceof Error && code(e.cause) === 'EADDRINUSE');
}

/** The tray app's Prometheus endpoint: one server per engine, so a restart (new settings) also moves the port. */
export function createAppMetrics(d: AppMetricsDeps): AppMetrics {
  let state: MetricsState = { state: 'off' };
  const off = async () => {};

  return {
    state: () => state,
    async attach(engine) {
      const s = d.settings();
      if (s.metricsPort === undefined) {
        state = { state: 'off' };
        return off;
      }
      const port = s.metricsPort;
      let server: MetricsEndpoint;
      try {
        server = await d.serve(engine, {
          port,
          ...(s.metricsHost ? { host: s.metricsHost } : {}),
          clock: d.clock,
        });
      } catch (e) {
        // The sync keeps running without metrics; the window and the log say why and what to change.
        const error = isPortBusy(e)
          ? `Port ${port} is already in use, so Prometheus metrics are off. Pick another port in Settings (or leave it empty).`
          : `Prometheus metrics are off: ${errorMessage(e)}`;
        state = { state: 'failed', error };
        d.log.error(error);
        return off;
      }
      state = { state: 'serving', url: `${server.url}/metrics` };
      d.log.info(`Prometheus metrics at ${server.url}/metrics (health: ${server.url}/healthz)`);
      return async () => {
        state = { state: 'off' };
        await server.close();
      };
    },
  };
}
