import { SyncError } from '../errors.js';
import type { Clock, Logger, Sleep } from '../ports.js';
import { connectBackoffMs, GATEWAY_UNAVAILABLE_WAIT } from '../retry-policy.js';
import { describeConnectFailure, type DescribeConnectFailure } from './connect-failure.js';
import type { HelloInfo } from './connect-frame.js';
import type { DeviceIdentity } from './device-identity.js';
import { GatewayConnection, type ConnectionSpec } from './gateway-connection.js';
import { toWebSocketUrl } from './gateway-url.js';
import type { RawAnswerReader } from './raw-answer.js';

export interface GatewayClientOptions {
  url: string;
  token: string;
  scopes?: string[];
  clientId?: string;
  clientMode?: string;
  /** null (the default) is only for loopback gateways; the engine passes one for other hosts. */
  device?: DeviceIdentity | null;
  requestTimeoutMs: number;
  connectTimeoutMs?: number;
  clientVersion: string;
  /** Sent as client.platform (and signed); defaults to process.platform. */
  platform?: string;
}

export interface GatewayClientDeps {
  log: Logger;
  clock: Clock;
  sleep: Sleep;
  /** Jitter source for the reconnect backoff; Math.random by default. */
  random?: () => number;
  describeFailure?: DescribeConnectFailure;
}

type EventListener = (event: string, payload: unknown, seq: number | undefined) => void;
type DisconnectListener = (reason: string) => void;

const defaultConnectTimeoutMs = 15_000;

/**
 * Operator client for the gateway's WebSocket RPC. One socket at a time, opened lazily and reopened after a
 * disconnect. The reconnect backoff is applied here: after consecutive failed connects the next connect() waits
 * connectBackoffMs (retry-policy.ts) from the last failure; a successful handshake resets it.
 */
export class GatewayClient {
  private readonly spec: ConnectionSpec;
  private conn: GatewayConnection | null = null;
  private connecting: Promise<HelloInfo> | null = null;
  private lifecycle = new AbortController();
  private failures = 0;
  private retryAt = 0;
  private lastHello: HelloInfo | null = null;
  private lastConnectedAt: number | null = null;
  private readonly eventListeners = new Set<EventListener>();
  private readonly disconnectListeners = new Set<DisconnectListener>();

  constructor(
    private readonly options: GatewayClientOptions,
    private readonly deps: GatewayClientDeps,
  ) {
    this.spec = {
      wsUrl: toWebSocketUrl(options.url),
      token: options.token,
      scopes: options.scopes ?? ['operator.read'],
      clientId: options.clientId ?? 'gateway-client',
      clientMode: options.clientMode ?? 'backend',
      clientVersion: options.clientVersion,
      platform: options.platform ?? process.platform,
      device: options.device ?? null,
      timeoutMs: options.connectTimeoutMs ?? defaultConnectTimeoutMs,
    };
  }

  /** The hello of the current connection, or of the last one after a disconnect; null before any. */
  get hello(): HelloInfo | null {
    return this.lastHello;
  }

  /** When the current (or last) connection completed its handshake, by the injected clock. */
  get connectedAt(): number | null {
    return this.lastConnectedAt;
  }

  get connected(): boolean {
    return this.conn?.isOpen ?? false;
  }

  /** Reuses the open socket; concurrent callers share one attempt. `signal` abandons only this caller's wait. */
  connect(signal?: AbortSignal): Promise<HelloInfo> {
    const open = this.conn?.isOpen ? this.conn.hello : null;
    if (open) return Promise.resolve(open);
    this.connecting ??= this.establish(this.lifecycle.signal).finally(() => {
      this.connecting = null;
    });
    return raceSignal(this.connecting, signal);
  }

  /** `readRaw` reads a large ok answer from its text instead of one JSON.parse (see RawAnswerReader). */
  async request<T = unknown>(
    method: string,
    params: Record<string, unknown>,
    opts: { timeoutMs?: number; signal?: AbortSignal; readRaw?: RawAnswerReader } = {},
  ): Promise<T> {
    await this.connect(opts.signal);
    const conn = this.conn;
    if (conn === null) throw new SyncError('NETWORK', `Not connected to the OpenClaw gateway at ${this.spec.wsUrl}; retrying.`, { retryable: true });
    const timeoutMs = opts.timeoutMs ?? this.options.requestTimeoutMs;
    return (await conn.request(method, params, timeoutMs, opts.signal, { readRaw: opts.readRaw })) as T;
  }

  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onDisconnect(listener: DisconnectListener): () => void {
    this.disconnectListeners.add(listener);
    return () => this.disconnectListeners.delete(listener);
  }

  /** Idempotent. Closes the socket, fails pending requests and any running connect; a later call reconnects. */
  close(): void {
    const closed = new SyncError('NETWORK', 'The gateway connection was closed by AgentWatch Sync (stopping or settings changed).', {
      retryable: true,
    });
    this.lifecycle.abort(closed);
    this.lifecycle = new AbortController();
    this.conn?.shutdown(closed);
    this.conn = null;
  }

  private async establish(signal: AbortSignal): Promise<HelloInfo> {
    const wait = this.retryAt - this.deps.clock.now();
    if (wait > 0) {
      this.deps.log.debug(`gateway: waiting ${wait} ms before reconnecting (${this.failures} failed connects)`);
      await this.deps.sleep(wait, signal);
    }
    try {
      const conn = await this.openWithUnavailableRetry(signal);
      if (signal.aborted) {
        conn.shutdown(signal.reason); // close() ran while the handshake was finishing
        throw signal.reason;
      }
      this.failures = 0;
      this.retryAt = 0;
      this.conn = conn;
      this.lastHello = conn.hello;
      this.lastConnectedAt = this.deps.clock.now();
      const hello = conn.hello as HelloInfo;
      this.deps.log.info(`gateway: connected to ${this.spec.wsUrl} (server ${hello.serverVersion ?? 'unknown'}, scopes ${hello.scopes.join(',')})`);
      return hello;
    } catch (error) {
      if (signal.aborted) throw error; // closed by us: not a gateway failure, no backoff
      this.failures += 1;
      this.retryAt = this.deps.clock.now() + connectBackoffMs(this.failures, this.deps.random ?? Math.random);
      throw error;
    }
  }

  /** The gateway answers UNAVAILABLE while starting up; wait as told (capped) within connectTimeoutMs. */
  private async openWithUnavailableRetry(signal: AbortSignal): Promise<GatewayConnection> {
    const deadline = this.deps.clock.now() + this.spec.timeoutMs;
    for (;;) {
      const timeoutMs = Math.max(1, deadline - this.deps.clock.now());
      try {
        return await GatewayConnection.open({ ...this.spec, timeoutMs }, this.connectionDeps(), this.handlers(), signal);
      } catch (error) {
        if (!(error instanceof SyncError) || error.code !== 'UNAVAILABLE') throw error;
        const waitMs = Math.min(error.retryAfterMs ?? GATEWAY_UNAVAILABLE_WAIT.defaultMs, GATEWAY_UNAVAILABLE_WAIT.maxMs);
        if (this.deps.clock.now() + waitMs >= deadline) throw error;
        this.deps.log.info(`gateway: not ready yet, retrying connect in ${waitMs} ms`);
        await this.deps.sleep(waitMs, signal);
      }
    }
  }

  private connectionDeps() {
    return {
      log: this.deps.log,
      clock: this.deps.clock,
      sleep: this.deps.sleep,
      describeFailure: this.deps.describeFailure ?? describeConnectFailure,
    };
  }

  private handlers() {
    return {
      onEvent: (event: string, payload: unknown, seq: number | undefined) => {
        for (const listener of this.eventListeners) {
          try {
            listener(event, payload, seq);
          } catch (error) {
            this.deps.log.warn(`gateway: an event listener for ${event} failed: ${String(error)}`);
          }
        }
      },
      onClose: (reason: string) => {
        this.deps.log.info(`gateway: disconnected: ${reason}`);
        for (const listener of this.disconnectListeners) listener(reason);
      },
    };
  }
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
