import { errorMessage, isSyncError } from '../sync/errors.js';
import type { OnMilestone } from '../sync/milestone.js';
import { createLogger } from '../sync/logger.js';
import { UsageError, parseCliArgs } from './cli-args.js';
import { runDemo } from './demo.js';
import { helpText } from './help.js';
import { loadGateways } from './load-gateways.js';
import { loadSettings } from './load-settings.js';
import { runGateways } from './run-gateways.js';
import { runSync, type RunSyncOptions } from './run-sync.js';
import { runBackfill } from './run-backfill.js';
import { appVersion } from './version.js';

const LOG_FILE_BYTES = 5 * 1024 * 1024;

/** What a harness may add to the real CLI; the shipped entry (main.ts) passes nothing. */
export interface CliExtras {
  /** See OnMilestone: the crash tests (test/delivery/crash-cli.ts) SIGKILL the process at one. */
  onMilestone?: OnMilestone;
}

async function main(argv: readonly string[], extras: CliExtras): Promise<number> {
  const args = parseCliArgs(argv);
  const v = args.values;
  if (v.help) {
    process.stdout.write(helpText());
    return 0;
  }
  if (v.version) {
    process.stdout.write(`${appVersion()}\n`);
    return 0;
  }
  const settings = await loadSettings(v, process.env);
  const gateways = args.command === 'demo' ? undefined : await loadGateways(v, process.env);
  if (gateways && args.command === 'backfill') throw new UsageError('backfill reads one gateway: run it with --openclaw-url and --token-file (and a --state-dir of its own), not a config listing "gateways".');
  const secrets: string[] = [];
  const logFile = typeof v['log-file'] === 'string' ? { path: v['log-file'], maxBytes: LOG_FILE_BYTES, keep: 3 } : null;
  const log = createLogger({ level: settings.logLevel, file: logFile, secrets: () => secrets });
  try {
    if (args.command === 'demo') {
      const polls = typeof v.polls === 'string' ? Number(v.polls) : 5;
      if (!Number.isInteger(polls) || polls < 1) throw new UsageError('--polls must be a whole number >= 1');
      return await runDemo({ polls, pauseMs: 2_000, log, secrets, clientVersion: appVersion(), sink: settings.sink, jsonlPath: settings.jsonlPath, stdout: process.stdout });
    }
    const syncOptions: RunSyncOptions = {
      settings,
      flags: { once: v.once === true, ...(typeof v.token === 'string' ? { token: v.token } : {}), ...(typeof v['state-dir'] === 'string' ? { stateDir: v['state-dir'] } : {}) },
      env: process.env,
      log,
      secrets,
      clientVersion: appVersion(),
      stdout: process.stdout,
      ...(extras.onMilestone ? { onMilestone: extras.onMilestone } : {}),
      onSignal: (handler) => {
        const on = (s: NodeJS.Signals) => handler(s);
        process.on('SIGINT', on).on('SIGTERM', on);
        return () => process.off('SIGINT', on).off('SIGTERM', on);
      },
    };
    if (args.command === 'backfill') {
      const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
      return await runBackfill(syncOptions, str(v.since), str(v.until), new Date().toISOString().slice(0, 10));
    }
    return await (gateways ? runGateways(syncOptions, gateways) : runSync(syncOptions));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    log.error(errorMessage(e));
    return isSyncError(e) && e.code === 'CONFIG' ? 2 : 1;
  } finally {
    await log.close();
  }
}

/** The CLI as a process: runs `argv` and sets the exit code (0 ok, 1 failed, 2 usage or configuration). */
export function runCli(argv: readonly string[], extras: CliExtras = {}): Promise<void> {
  return main(argv, extras).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`agentwatch-sync: ${errorMessage(e)}\n`);
      process.exitCode = e instanceof UsageError ? 2 : 1;
    },
  );
}
