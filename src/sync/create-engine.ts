import { gatewayIdOf } from './ids.js';
import { loadOrCreateDeviceIdentity } from './openclaw/device-identity.js';
import { GatewayClient } from './openclaw/gateway-client.js';
import { isLoopbackUrl } from './openclaw/gateway-url.js';
import { DEFAULT_PAGE_SIZE } from './openclaw/list-sessions.js';
import { gatewaySource } from './gateway-source.js';
import { realSleep, systemClock, type Clock, type Logger, type Sleep } from './ports.js';
import type { OnMilestone } from './milestone.js';
import type { RetryPolicy } from './retry-policy.js';
import { createSink, type ConcreteSinkKind, type CreateSinkOptions } from './sinks/create-sink.js';
import { detectSink } from './sinks/detect-sink.js';
import type { Sink } from './sinks/sink.js';
import type { SyncStatus } from '../shared/sync-status.js';
import type { Engine } from './engine.js';
import { acquireStateLock } from './store/lock.js';
import type { DurableFs } from './store/durable-fs.js';
import { SyncState } from './store/sync-state.js';
import type { SyncConfig } from './sync-config.js';
import { SyncEngine } from './sync-engine.js';
import { ReadMemory } from './read-memory.js';
import { WindowView } from './window-view.js';
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
  /** Consecutive failed polls before the loop stops; defaults to config.maxErrors (the tray passes 0). */
  maxErrors?: number;
  /** How long a poll waits for sessions.usage to cover the newest finished run (default 10 s; --once waits longer). */
  usageWaitMs?: number;
  /**
   * 'every-poll' reads sessions.usage for every session on each poll: the strategy before incremental polls, kept as
   * the reference the benchmark and the accounting property tests compare with. Default 'incremental'.
   */
  usageReads?: 'incremental' | 'every-poll';
  /** Live mode: events within this window become one delivery (default 250 ms). */
  liveDebounceMs?: number;
  /** jsonl sink target stream when jsonlPath is '-'. */
  stdout?: NodeJS.WritableStream;
  retry?: RetryPolicy;
  onGiveUp?: (status: SyncStatus) => void;
  /** Observes booking and delivery milestones (the crash tests' kill switch); none in the shipped hosts. */
  onMilestone?: OnMilestone;
  /** The state dir's file operations (the soak's disk-full spells); the node ones in the shipped hosts. */
  stateFs?: DurableFs;
}

/** A request deadline on an injected sleep, so a test clock also times HTTP requests out. */
function deadlineOn(sleep: Sleep): (ms: number) => AbortSignal {
  return (ms) => {
    const timer = new AbortController();
    void sleep(ms).then(() => timer.abort(new DOMException('The operation timed out.', 'TimeoutError')));
    return timer.signal;
  };
}

/** Detects the sink once (auto) and keeps it; a failed detection is retried on the next poll. */
function sinkResolver(config: SyncConfig, deps: EngineDeps, gatewayId: string): (signal: AbortSignal) => Promise<Sink> {
  let sink: Sink | undefined;
  const options: CreateSinkOptions = {
    baseUrl: config.agentwatchUrl,
    timeoutMs: config.requestTimeoutMs,
    gatewayId,
    ...(config.agentSuffix ? { agentSuffix: config.agentSuffix } : {}),
    jsonlPath: config.jsonlPath,
    otlpUrl: config.otlpUrl,
    log: deps.log,
    serviceVersion: deps.clientVersion,
    ...(deps.apiKey ? { apiKey: deps.apiKey } : {}),
    ...(deps.stdout ? { stdout: deps.stdout } : {}),
    ...(deps.sleep ? { deadline: deadlineOn(deps.sleep) } : {}),
  };
  return async (signal) => {
    if (sink) return sink;
    let kind: ConcreteSinkKind;
    if (config.sink === 'auto') {
      kind = await detectSink(options, signal);
      deps.log.info(`AgentWatch sink: ${kind} (detected from ${config.agentwatchUrl}/openapi.json)`);
    } else {
      kind = config.sink;
    }
    sink = createSink(kind, options);
    return sink;
  };
}

/** The poll loop with the queries that serve the window: what a host holds. */
export type RunningSync = SyncEngine & Engine & Pick<WindowView, 'previewFilter'>;

/** The composition of the engine: lock, state, gateway client, sink, the poll loop and the window's view of it. */
export async function createEngine(config: SyncConfig, deps: EngineDeps): Promise<RunningSync> {
  const clock = deps.clock ?? systemClock;
  const sleep = deps.sleep ?? realSleep;
  const random = deps.random ?? Math.random;
  const log = deps.log;
  const lock = await acquireStateLock(deps.stateDir, { pid: process.pid, log, clock });
  let state: SyncState;
  try {
    state = await SyncState.open({ dir: deps.stateDir, clock, log, maxOutbox: config.outboxMaxEvents, ...(deps.stateFs ? { fs: deps.stateFs } : {}) });
  } catch (e) {
    await lock.release();
    throw e;
  }
  const wantsDevice = config.deviceIdentity === 'always' || (config.deviceIdentity === 'auto' && !isLoopbackUrl(config.openclawUrl));
  const device = wantsDevice ? await loadOrCreateDeviceIdentity(deps.stateDir) : null;
  const client = new GatewayClient(
    {
      url: config.openclawUrl,
      token: deps.gatewayToken,
      device,
      requestTimeoutMs: config.requestTimeoutMs,
      clientVersion: deps.clientVersion,
    },
    { log, clock, sleep, random },
  );
  const gatewayId = config.gatewayId ?? gatewayIdOf(config.openclawUrl);
  let sinkName: string | null = null;
  const resolveSink = sinkResolver(config, deps, gatewayId);
  const companions: Array<{ start(): void; stop(): Promise<void> }> = [];
  const view = new WindowView(state, clock, config.filter);
  const reads = deps.usageReads === 'every-poll' ? undefined : new ReadMemory();
  const engine = new SyncEngine({
    secrets: [deps.gatewayToken, ...(deps.apiKey ? [deps.apiKey] : [])],
    companions,
    config,
    view,
    clock,
    sleep,
    log,
    maxErrors: deps.maxErrors ?? config.maxErrors,
    cycle: {
      config,
      gatewayId,
      source: gatewaySource(client, log, clock, DEFAULT_PAGE_SIZE),
      ledger: state,
      outbox: state,
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
      ...(deps.onMilestone ? { onMilestone: deps.onMilestone } : {}),
      ...(reads ? { reads } : {}),
    },
    close: async () => {
      client.close();
      await state.close();
      await lock.release();
    },
    peers: () => ({ sink: sinkName, gatewayVersion: client.hello?.serverVersion ?? null }),
    ...(deps.onGiveUp ? { onGiveUp: deps.onGiveUp } : {}),
  });
  if (config.live) {
    companions.push(
      new LiveFeed({
        client,
        clock,
        sleep,
        log,
        debounceMs: deps.liveDebounceMs ?? 250,
        onRuns: (runs) => engine.bookLive(runs),
        onResubscribed: () => void engine.runOnce(),
        onDeadSocket: (silentMs) => reads?.requestReconcile(`no traffic from the gateway for ${Math.round(silentMs / 1000)}s`),
        onModeChange: (mode) => engine.setMode(mode),
      }),
    );
  }
  return Object.assign(engine, {
    previewFilter: (expression: string) => view.previewFilter(expression),
    usageByHour: (hours: number) => view.usageByHour(hours),
  });
}
