import { WebSocket } from 'undici';

// A minimal, independent protocol-4 client for the harness's own checks. It deliberately shares no code with
// src/sync so that what it reads from the real gateway can serve as ground truth for the product.

export interface RpcErrorShape {
  code: string;
  message: string;
  details?: Record<string, unknown>;
  retryable?: boolean;
  retryAfterMs?: number;
}

export class RpcError extends Error {
  constructor(readonly method: string, readonly error: RpcErrorShape) {
    super(`${method} failed: ${error.code} ${error.message}`);
    this.name = 'RpcError';
  }
}

/** The connect was refused (error frame and/or socket close) or the socket never opened. */
export class ConnectError extends Error {
  constructor(
    message: string,
    readonly error?: RpcErrorShape,
    readonly close?: { code: number; reason: string },
  ) {
    super(message);
    this.name = 'ConnectError';
  }
  get isRefusedSocket(): boolean {
    return this.error === undefined;
  }
  get isUnavailable(): boolean {
    return this.error?.code === 'UNAVAILABLE';
  }
}

export interface ConnectOptions {
  /** `http://127.0.0.1:PORT` or `ws://…`. */
  url: string;
  token: string;
  clientId?: string;
  mode?: string;
  scopes?: string[];
  timeoutMs?: number;
}

export interface RpcClient {
  /** The hello-ok payload. */
  readonly hello: Record<string, unknown>;
  /** `hello.auth.scopes`: may be `[]` even though the connect succeeded. */
  readonly scopes: string[];
  request<T = Record<string, unknown>>(method: string, params?: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

interface Frame {
  type?: string;
  id?: string;
  ok?: boolean;
  payload?: unknown;
  error?: RpcErrorShape;
}

export function wsUrlOf(url: string): string {
  return url.replace(/^http/, 'ws').replace(/\/?$/, '/');
}

export function connectRpc(opts: ConnectOptions): Promise<RpcClient> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const ws = new WebSocket(wsUrlOf(opts.url));
  const pending = new Map<string, { method: string; resolve(v: unknown): void; reject(e: unknown): void }>();
  let nextId = 1;
  let closedResolve: () => void = () => {};
  const closed = new Promise<void>((resolve) => (closedResolve = resolve));

  return new Promise<RpcClient>((resolve, reject) => {
    let connectError: RpcErrorShape | undefined;
    let settled = false;
    const timer = setTimeout(() => fail(new ConnectError(`no hello-ok within ${timeoutMs} ms`)), timeoutMs);
    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.close();
      reject(error);
    }

    const client: RpcClient = {
      hello: {},
      scopes: [],
      request: (method, params = {}, reqTimeoutMs = 30_000) =>
        new Promise((res, rej) => {
          const id = String(nextId++);
          const t = setTimeout(() => {
            pending.delete(id);
            rej(new Error(`${method}: no answer within ${reqTimeoutMs} ms`));
          }, reqTimeoutMs);
          pending.set(id, {
            method,
            resolve: (v) => (clearTimeout(t), res(v as never)),
            reject: (e) => (clearTimeout(t), rej(e)),
          });
          ws.send(JSON.stringify({ type: 'req', id, method, params }));
        }),
      close: async () => {
        if (ws.readyState !== WebSocket.CLOSED) ws.close();
        await closed;
      },
    };

    ws.addEventListener('open', () => {
      const params = {
        minProtocol: 4,
        maxProtocol: 4,
        client: { id: opts.clientId ?? 'gateway-client', version: '0.1.0', platform: 'linux', mode: opts.mode ?? 'backend' },
        role: 'operator',
        scopes: opts.scopes ?? ['operator.read'],
        auth: { token: opts.token },
      };
      ws.send(JSON.stringify({ type: 'req', id: 'connect', method: 'connect', params }));
    });
    ws.addEventListener('message', (event) => {
      const frame = JSON.parse(String(event.data)) as Frame;
      if (frame.type !== 'res' || frame.id === undefined) return;
      if (frame.id === 'connect') {
        if (frame.ok) {
          settled = true;
          clearTimeout(timer);
          const hello = (frame.payload ?? {}) as Record<string, unknown>;
          const auth = (hello.auth ?? {}) as { scopes?: string[] };
          resolve({ ...client, hello, scopes: auth.scopes ?? [] });
        } else {
          connectError = frame.error;
          // The gateway closes after a refused connect (1008 etc.); don't hang if it ever doesn't.
          setTimeout(() => fail(new ConnectError(`connect refused: ${frame.error?.code} ${frame.error?.message}`, frame.error)), 2_000).unref();
        }
        return;
      }
      const waiter = pending.get(frame.id);
      if (!waiter) return;
      pending.delete(frame.id);
      if (frame.ok) waiter.resolve(frame.payload);
      else waiter.reject(new RpcError(waiter.method, frame.error ?? { code: 'UNKNOWN', message: 'no error object' }));
    });
    ws.addEventListener('close', (event) => {
      closedResolve();
      for (const waiter of pending.values()) waiter.reject(new Error(`${waiter.method}: socket closed (${event.code})`));
      pending.clear();
      const close = { code: event.code, reason: event.reason };
      const what = connectError ? `${connectError.code} ${connectError.message}` : 'socket closed before hello-ok';
      fail(new ConnectError(`connect refused: ${what} (close ${event.code})`, connectError, close));
    });
    // undici reports a refused socket as 'error' followed by 'close' (1006); the close handler rejects.
    ws.addEventListener('error', () => {});
  });
}
