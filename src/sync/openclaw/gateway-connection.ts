import { WebSocket } from 'ws';
import { SyncError } from '../errors.js';
import type { Clock, Logger, Sleep } from '../ports.js';
import type { DescribeConnectFailure } from './connect-failure.js';
import { buildConnectParams, grantsRead, missingScopeError, parseChallenge, parseHello } from './connect-frame.js';
import type { ConnectIdentity, HelloInfo } from './connect-frame.js';
import { connectionLostError, handshakeError, networkError, redact, rpcError, truncate } from './gateway-errors.js';
import type { GatewayErrorShape } from './gateway-errors.js';
import { parseFrame, type InboundFrame, type ParsedFrame } from './gateway-frames.js';
import { rawAnswerId, readRawAnswer, type RawAnswerReader } from './raw-answer.js';

// `ws` rather than undici's WebSocket: it hands a text frame over as bytes, so a 26 MB sessions.usage answer is read
// a slice at a time from its bytes; undici decodes it into one string first (with its copy, a 140–180 ms stall at
// 10k sessions, bench/findings.md). No compression: the gateway does not offer it and inflating 26 MB would cost more.
const socketOptions = { perMessageDeflate: false, maxPayload: 1024 * 1024 * 1024 };

export interface ConnectionSpec extends ConnectIdentity {
  wsUrl: string;
  /** Bounds the whole handshake: socket open, challenge, hello-ok. */
  timeoutMs: number;
}

export interface ConnectionDeps {
  log: Logger;
  clock: Clock;
  sleep: Sleep;
  describeFailure: DescribeConnectFailure;
}

export interface ConnectionHandlers {
  onEvent(event: string, payload: unknown, seq: number | undefined): void;
  onClose(reason: string): void;
}

type ResFrame = Extract<InboundFrame, { type: 'res' }>;
interface Pending {
  method: string;
  settle(frame: ResFrame): void;
  fail(error: unknown): void;
  readRaw?(frame: Buffer): void; // a large ok answer's bytes, undecoded (requests with a RawAnswerReader)
}
type State = 'opening' | 'challenge' | 'hello' | 'open' | 'closed';

const maxExpiredIds = 256;

/** One WebSocket to the gateway: the protocol-4 handshake, then request/response by id. Never reopens. */
export class GatewayConnection {
  private readonly pending = new Map<string, Pending>();
  /** Ids we stopped waiting for: their late answers are expected, not malformed. */
  private readonly expired = new Set<string>();
  private nextId = 1;
  private state: State = 'opening';
  private handshake: { resolve(): void; reject(error: unknown): void } | null = null;
  private ws: WebSocket | null = null;
  private lastFrameAt = 0;
  hello: HelloInfo | null = null;

  private constructor(
    private readonly spec: ConnectionSpec,
    private readonly deps: ConnectionDeps,
    private readonly handlers: ConnectionHandlers,
  ) {}

  static async open(spec: ConnectionSpec, deps: ConnectionDeps, handlers: ConnectionHandlers, signal: AbortSignal): Promise<GatewayConnection> {
    const conn = new GatewayConnection(spec, deps, handlers);
    await conn.start(signal);
    return conn;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  private start(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const deadline = new AbortController();
      const onAbort = () => this.handshake?.reject(signal.reason);
      const finish = (error?: unknown) => {
        if (this.handshake === null) return;
        this.handshake = null;
        deadline.abort();
        signal.removeEventListener('abort', onAbort);
        if (error === undefined) return resolve();
        this.shutdown(error);
        reject(error);
      };
      this.handshake = { resolve: () => finish(), reject: (e) => finish(e) };
      signal.addEventListener('abort', onAbort, { once: true });
      // Rejects only when `deadline` is aborted after the handshake ended: nothing left to do then.
      this.deps.sleep(this.spec.timeoutMs, deadline.signal).then(() => finish(this.handshakeTimeout()), () => undefined);
      this.openSocket();
    });
  }

  private openSocket(): void {
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.spec.wsUrl, socketOptions);
    } catch (cause) {
      this.handshake?.reject(networkError(this.spec.wsUrl, 'the URL cannot be opened as a WebSocket', cause));
      return;
    }
    this.ws = ws;
    ws.on('open', () => {
      if (this.state === 'opening') this.state = 'challenge';
    });
    ws.on('message', (data) => this.onMessage(Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data)));
    ws.on('close', (code, reason) => this.onSocketClose(code, reason.toString('utf8')));
    ws.on('error', (e) => this.deps.log.debug(`gateway socket error on ${this.spec.wsUrl} (${this.redactText(e.message)}); close follows`));
  }

  private handshakeTimeout(): SyncError {
    const url = this.spec.wsUrl;
    const ms = this.spec.timeoutMs;
    const what =
      this.state === 'opening'
        ? `the WebSocket did not open within ${ms} ms`
        : this.state === 'challenge'
          ? `the socket opened but no connect.challenge arrived within ${ms} ms. Is this an OpenClaw gateway (protocol 4)?`
          : `connect got no answer within ${ms} ms`;
    return new SyncError('TIMEOUT', `Handshake with the OpenClaw gateway at ${url} timed out: ${what}`, { retryable: true });
  }

  private redactText(text: string): string {
    return redact(text, [this.spec.token]);
  }

  private redactError(err: GatewayErrorShape): GatewayErrorShape {
    return { ...err, message: this.redactText(err.message) };
  }

  private onMessage(frame: Buffer): void {
    this.lastFrameAt = this.deps.clock.now();
    const readRaw = this.pending.get(rawAnswerId(frame) ?? '')?.readRaw;
    if (readRaw) return readRaw(frame);
    const text = frame.toString('utf8');
    this.onParsedFrame(text, parseFrame(text));
  }

  private onParsedFrame(text: string, parsed: ParsedFrame): void {
    if ('problem' in parsed) {
      this.deps.log.warn(`Ignoring a malformed gateway frame (${parsed.problem}): ${truncate(this.redactText(text))}`);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'res') return this.onResponse(frame);
    if (frame.event === 'connect.challenge') {
      if (this.state === 'challenge') this.sendConnect(frame.payload);
      return;
    }
    if (this.state === 'open') this.handlers.onEvent(frame.event, frame.payload, frame.seq);
  }

  private onResponse(frame: ResFrame): void {
    const pending = this.pending.get(frame.id);
    if (pending === undefined) {
      const log = this.expired.has(frame.id) ? this.deps.log.debug : this.deps.log.warn;
      log.call(this.deps.log, `Ignoring a gateway answer for unknown request id ${truncate(frame.id, 40)}`);
      return;
    }
    this.pending.delete(frame.id);
    pending.settle(frame);
  }

  private sendConnect(payload: unknown): void {
    const challenge = parseChallenge(payload);
    const url = this.spec.wsUrl;
    if (challenge === null) {
      this.handshake?.reject(new SyncError('PROTOCOL', `The gateway at ${url} sent a connect.challenge without nonce/ts. Check the gateway version.`));
      return;
    }
    this.state = 'hello';
    const settle = (frame: ResFrame) => {
      if (!frame.ok) return this.handshake?.reject(handshakeError(url, this.redactError(frame.error)));
      try {
        const hello = parseHello(url, frame.payload);
        if (!grantsRead(hello.scopes)) return this.handshake?.reject(missingScopeError(url, hello.scopes, this.spec));
        this.hello = hello;
        this.state = 'open';
        this.handshake?.resolve();
      } catch (error) {
        this.handshake?.reject(error);
      }
    };
    this.sendRequest('connect', buildConnectParams(this.spec, challenge), { method: 'connect', settle, fail: (e) => this.handshake?.reject(e) });
  }

  private sendRequest(method: string, params: Record<string, unknown>, pending: Pending, id = String(this.nextId++)): void {
    this.pending.set(id, pending);
    try {
      this.ws?.send(JSON.stringify({ type: 'req', id, method, params }));
    } catch (cause) {
      this.pending.delete(id);
      pending.fail(connectionLostError(this.spec.wsUrl, `before ${method} could be sent`, String(cause)));
    }
  }

  request(method: string, params: Record<string, unknown>, timeoutMs: number, signal?: AbortSignal, opts: { readRaw?: RawAnswerReader } = {}): Promise<unknown> {
    const url = this.spec.wsUrl;
    if (this.state !== 'open') return Promise.reject(connectionLostError(url, `before ${method} was sent`, 'not connected'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const timer = new AbortController();
      let settled = false;
      // While a reader works on answers that have arrived (one at a time), a timeout, abort or close waits for its verdict.
      let reading = 0;
      let reads = Promise.resolve();
      let late: { error: unknown } | null = null;
      const done = () => {
        settled = true;
        this.pending.delete(id);
        timer.abort();
        signal?.removeEventListener('abort', onAbort);
      };
      const giveUp = (error: unknown) => {
        if (settled) return;
        if (reading > 0) return void (late ??= { error });
        this.expired.add(id);
        if (this.expired.size > maxExpiredIds) this.expired.delete(this.expired.values().next().value as string);
        done();
        reject(error);
      };
      const onAbort = () => giveUp(signal?.reason);
      const settle = (frame: ResFrame) => {
        if (settled) return;
        done();
        if (frame.ok) resolve(frame.payload);
        else reject(rpcError(url, method, this.redactError(frame.error)));
      };
      const readRaw = (reader: RawAnswerReader) => (frame: Buffer) => {
        reading += 1;
        const to = { answer: settle, other: (t: string, parsed: ParsedFrame) => this.onParsedFrame(t, parsed) };
        reads = reads
          .then(() => (settled ? undefined : readRawAnswer(id, frame, reader, to)))
          .catch((error: unknown) => void (settled || (done(), reject(error))))
          .finally(() => {
            if (--reading === 0 && late !== null) giveUp(late.error);
          });
      };
      const id = String(this.nextId++); // before sending: a failed send settles at once
      this.sendRequest(method, params, { method, settle, fail: giveUp, readRaw: opts.readRaw && readRaw(opts.readRaw) }, id);
      if (settled) return; // the send itself failed
      signal?.addEventListener('abort', onAbort, { once: true });
      // The timer's rejection only means the answer came first.
      this.deps.sleep(timeoutMs, timer.signal).then(() => {
        const message = `The OpenClaw gateway at ${url} did not answer ${method} within ${timeoutMs} ms; will retry.`;
        giveUp(new SyncError('TIMEOUT', message, { retryable: true }));
        this.closeIfSilent();
      }, () => undefined);
    });
  }

  /**
   * A timeout alone keeps the socket; but if not even a tick arrived for 2× the tick interval the socket is
   * dead (the gateway ticks every policy.tickIntervalMs), so drop it and let the next request reconnect.
   */
  private closeIfSilent(): void {
    const limit = 2 * (this.hello?.tickIntervalMs ?? 30_000);
    const silentFor = this.deps.clock.now() - this.lastFrameAt;
    if (this.state === 'open' && silentFor > limit) {
      this.shutdown(connectionLostError(this.spec.wsUrl, 'silently', `no frame for ${silentFor} ms, not even a tick`));
    }
  }

  private onSocketClose(code: number, reason: string): void {
    const previous = this.state;
    if (previous === 'closed') return;
    this.state = 'closed';
    const url = this.spec.wsUrl;
    const info = `code ${code}${reason ? `, "${this.redactText(reason)}"` : ''}`;
    if (previous === 'opening') {
      void this.deps.describeFailure(url).then((why) => this.handshake?.reject(networkError(url, why)));
    } else if (previous !== 'open' && reason !== '' && [1002, 1008, 1013].includes(code)) {
      const gatewayCode = code === 1013 ? 'UNAVAILABLE' : 'INVALID_REQUEST';
      this.handshake?.reject(handshakeError(url, { code: gatewayCode, message: this.redactText(reason) }));
    } else if (previous !== 'open') {
      this.handshake?.reject(connectionLostError(url, 'during the handshake', info));
    }
    this.rejectPending((method) => connectionLostError(url, `before answering ${method}`, info));
    if (previous === 'open') this.handlers.onClose(`the gateway closed the connection (${info})`);
  }

  private rejectPending(errorFor: (method: string) => unknown): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.fail(errorFor(p.method));
  }

  /** Closes the socket; pending requests fail with `error`. */
  shutdown(error: unknown): void {
    const previous = this.state;
    if (previous === 'closed') return;
    this.state = 'closed';
    this.ws?.close(1000);
    this.rejectPending(() => error);
    if (previous === 'open') this.handlers.onClose(error instanceof Error ? error.message : String(error));
  }
}
