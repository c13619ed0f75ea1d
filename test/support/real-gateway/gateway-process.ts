import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultAgents, writeGatewayConfig, type AgentSpec } from './gateway-config.js';
import { requireOpenclawInstall, type OpenclawInstall } from './install.js';
import { gatewayLogDir } from './log-dir.js';
import { killProcessGroupNow, stopProcessGroup } from './process-group.js';
import { pickGatewayPort } from './loopback-port.js';
import { PortConflictError, waitForGateway } from './readiness.js';
import { connectRpc, type ConnectOptions, type RpcClient } from './rpc.js';
import { runOpenclawCli, type CliOptions, type CliResult } from './run-cli.js';

export interface StartGatewayOptions {
  /** Base URL of the fake LLM (`FakeLlm.url`, ending in `/v1`). */
  fakeLlmUrl: string;
  /** Loopback port; a free one is picked when omitted. */
  port?: number;
  agents?: AgentSpec[];
  /** How long to wait for a successful `connect` after launch (startup takes 8–22 s). */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace on stop. */
  stopGraceMs?: number;
}

export interface RealGateway {
  /** `http://127.0.0.1:PORT` (the WebSocket endpoint is the same port). */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The temp HOME holding `.openclaw/openclaw.json` and all gateway state. */
  readonly home: string;
  /** Environment the gateway runs with (HOME etc.); use it for any other openclaw process. */
  readonly env: NodeJS.ProcessEnv;
  /** Gateway stdout+stderr of the current launch (kept after stop, under .cache/real-gateway-logs). */
  readonly logFile: string;
  /** Milliseconds from the last launch until `connect` succeeded. */
  readonly startupMs: number;
  /** Runs the openclaw CLI against this gateway (same HOME/env). */
  cli(args: string[], opts?: CliOptions): Promise<CliResult>;
  /** Direct RPC connection (defaults: gateway-client/backend, scopes operator.read, this token). */
  connect(opts?: Partial<ConnectOptions>): Promise<RpcClient>;
  /** The last lines of the log, for assertion messages. */
  logTail(lines?: number): string;
  /** Stops the process group (SIGTERM; with `kill`, SIGKILL at once: a crash) and starts again on the same HOME and port. */
  restart(opts?: { kill?: boolean }): Promise<void>;
  /** Stops the process group and removes HOME. Idempotent. */
  stop(): Promise<void>;
}

const live = new Set<{ child?: ChildProcess; home: string }>();
let exitHookInstalled = false;

// Retries cover a dying worker still writing into HOME (ENOTEMPTY).
const removeHome = (home: string) => rmSync(home, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });

function killAllNow(): void {
  for (const g of live) {
    if (g.child) killProcessGroupNow(g.child);
    try {
      removeHome(g.home);
    } catch (error) {
      process.stderr.write(`real-gateway: could not remove ${g.home}: ${(error as Error).message}\n`);
    }
  }
  live.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', killAllNow);
  // The gateway has its own process group, so a Ctrl-C or a runner's SIGTERM never reaches it: forward, then die.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      killAllNow();
      process.kill(process.pid, signal);
    });
  }
}

function gatewayEnv(home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // A developer's own OPENCLAW_* (e.g. OPENCLAW_GATEWAY_TOKEN) or the test runner's context must not leak in.
    if (name.startsWith('OPENCLAW_') || name === 'NODE_OPTIONS' || name === 'NODE_TEST_CONTEXT') continue;
    env[name] = value;
  }
  return { ...env, HOME: home, NO_COLOR: '1', FORCE_COLOR: '0' };
}

function launch(install: OpenclawInstall, env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(install.nodeBin, [install.cliEntry, 'gateway', 'run'], { env, stdio: ['ignore', fd, fd], detached: true });
    // A forgotten stop() must not hang node --test; the exit hook still kills the group.
    child.unref();
    return child;
  } finally {
    closeSync(fd); // the child holds its own copy
  }
}

const portAttempts = 3;

export async function startRealGateway(opts: StartGatewayOptions): Promise<RealGateway> {
  const install = requireOpenclawInstall();
  installExitHook();
  const home = mkdtempSync(join(tmpdir(), 'agentwatch-openclaw-home-'));
  const entry: { child?: ChildProcess; home: string } = { home };
  live.add(entry);
  const token = randomBytes(24).toString('hex');
  const env = gatewayEnv(home);
  const logDir = gatewayLogDir();
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const graceMs = opts.stopGraceMs ?? 10_000;
  let port = 0;
  let launches = 0;
  let logFile = '';
  let startupMs = 0;
  let stopped = false;

  const url = () => `http://127.0.0.1:${port}`;
  const logTail = (lines = 40) => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no gateway log)';
    }
  };

  function configure(nextPort: number): void {
    port = nextPort;
    const openclawLog = join(logDir, `${stamp}-${port}.openclaw.log`);
    writeGatewayConfig(home, { port, token, fakeLlmUrl: opts.fakeLlmUrl, agents: opts.agents ?? defaultAgents, logFile: openclawLog });
  }

  async function start(): Promise<void> {
    logFile = join(logDir, `${stamp}-${port}.${++launches}.log`);
    const started = Date.now();
    const child = launch(install, env, logFile);
    entry.child = child;
    try {
      await waitForGateway({ url: url(), token, child, timeoutMs: opts.readyTimeoutMs ?? 90_000, readLog: () => logTail(200) });
    } catch (error) {
      await stopProcess();
      if (error instanceof PortConflictError) throw new PortConflictError(`${error.message}; log ${logFile}`);
      throw new Error(`${(error as Error).message}\n--- gateway log (${logFile}) ---\n${logTail()}`, { cause: error });
    }
    startupMs = Date.now() - started;
  }

  async function stopProcess(kill = false): Promise<void> {
    if (entry.child && kill) killProcessGroupNow(entry.child);
    if (entry.child) await stopProcessGroup(entry.child, graceMs);
    entry.child = undefined;
  }

  const gateway: RealGateway = {
    get url() {
      return url();
    },
    get port() {
      return port;
    },
    token,
    home,
    env,
    get logFile() {
      return logFile;
    },
    get startupMs() {
      return startupMs;
    },
    cli: (args, cliOpts) => runOpenclawCli(install, env, args, cliOpts),
    connect: (connectOpts) => connectRpc({ url: url(), token, ...connectOpts }),
    logTail,
    restart: async (restartOpts) => {
      await stopProcess(restartOpts?.kill === true);
      await start();
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      try {
        await stopProcess();
      } finally {
        removeHome(home);
        live.delete(entry);
      }
    },
  };

  try {
    // Another process can take the port while the gateway boots: with a picked port, pick again.
    for (let attempt = 1; ; attempt++) {
      configure(opts.port ?? (await pickGatewayPort()));
      try {
        await start();
        return gateway;
      } catch (error) {
        if (!(error instanceof PortConflictError) || opts.port !== undefined || attempt >= portAttempts) throw error;
      }
    }
  } catch (error) {
    await gateway.stop();
    throw error;
  }
}
