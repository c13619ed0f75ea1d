import type { Settings } from '../shared/settings.js';
import { gatewayIdOf } from './ids.js';
import { loadOrCreateDeviceIdentity } from './openclaw/device-identity.js';
import { GatewayClient } from './openclaw/gateway-client.js';
import { isLoopbackUrl } from './openclaw/gateway-url.js';
import { DEFAULT_PAGE_SIZE } from './openclaw/session-source.js';
import { gatewaySource } from './gateway-source.js';
import { realSleep, systemClock, type Clock, type Logger, type Sleep } from './ports.js';
import type { RetryPolicy } from './retry-policy.js';
import { createSink, type ConcreteSinkKind, type CreateSinkOptions } from './sinks/create-sink.js';
import { detectSink } from './sinks/detect-sink.js';
import type { Sink } from './sinks/sink.js';
import type { SyncStatus } from './status.js';
import { acquireStateLock } from './store/state-lock.js';
import { SyncState } from './store/sync-state.js';
import { SyncEngine } from './sync-engine.js';
import { LiveFeed } from './live/live-feed.js';

export interface EngineDeps {
  log: Logger;
  stateDir: string;
  gatewayToken: string;
  apiKey?: string;
  clientVersion: string;
  clock?: Clock;
  sleep?: Sleep;
  random?: () => number;
  /** Consecutive failed polls before the loop stops; defaults to settings.maxErrors (the tray passes 0). */
  maxErrors?: number;
  /** How long a poll waits for sessions.usage to cover the newest finished run (default 10 s; --once waits longer). */
  usageWaitMs?: number;
  /** Live mode: events within this window become one delivery (default 250 ms). */
  liveDebounceMs?: number;
  /** jsonl sink target stream when jsonlPath is '-'. */
  stdout?: NodeJS.WritableStream;
  retry?: RetryPolicy;
  onGiveUp?: (status: SyncStatus) => void;
}

/** Detects the sink once (auto) and keeps it; a failed detection is retried on the next poll. */
function sinkResolver(settings: Settings, deps: EngineDeps, gatewayId: string): (signal: AbortSignal) => Promise<Sink> {
  let sink: Sink | undefined;
  const options: CreateSinkOptions = {
    baseUrl: settings.agentwatchUrl,
    timeoutMs: settings.requestTimeoutMs,
    gatewayId,
    jsonlPath: settings.jsonlPath,
    otlpUrl: settings.otlpUrl,
    log: deps.log,
    serviceVersion: deps.clientVersion,
    ...(deps.apiKey ? { apiKey: deps.apiKey } : {}),
    ...(deps.stdout ? { stdout: deps.stdout } : {}),
  };
  return async (signal) => {
    if (sink) return sink;
    let kind: ConcreteSinkKind;
    if (settings.sink === 'auto') {
      kind = await detectSink(options, signal);
      deps.log.info(`AgentWatch sink: ${kind} (detected from ${settings.agentwatchUrl}/openapi.json)`);
    } else {
      kind = settings.sink;
    }
    sink = createSink(kind, options);
    return sink;
  };
}

/** The composition of the engine: lock, state, gateway client, sink and the poll loop. */
export async function createEngine(settings: Settings, deps: EngineDeps): Promise<SyncEngine> {
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const log = deps.log;
  const lock = await acquireStateLock(deps.stateDir, { pid: process.pid, log, clock });
  let state: SyncState;
  try {
    state = await SyncState.open({ dir: deps.stateDir, clock, log, maxOutbox: settings.outboxMaxEvents });
  } catch (e) {
    await lock.release();
    throw e;
  }
  const wantsDevice = settings.deviceIdentity === 'always' || (settings.deviceIdentity === 'auto' && !isLoopbackUrl(settings.openclawUrl));
  const device = wantsDevice ? await loadOrCreateDeviceIdentity(deps.stateDir) : null;
  const client = new GatewayClient(
    {
      url: settings.openclawUrl,
      token: deps.gatewayToken,
      device,
      requestTimeoutMs: settings.requestTimeoutMs,
      clientVersion: deps.clientVersion,
    },
    { log, clock, sleep, random },
  );
  const gatewayId = gatewayIdOf(settings.openclawUrl);
  let sinkName: string | null = null;
  const resolveSink = sinkResolver(settings, deps, gatewayId);
  const companions: Array<{ start(): void; stop(): Promise<void> }> = [];
  const engine = new SyncEngine({
    companions,
    settings,
    store: state,
    clock,
    sleep,
    log,
    maxErrors: deps.maxErrors ?? settings.maxErrors,
    cycle: {
      settings,
      gatewayId,
      source: gatewaySource(client, log, DEFAULT_PAGE_SIZE),
      store: state,
      sink: async (signal) => {
        const sink = await resolveSink(signal);
        sinkName = sink.name;
        return sink;
      },
      clock,
      sleep,
      log,
      random,
      ...(deps.retry ? { retry: deps.retry } : {}),
      ...(deps.usageWaitMs !== undefined ? { usageWaitMs: deps.usageWaitMs } : {}),
    },
    close: async () => {
      client.close();
      await state.close();
      await lock.release();
    },
    peers: () => ({ sink: sinkName, gatewayVersion: client.hello?.serverVersion ?? null }),
    ...(deps.onGiveUp ? { onGiveUp: deps.onGiveUp } : {}),
  });
  if (settings.live) {
    companions.push(
      new LiveFeed({
        client,
        clock,
        sleep,
        log,
        debounceMs: deps.liveDebounceMs ?? 250,
        onRuns: (runs) => engine.bookLive(runs),
        onResubscribed: () => void engine.runOnce(),
        onModeChange: (mode) => engine.setMode(mode),
      }),
    );
  }
  return engine;
}
