import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimAgentWatch } from '../../src/sim/agentwatch-server.js';
import { demoWorld, runFinishedEvent } from '../../src/sim/demo-world.js';
import { startSimGateway, type SimGateway } from '../../src/sim/gateway-server.js';
import { answerSessionsList } from '../../src/sim/gateway-sessions.js';
import { cachedUsage } from '../../src/sim/usage-cache.js';
import { Settings } from '../../src/shared/settings.js';
import { createEngine, type RunningSync } from '../../src/sync/create-engine.js';
import type { Logger } from '../../src/sync/ports.js';
import { createNodeDurableFs } from '../../src/sync/store/durable-fs.js';
import { syncConfigOf } from '../../src/sync/sync-config.js';
import { faultyFs, fsError } from '../sync/store/store-test-kit.js';
import { VirtualTime, quiet } from '../support/virtual-time.js';
import { Received, compare, gatewayTotals, type Comparison } from './received.js';
import { Agenda, FAULTS, type Fault } from './soak-agenda.js';
import { mulberry32 } from '../support/seeded-random.js';
import { formatCheckpoint, slopePerDay, type Sample } from './soak-report.js';

export interface SoakOptions {
  days: number;
  seed: number;
  /** An abrupt engine restart this often (simulated days). */
  restartEveryDays: number;
  /** A random fault this often (simulated hours). */
  faultEveryHours: number;
  /** The laptop lid closes for `wakeHours` on this day. */
  wakeAtDay: number;
  wakeHours: number;
  checkpointEveryDays: number;
  print?: (text: string) => void;
}

export interface SoakResult {
  comparison: Comparison;
  missing: string[];
  duplicates: number;
  duplicateBound: number;
  faults: Record<string, number>;
  restarts: number;
  polls: number;
  runs: number;
  stateDirBytes: number;
  trackedSessions: number;
  /** After the wake: reconnects, reconciliations (polls that read everything), their sessions.usage asks, polls. */
  wake: { reconnects: number; fullReads: number; usageReads: number; polls: number; warnings: string[] };
  samples: Sample[];
  /** Warnings and errors the engine logged, by kind (numbers blanked), most frequent first. */
  warnings: Array<[string, number]>;
  heapSlopeMbPerDay: number;
  rssSlopeMbPerDay: number;
  wallSeconds: number;
}

const DAY = 86_400_000;
const HAIKU = { provider: 'anthropic', model: 'claude-haiku-4-5', input: 1, output: 5, contextTokens: 200_000 };

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir)) total += (await stat(join(dir, name)).catch(() => ({ size: 0 }))).size;
  return total;
}

/** The real engine, live mode on, against both simulators on a virtual clock for `days` simulated days. */
export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const started = performance.now();
  const rng = mulberry32(o.seed);
  const time = new VirtualTime(Date.UTC(2026, 10, 2, 8, 0, 0));
  const startAt = time.t;
  const endAt = startAt + o.days * DAY;
  const world = demoWorld(time);
  const cronKey = world.keys().find((k) => k.includes(':cron:'))!;
  const active = new Set(world.keys().filter((k) => k !== cronKey));
  const usage = cachedUsage((p) => world.usagePayload(p), { clock: time });
  const token = randomBytes(20).toString('hex');
  let slowFrames = 0;
  let unavailable = 0;
  const listSessions = async (params: Record<string, unknown>) => {
    if (slowFrames > 0) {
      slowFrames -= 1;
      await time.sleep(200 + Math.floor(rng() * 2_500)); // past requestTimeoutMs (1.5 s) about half the time
    }
    return answerSessionsList(params, world.rows(), time.now());
  };
  const startGateway = (port?: number) =>
    startSimGateway({ token, port, sessions: () => world.rows(), usage, now: time.now, sendTicks: () => false, unavailableConnects: unavailable, unavailableRetryAfterMs: 2_000, methods: { 'sessions.list': listSessions } });
  let gateway: SimGateway | null = await startGateway();
  const port = gateway.port;
  const aw = await startSimAgentWatch({ now: time.now });
  // tmpfs when there is one: the soak measures the engine, not the disk's fsync.
  const stateDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'aw-soak-'));
  let diskFull = false;
  const fs = faultyFs(createNodeDurableFs(), {
    append: () => (diskFull ? { error: fsError('ENOSPC') } : undefined),
    writeAtomic: () => (diskFull ? fsError('ENOSPC') : undefined),
  });
  let logCount = 0;
  let watching: string[] | null = null;
  let reconciles = 0;
  const warnings = new Map<string, number>();
  const note = (level: string) => (m: string) => {
    logCount += 1;
    if (/^Poll #\d+ usage: .*reconciliation/.test(m)) reconciles += 1;
    if (level === 'WARN' || level === 'ERROR') {
      const kind = `${level} ${m.replace(/\d+(\.\d+)?/g, 'N').replace(/127\.N\.N\.N:N/g, 'host').slice(0, 70)}`;
      warnings.set(kind, (warnings.get(kind) ?? 0) + 1);
    }
    if (watching && (level === 'WARN' || level === 'ERROR')) watching.push(`${level} ${m}`);
  };
  const log: Logger = { debug: note('DEBUG'), info: note('INFO'), warn: note('WARN'), error: note('ERROR') };
  const settings = Settings.parse({ openclawUrl: `http://127.0.0.1:${port}`, agentwatchUrl: aw.url, sink: 'agentwatch', live: true, pollIntervalSec: 30, requestTimeoutMs: 1_500, maxErrors: 0 });
  const startEngine = async () => {
    const e = await createEngine(syncConfigOf(settings), { log, stateDir, gatewayToken: token, clientVersion: 'soak', clock: time, sleep: time.sleep, random: rng, maxErrors: 0, stateFs: fs });
    e.start();
    return e;
  };
  let engine: RunningSync = await startEngine();

  const received = new Received();
  const counters = { polls: 0, fullReads: 0, connects: 0 };
  const foldGateway = () => {
    if (!gateway) return;
    for (const r of gateway.requests) {
      if (r.method === 'sessions.list') counters.polls += 1;
      if (r.method === 'sessions.usage' && !(r.params as Record<string, unknown> | undefined)?.key) counters.fullReads += 1;
    }
    counters.connects += gateway.connectRequests.length;
    gateway.requests.length = 0;
    gateway.connectRequests.length = 0;
  };
  const activity = () => logCount + aw.requests.length + (gateway ? gateway.requests.length + gateway.connectRequests.length : 0);
  const faults: Record<string, number> = {};
  let restarts = 0;
  let runs = 0;
  let acceptedThenLost = 0;
  const wakeAt = startAt + o.wakeAtDay * DAY;
  const nearWake = (t: number) => t > wakeAt - 3 * 3_600_000 && t < wakeAt + (o.wakeHours + 3) * 3_600_000;
  const wake = { reconnects: 0, fullReads: 0, usageReads: 0, polls: 0, warnings: [] as string[] };
  const samples: Sample[] = [];
  const agenda = new Agenda();
  const finishRun = (key: string, broadcast: boolean) => {
    world.finishRun(key, 200 + Math.floor(rng() * 9_000), 20 + Math.floor(rng() * 900));
    runs += 1;
    if (broadcast && gateway) {
      const event = runFinishedEvent(world, key, time.now());
      gateway.broadcast('sessions.changed', event);
      if (rng() < 0.05) agenda.at(time.t + Math.floor(rng() * 20_000), () => void gateway?.broadcast('sessions.changed', event)); // a repeat
    }
  };

  const inject = async (f: Fault) => {
    faults[f] = (faults[f] ?? 0) + 1;
    if (f === 'gateway-restart') {
      const g = gateway;
      gateway = null;
      foldGateway();
      await g?.close();
      unavailable = rng() < 0.5 ? 2 : 0;
      agenda.at(time.t + 10_000 + Math.floor(rng() * 600_000), async () => {
        gateway = await startGateway(port);
      });
    } else if (f === 'dropped-socket') gateway?.dropConnections();
    else if (f === 'slow-frames') slowFrames += 1 + Math.floor(rng() * 4);
    else if (f === 'aw-down') aw.fail({ kind: 'refuse-reset', times: 5 + Math.floor(rng() * 30) });
    else if (f === 'aw-5xx') aw.fail({ status: rng() < 0.5 ? 500 : 503, times: 1 + Math.floor(rng() * 4) });
    else if (f === 'aw-429') aw.fail({ status: 429, retryAfterSec: 5 + Math.floor(rng() * 120), times: 1 + Math.floor(rng() * 3) });
    else if (f === 'aw-timeout') aw.fail({ kind: 'hang', path: '/api/ingest' });
    else if (f === 'aw-accepted-then-lost') {
      aw.fail({ kind: 'accept-then-hang', path: '/api/ingest' });
      acceptedThenLost += 1;
    } else if (f === 'disk-full') {
      diskFull = true;
      agenda.at(time.t + 60_000 + Math.floor(rng() * 20 * 60_000), () => void (diskFull = false));
    }
  };

  // The world: ticks, runs, cron history, sessions appearing, going idle and resetting, faults, restarts, checkpoints.
  agenda.every(startAt, () => 30_000, () => void gateway?.broadcast('tick', { ts: time.now() }));
  const worldOn = () => time.t < endAt;
  agenda.every(startAt, () => 60_000 + Math.floor(rng() * 300_000), () => {
    if (!worldOn()) return;
    const keys = [...active];
    if (keys.length) finishRun(keys[Math.floor(rng() * keys.length)]!, true);
  });
  agenda.every(startAt, () => 5 * 60_000, () => void (worldOn() && finishRun(cronKey, true)));
  let spawned = 0;
  agenda.every(startAt, () => 4 * 3_600_000 + Math.floor(rng() * 8 * 3_600_000), () => {
    if (!worldOn()) return;
    const key = `agent:main:subagent:soak-${++spawned}`;
    world.add({ key, agentId: 'main', classification: 'subagent', label: `soak:${spawned}`, model: HAIKU, createdVia: 'spawn' });
    active.add(key);
    agenda.at(time.t + 3_600_000 + Math.floor(rng() * DAY), () => void active.delete(key)); // then idle for good
  });
  agenda.every(startAt, () => 6 * 3_600_000 + Math.floor(rng() * 18 * 3_600_000), () => {
    const keys = [...active];
    if (keys.length && worldOn()) world.reset(keys[Math.floor(rng() * keys.length)]!);
  });
  agenda.every(startAt, () => Math.floor(o.faultEveryHours * 3_600_000 * (0.5 + rng())), async () => {
    if (!nearWake(time.t) && time.t < endAt - 6 * 3_600_000) await inject(FAULTS[Math.floor(rng() * FAULTS.length)]!);
  });
  agenda.every(startAt, () => Math.floor(o.restartEveryDays * DAY * (0.7 + 0.6 * rng())), async () => {
    if (nearWake(time.t) || time.t > endAt - 6 * 3_600_000) return;
    // Abrupt: right where the timers just fired (a poll or a delivery may be under way).
    await engine.stop();
    engine = await startEngine();
    restarts += 1;
  });
  agenda.every(startAt, () => 3_600_000, () => {
    received.fold(aw);
    foldGateway();
  });
  agenda.every(startAt, () => DAY, async () => {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const day = (time.t - startAt) / DAY;
    samples.push({ day, heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20, fds: readdirSync('/proc/self/fd').length, timers: time.pending, handles: process.getActiveResourcesInfo().length, stateBytes: await dirBytes(stateDir) });
    if (o.print && Math.round(day) % o.checkpointEveryDays === 0) {
      received.fold(aw);
      o.print(formatCheckpoint(day, samples, compare(received.totals(), gatewayTotals(world)), received.duplicates, runs, faults, restarts, performance.now() - started));
    }
  });
  agenda.at(wakeAt, async () => {
    // Lid closed: nothing on this machine runs, the gateway elsewhere does; its events and ticks are lost.
    foldGateway();
    const before = { ...counters, reconciles };
    for (let t = 0; t < o.wakeHours * 3_600_000; t += 20 * 60_000) {
      time.t += 20 * 60_000;
      const keys = [...active];
      if (keys.length) finishRun(keys[Math.floor(rng() * keys.length)]!, false);
      finishRun(cronKey, false);
    }
    watching = [];
    time.advanceTo(time.t); // lid open: every overdue timer fires at once
    agenda.at(time.t + 90_000, () => {
      foldGateway();
      Object.assign(wake, { reconnects: counters.connects - before.connects, fullReads: reconciles - before.reconciles, usageReads: counters.fullReads - before.fullReads, polls: counters.polls - before.polls, warnings: watching ?? [] });
      watching = null;
    });
  });

  // After the month, one clean start (as after an upgrade): its start reconciliation settles what is in flight.
  agenda.at(endAt, async () => {
    await engine.stop();
    diskFull = false;
    gateway ??= await startGateway(port);
    engine = await startEngine();
  });

  try {
    const settledAt = endAt + 20 * 60_000;
    while (time.t < settledAt) {
      await quiet(time, activity);
      time.advanceTo(Math.min(time.nextAt() ?? Infinity, agenda.nextAt(), settledAt));
      await agenda.runDue(time.t);
    }
    await engine.stop();
    received.fold(aw);
    foldGateway();
    const gatewayNow = gatewayTotals(world);
    const got = received.totals();
    const missing = [...gatewayNow].filter(([id, g]) => !g.key.includes(':cron:') && g.input + g.output >= 10 && !got.has(id)).map(([id, g]) => `${g.key} ${id}`);
    const tracked = [...got.keys()].length;
    return {
      comparison: compare(got, gatewayNow),
      missing,
      duplicates: received.duplicates,
      duplicateBound: (acceptedThenLost + restarts) * settings.batchSize,
      faults,
      restarts,
      polls: counters.polls,
      runs,
      stateDirBytes: await dirBytes(stateDir),
      trackedSessions: tracked,
      wake,
      samples,
      warnings: [...warnings].sort((a, b) => b[1] - a[1]),
      heapSlopeMbPerDay: slopePerDay(samples, 'heapMb'),
      rssSlopeMbPerDay: slopePerDay(samples, 'rssMb'),
      wallSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await engine.stop();
    await gateway?.close();
    await aw.close();
    await rm(stateDir, { recursive: true, force: true });
  }
}
