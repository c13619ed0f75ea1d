import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConnectRejection, buildHelloOk, checkAuth, checkConnectParams, checkDeviceSignature, defaultGrantScopes } from './gateway-handshake.js';
import type { ConnectFacts } from './gateway-handshake.js';
import { SimRpcError, missingScopeError } from './gateway-rpc-error.js';
import { answerSessionsList, answerSessionsUsage, answerUsageCost } from './gateway-sessions.js';

export { SimRpcError } from './gateway-rpc-error.js';

export interface SimGatewayOptions {
  token: string;
  port?: number;
  serverVersion?: string;
  /** Interval of `tick` events (default 30000, like the real gateway). */
  tickIntervalMs?: number;
  /** Tests of dead-socket detection: while this returns false, ticks are announced but not sent. */
  sendTicks?: () => boolean;
  sessions: () => readonly Record<string, unknown>[];
  /** The sessions.usage payload; receives the request's params (startDate/endDate for date-ranged asks). */
  usage: (params: Record<string, unknown>) => Record<string, unknown>;
  grantScopes?: (connect: ConnectFacts) => string[];
  /** Extra or overriding RPC handlers; throw SimRpcError to answer ok:false; may return a promise (or never settle). */
  methods?: Record<string, (params: Record<string, unknown>) => unknown>;
  onFrameSent?: (frame: unknown) => void;
  /** The first N connects answer UNAVAILABLE startup-sidecars. */
  unavailableConnects?: number;
  unavailableRetryAfterMs?: number;
  /** Connects with a device identity answer NOT_PAIRED / PAIRING_REQUIRED with this requestId. */
  pairingRequestId?: string;
  /** The server clock for `ts`, `snapshotAt` and activeMinutes (default Date.now). */
  now?: () => number;
}

export interface SimGateway {
  url: string;
  port: number;
  requests: Array<{ method: string; params: unknown }>;
  connectRequests: unknown[];
  broadcast(event: string, payload: unknown): void;
  dropConnections(): void;
  sendRaw(text: string): void;
  close(): Promise<void>;
}

interface Peer {
  ws: WebSocket;
  challenge: { nonce: string; ts: number };
  open: boolean;
  scopes: string[];
  seq: number;
  subscribed: boolean;
  tick?: NodeJS.Timeout;
}

interface RequestFrame {
  type: 'req';
  id: string;
  method: string;
  params?: unknown;
}

const readMethods = new Set(['sessions.list', 'sessions.usage', 'sessions.subscribe', 'usage.cost']);
const readScopes = ['operator.read', 'operator.write', 'operator.admin'];
const builtInMethods = ['health', 'sessions.list', 'sessions.usage', 'sessions.subscribe', 'usage.cost'];

function isRequestFrame(v: unknown): v is RequestFrame {
  const f = v as Partial<RequestFrame> | null;
  return typeof f === 'object' && f !== null && f.type === 'req' && typeof f.id === 'string' && f.id !== '' && typeof f.method === 'string';
}

/** Close reasons are capped at 123 bytes by the WebSocket protocol. */
function closeReason(message: string): string {
  return Buffer.from(message).subarray(0, 123).toString('utf8').replace(/\uFFFD$/, '');
}

/** A loopback OpenClaw gateway speaking protocol 4 with the frames captured in test/fixtures/openclaw. */
export async function startSimGateway(options: SimGatewayOptions): Promise<SimGateway> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const peers = new Set<Peer>();
  const requests: SimGateway['requests'] = [];
  const connectRequests: unknown[] = [];
  let connects = 0;
  const methods = [...new Set([...builtInMethods, ...Object.keys(options.methods ?? {})])];

  const http = createServer((_req, res) => {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  });
  const wss = new WebSocketServer({ server: http });

  const send = (peer: Peer, frame: Record<string, unknown>) => {
    if (peer.ws.readyState !== peer.ws.OPEN) return;
    options.onFrameSent?.(frame);
    peer.ws.send(JSON.stringify(frame));
  };
  const sendEvent = (peer: Peer, event: string, payload: unknown) => send(peer, { type: 'event', event, payload, seq: peer.seq++ });
  const answerError = (peer: Peer, id: string, error: SimRpcError) => send(peer, { type: 'res', id, ok: false, error: error.toShape() });

  const handleConnect = (peer: Peer, frame: RequestFrame) => {
    connectRequests.push(frame.params);
    connects += 1;
    try {
      if (connects <= (options.unavailableConnects ?? 0)) {
        throw new ConnectRejection('UNAVAILABLE', 'gateway is starting (waiting for startup sidecars)', { reason: 'startup-sidecars' }, 1013, {
          retryable: true,
          retryAfterMs: options.unavailableRetryAfterMs ?? 1_000,
        });
      }
      const c = checkConnectParams(frame.params);
      checkAuth(c, options.token);
      if (c.hasDevice) {
        checkDeviceSignature(c, peer.challenge);
        if (options.pairingRequestId !== undefined) {
          const details = { code: 'PAIRING_REQUIRED', requestId: options.pairingRequestId, reason: 'not-paired' };
          throw new ConnectRejection('NOT_PAIRED', 'pairing required', details, 1008);
        }
      }
      peer.scopes = (options.grantScopes ?? defaultGrantScopes)({ clientId: c.clientId, clientMode: c.clientMode, scopes: c.scopes, hasDevice: c.hasDevice });
      peer.open = true;
      const hello = buildHelloOk({
        serverVersion: options.serverVersion ?? '2026.9.6',
        connId: randomUUID(),
        scopes: peer.scopes,
        methods,
        tickIntervalMs: options.tickIntervalMs ?? 30_000,
        now: now(),
        uptimeMs: Math.max(0, now() - startedAt),
        deviceToken: c.hasDevice,
      });
      send(peer, { type: 'res', id: frame.id, ok: true, payload: hello });
      peer.tick = setInterval(() => {
        if (options.sendTicks?.() ?? true) sendEvent(peer, 'tick', { ts: now() });
      }, options.tickIntervalMs ?? 30_000);
      peer.tick.unref();
    } catch (error) {
      if (!(error instanceof ConnectRejection)) throw error;
      answerError(peer, frame.id, error);
      peer.ws.close(error.closeCode, closeReason(error.message));
    }
  };

  const dispatch = async (peer: Peer, method: string, params: Record<string, unknown>): Promise<unknown> => {
    if (readMethods.has(method) && !peer.scopes.some((s) => readScopes.includes(s))) throw missingScopeError();
    const override = options.methods?.[method];
    if (override) return override(params);
    switch (method) {
      case 'sessions.list':
        return answerSessionsList(params, options.sessions(), now());
      case 'sessions.usage':
        return answerSessionsUsage(params, options.usage((params ?? {}) as Record<string, unknown>));
      case 'usage.cost':
        return answerUsageCost(options.usage({}));
      case 'sessions.subscribe':
        peer.subscribed = true;
        return { subscribed: true };
      case 'health':
        return { ok: true, ts: now() };
      default:
        throw new SimRpcError('INVALID_REQUEST', `unknown method: ${method}`);
    }
  };

  const onFrame = async (peer: Peer, text: string) => {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = undefined;
    }
    if (!isRequestFrame(frame)) {
      if (!peer.open) peer.ws.close(1008, 'invalid request frame');
      return;
    }
    if (!peer.open) {
      if (frame.method === 'connect') return handleConnect(peer, frame);
      answerError(peer, frame.id, new SimRpcError('INVALID_REQUEST', 'invalid handshake: first request must be connect'));
      peer.ws.close(1008, 'invalid handshake: first request must be connect');
      return;
    }
    if (frame.method === 'connect') return answerError(peer, frame.id, new SimRpcError('INVALID_REQUEST', 'already connected'));
    requests.push({ method: frame.method, params: frame.params });
    try {
      const params = (frame.params ?? {}) as Record<string, unknown>;
      send(peer, { type: 'res', id: frame.id, ok: true, payload: await dispatch(peer, frame.method, params) });
    } catch (error) {
      const shape = error instanceof SimRpcError ? error : new SimRpcError('UNAVAILABLE', `internal error: ${String(error)}`);
      answerError(peer, frame.id, shape);
    }
  };

  wss.on('connection', (ws) => {
    const peer: Peer = { ws, challenge: { nonce: randomUUID(), ts: now() }, open: false, scopes: [], seq: 0, subscribed: false };
    peers.add(peer);
    ws.on('message', (data) => void onFrame(peer, data.toString()));
    ws.on('close', () => {
      clearInterval(peer.tick);
      peers.delete(peer);
    });
    ws.on('error', () => ws.terminate());
    const challengePayload = { nonce: peer.challenge.nonce, ts: peer.challenge.ts, capabilities: ['model-catalog-snapshot'] };
    send(peer, { type: 'event', event: 'connect.challenge', payload: challengePayload });
  });

  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    connectRequests,
    broadcast(event, payload) {
      for (const peer of peers) {
        // Like the real gateway, sessions.changed goes only to connections that called sessions.subscribe.
        if (peer.open && (event !== 'sessions.changed' || peer.subscribed)) sendEvent(peer, event, payload);
      }
    },
    dropConnections() {
      for (const peer of peers) peer.ws.terminate();
    },
    sendRaw(text) {
      for (const peer of peers) if (peer.ws.readyState === peer.ws.OPEN) peer.ws.send(text);
    },
    async close() {
      for (const peer of peers) {
        clearInterval(peer.tick);
        peer.ws.terminate();
      }
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
