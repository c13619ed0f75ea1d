import { homedir, hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { plural } from '../shared/plural.js';
import type { Settings } from '../shared/settings.js';
import { createEngine, type RunningSync } from '../sync/create-engine.js';
import { alertsFromSettings } from '../sync/alerts/alerts-from-settings.js';
import type { AlertService } from '../sync/alerts/alert-service.js';
import { errorMessage } from '../sync/errors.js';
import type { ClosableLogger } from '../sync/logger.js';
import type { OnMilestone } from '../sync/milestone.js';
import { resolveApiKey, resolveGatewayToken } from '../sync/openclaw/token.js';
import { serveMetrics, type MetricsEndpoint } from '../sync/metrics/metrics-endpoint.js';
import { USAGE_FRESHNESS } from '../sync/retry-policy.js';
import { realSleep, systemClock } from '../sync/ports.js';
import { defaultStateDir } from '../sync/store/default-state-dir.js';
import { syncConfigOf } from '../sync/sync-config.js';

export interface RunSyncOptions {
  settings: Settings;
  flags: { token?: string; stateDir?: string; once: boolean };
  env: Record<string, string | undefined>;
  log: ClosableLogger;
  /** Where secrets get registered for redaction as soon as they are known. */
  secrets: string[];
  clientVersion: string;
  stdout: NodeJS.WritableStream;
  /** Observes booking and delivery milestones (a test harness only). */
  onMilestone?: OnMilestone;
  /** Registers a stop handler (SIGINT/SIGTERM in the real CLI); returns unregister. */
  onSignal: (handler: (signal: string) => void) => () => void;
}

export const stateDirOf = (o: RunSyncOptions): string => o.flags.stateDir ?? defaultStateDir(o.env, process.platform, homedir());

/** Secrets resolved, the engine composed: shared by `sync` and `backfill`. */
export async function openEngine(o: RunSyncOptions, extra: { onGiveUp?: () => void } = {}): Promise<RunningSync> {
  const { settings, log } = o;
  const home = homedir();
  const token = await resolveGatewayToken({ flag: o.flags.token, file: settings.tokenFile, env: o.env, homeDir: home, readFile: (p) => readFile(p, 'utf8') });
  o.secrets.push(token.token);
  const apiKey = await resolveApiKey({ file: settings.apiKeyFile, env: o.env, readFile: (p) => readFile(p, 'utf8') });
  if (apiKey) o.secrets.push(apiKey.token);
  const stateDir = stateDirOf(o);
  log.debug(`  Gateway token from ${token.source}; state dir ${stateDir}; sink ${settings.sink}`);
  return createEngine(syncConfigOf(settings), {
    log,
    stateDir,
    gatewayToken: token.token,
    ...(apiKey ? { apiKey: apiKey.token } : {}),
    clientVersion: o.clientVersion,
    stdout: o.stdout,
    ...(o.flags.once ? { usageWaitMs: USAGE_FRESHNESS.onceWaitMs } : {}),
    ...(extra.onGiveUp ? { onGiveUp: extra.onGiveUp } : {}),
    ...(o.onMilestone ? { onMilestone: o.onMilestone } : {}),
  });
}

/** The startup line naming where events go: the sink decides which setting matters. */
function deliveryTarget(s: Settings): string {
  switch (s.sink) {
    case 'otlp':
      return `OTLP collector: ${s.otlpUrl}/v1/traces`;
    case 'jsonl':
      return `Output: ${s.jsonlPath === '-' ? 'stdout (JSON lines)' : s.jsonlPath}`;
    case 'seed':
      return `Seed endpoint: ${s.agentwatchUrl}`;
    default:
      return `AgentWatch URL: ${s.agentwatchUrl}`;
  }
}

/** Runs the sync until stopped, the poll limit (--once) or max_errors; resolves to the process exit code. */
export async function runSync(o: RunSyncOptions): Promise<number> {
  const { settings, log } = o;
  if (o.flags.once) log.info('Starting one OpenClaw→AgentWatch poll (--once)');
  else {
    log.info('Starting OpenClaw→AgentWatch polling daemon');
    log.info(`  Poll interval: ${settings.pollIntervalSec}s`);
  }
  log.info(`  OpenClaw URL: ${settings.openclawUrl}`);
  log.info(`  ${deliveryTarget(settings)}`);

  let gaveUp = false;
  const engine = await openEngine(o, {
    onGiveUp: () => {
      gaveUp = true;
    },
  });

  let metrics: MetricsEndpoint | undefined;
  if (settings.metricsPort !== undefined) {
    try {
      metrics = await serveMetrics(engine, { port: settings.metricsPort, ...(settings.metricsHost ? { host: settings.metricsHost } : {}), clock: systemClock });
    } catch (e) {
      await engine.stop();
      throw e;
    }
    log.info(`  Metrics: ${metrics.url}/metrics (health: ${metrics.url}/healthz)`);
  }

  let alerts: AlertService | null;
  try {
    alerts = await alertsFromSettings(engine, settings, { env: o.env, readFile: (p) => readFile(p, 'utf8'), hostname: hostname(), secrets: o.secrets, log, stateDir: stateDirOf(o) }, { clock: systemClock, sleep: realSleep, log, random: Math.random });
  } catch (e) {
    await engine.stop();
    await metrics?.close();
    throw e;
  }

  if (o.flags.once) {
    const result = await engine.runOnce();
    await engine.stop();
    await alerts?.stop();
    await metrics?.close();
    // The poll's failure is already logged ("Poll #1 failed: …"); this line only says what the exit code means.
    if (!result.ok) log.error('--once: the poll failed, exit code 1');
    return result.ok ? 0 : 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const finish = async (code: number) => {
      unregister();
      unsubscribe();
      await engine.stop().catch((e) => log.error(`Stopping failed: ${errorMessage(e)}`));
      await alerts?.stop();
      await metrics?.close();
      const s = engine.status();
      log.info(`Stopped after ${plural(s.pollCount, 'poll')}: ${plural(s.eventsDelivered, 'event')} delivered, ${s.outboxDepth} queued for next start, ${plural(s.failedPolls, 'failed poll')}`);
      resolve(code);
    };
    const unregister = o.onSignal((signal) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal} received: finishing the current delivery, then exiting`);
      void finish(0);
    });
    const unsubscribe = engine.onStatus((s) => {
      if (s.phase === 'stopped' && gaveUp && !stopping) {
        stopping = true;
        void finish(1);
      }
    });
    engine.start();
  });
}
