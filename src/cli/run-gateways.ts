import { hostname } from 'node:os';
import { readFile } from 'node:fs/promises';
import { plural } from '../shared/plural.js';
import type { GatewayInput } from '../shared/gateway-entry.js';
import { alertsFromSettings } from '../sync/alerts/alerts-from-settings.js';
import type { AlertService } from '../sync/alerts/alert-service.js';
import { errorMessage, SyncError } from '../sync/errors.js';
import { realSleep, systemClock } from '../sync/ports.js';
import { openGateways, type OpenGateway } from './open-gateways.js';
import type { RunSyncOptions } from './run-sync.js';

async function startAlerts(o: RunSyncOptions, g: OpenGateway): Promise<AlertService | null> {
  const settings = { ...o.settings, openclawUrl: g.entry.url };
  const host = { env: o.env, readFile: (p: string) => readFile(p, 'utf8'), hostname: hostname(), secrets: o.secrets, log: g.log, stateDir: g.stateDir };
  return alertsFromSettings(g.engine, settings, host, { clock: systemClock, sleep: realSleep, log: g.log, random: Math.random });
}

async function stopAll(gateways: readonly OpenGateway[], alerts: ReadonlyArray<AlertService | null>): Promise<void> {
  await Promise.all(gateways.map((g) => g.engine.stop().catch((e) => g.log.error(`Stopping failed: ${errorMessage(e)}`))));
  await Promise.all(alerts.flatMap((a) => (a ? [a.stop()] : [])));
}

/**
 * Several gateways in one process (the config file's `gateways`): each its own engine and loop, so one failing or
 * slow gateway never stops or delays the others; one that gives up (maxErrors) stops alone. Resolves to the exit
 * code: 0 when stopped by a signal or every --once poll succeeded, 1 when every gateway gave up or a poll failed.
 */
export async function runGateways(o: RunSyncOptions, wanted: readonly GatewayInput[]): Promise<number> {
  const { settings, log } = o;
  if (settings.metricsPort !== undefined) {
    throw new SyncError('CONFIG', 'metricsPort serves one gateway and cannot be used with "gateways" yet: drop metricsPort (or --metrics-port), or sync one gateway.');
  }
  log.info(o.flags.once ? `Starting one OpenClaw→AgentWatch poll of ${plural(wanted.length, 'gateway')} (--once)` : `Starting OpenClaw→AgentWatch polling daemon for ${plural(wanted.length, 'gateway')}`);
  if (!o.flags.once) log.info(`  Poll interval: ${settings.pollIntervalSec}s`);
  const gaveUp = new Set<string>();
  const gateways = await openGateways(o, wanted, (entry) => gaveUp.add(entry.id));
  for (const g of gateways) log.info(`  Gateway ${g.label}: ${g.entry.url}`);
  log.info(`  AgentWatch URL: ${settings.agentwatchUrl}`);

  const alerts: Array<AlertService | null> = [];
  try {
    for (const g of gateways) alerts.push(await startAlerts(o, g));
  } catch (e) {
    await stopAll(gateways, alerts);
    throw e;
  }

  if (o.flags.once) {
    const results = await Promise.all(gateways.map((g) => g.engine.runOnce()));
    await stopAll(gateways, alerts);
    const failed = gateways.filter((_, i) => !results[i]!.ok).map((g) => g.label);
    if (failed.length > 0) log.error(`--once: the poll of ${failed.join(', ')} failed, exit code 1`);
    return failed.length === 0 ? 0 : 1;
  }

  return new Promise<number>((resolve) => {
    let stopping = false;
    const reported = new Set<string>();
    const finish = async (code: number) => {
      unregister();
      for (const u of unsubscribe) u();
      await stopAll(gateways, alerts);
      for (const g of gateways) {
        const s = g.engine.status();
        g.log.info(`Stopped after ${plural(s.pollCount, 'poll')}: ${plural(s.eventsDelivered, 'event')} delivered, ${s.outboxDepth} queued for next start, ${plural(s.failedPolls, 'failed poll')}`);
      }
      resolve(code);
    };
    const unregister = o.onSignal((signal) => {
      if (stopping) return;
      stopping = true;
      log.info(`${signal} received: finishing the current deliveries, then exiting`);
      void finish(0);
    });
    const unsubscribe = gateways.map((g) =>
      g.engine.onStatus((s) => {
        if (s.phase !== 'stopped' || !gaveUp.has(g.entry.id) || stopping) return;
        if (gaveUp.size < gateways.length) {
          if (reported.has(g.entry.id)) return;
          reported.add(g.entry.id);
          g.log.error(`Gave up after ${plural(s.consecutiveErrors, 'failed poll')} in a row; the other gateways keep syncing`);
          return;
        }
        stopping = true;
        void finish(1);
      }),
    );
    for (const g of gateways) g.engine.start();
  });
}
