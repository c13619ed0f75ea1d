import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

// A WebSocket proxy between the product and the real gateway that records every request frame the product sends
// (method, params, time), so a test can count what the product asked the gateway for — on the real gateway, which
// has no such counter of its own. It can also cut every connection and refuse new ones for a while (a disconnect),
// and report a shorter tick interval in hello-ok so a disconnect counts as "long" without waiting minutes. And it can
// make one session's usage lag: for a while every sessions.usage answer carries that session's figures as they were
// before, labelled as computed now — the trap the real gateway set right after a turn (PROTOCOL.md).

export interface ProxiedRequest {
  method: string;
  params: Record<string, unknown>;
  at: number;
}

export interface CountingProxy {
  url: string;
  readonly requests: readonly ProxiedRequest[];
  /** Requests of `method` sent at or after `since` (Date.now() ms). */
  count(method: string, since?: number): ProxiedRequest[];
  /** Closes every proxied connection and refuses new ones for `ms`. */
  disconnectFor(ms: number): Promise<void>;
  /**
   * Until released, sessions.usage answers carry `key`'s usage as last seen before this call, with the answer's
   * updatedAt set to now (its cacheStatus stays the gateway's).
   */
  lagUsage(key: string): { altered(): number; release(): void };
  /** Until released, sessions.usage requests are kept from the gateway: a poll stays in flight (to kill it there). */
  holdUsage(): { held(): number; release(): void };
  close(): Promise<void>;
}

export async function startCountingProxy(target: string, opts: { tickIntervalMs?: number } = {}): Promise<CountingProxy> {
  const upstreamUrl = target.replace(/^http/, 'ws');
  const requests: ProxiedRequest[] = [];
  const pairs = new Set<{ client: WebSocket; upstream: WebSocket }>();
  let refusingUntil = 0;
  const usageIds = new Set<string>();
  const lastSeen = new Map<string, unknown>();
  let lag: { key: string; figures: unknown; altered: number } | undefined;
  let hold: { held: number } | undefined;
  /** Records each session's figures, or puts the frozen ones in while a lag is armed. */
  const throughUsage = (text: string): string => {
    const frame = JSON.parse(text) as { type?: string; id?: string; payload?: { sessions?: Array<{ key?: string; usage?: unknown }> } };
    if (frame.type !== 'res' || typeof frame.id !== 'string' || !usageIds.delete(frame.id) || !Array.isArray(frame.payload?.sessions)) return text;
    const active = lag;
    let altered = false;
    for (const row of frame.payload.sessions) {
      if (typeof row.key !== 'string') continue;
      if (active && row.key === active.key && row.usage) {
        row.usage = active.figures;
        altered = true;
      } else if (row.usage) lastSeen.set(row.key, row.usage);
    }
    if (!altered || !active) return text;
    active.altered += 1;
    // The strict form of the trap: the answer says it was computed just now, so only the figure itself can tell.
    (frame.payload as { updatedAt?: number }).updatedAt = Date.now();
    return JSON.stringify(frame);
  };
  const http: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ noServer: true });
  http.on('upgrade', (req, socket, head) => {
    if (Date.now() < refusingUntil) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (client) => {
      const upstream = new WebSocket(upstreamUrl);
      const pair = { client, upstream };
      pairs.add(pair);
      const early: RawData[] = [];
      upstream.on('open', () => early.splice(0).forEach((d) => upstream.send(d.toString())));
      client.on('message', (data) => {
        try {
          const frame = JSON.parse(data.toString()) as { type?: string; method?: string; params?: Record<string, unknown> };
          if (frame.type === 'req' && typeof frame.method === 'string') requests.push({ method: frame.method, params: frame.params ?? {}, at: Date.now() });
          const id = (frame as { id?: unknown }).id;
          if (frame.type === 'req' && frame.method === 'sessions.usage' && typeof id === 'string') usageIds.add(id);
          if (hold && frame.type === 'req' && frame.method === 'sessions.usage') {
            hold.held += 1;
            return; // never answered: the request dies with its connection
          }
        } catch {
          // not JSON: forwarded as it is, the gateway answers it
        }
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString());
        else early.push(data);
      });
      upstream.on('message', (data) => {
        let text = data.toString();
        if (usageIds.size > 0) text = throughUsage(text);
        if (opts.tickIntervalMs !== undefined && text.includes('"hello-ok"')) {
          const frame = JSON.parse(text) as { payload?: { policy?: Record<string, unknown> } };
          if (frame.payload?.policy) frame.payload.policy.tickIntervalMs = opts.tickIntervalMs;
          text = JSON.stringify(frame);
        }
        if (client.readyState === WebSocket.OPEN) client.send(text);
      });
      const end = () => {
        pairs.delete(pair);
        client.close();
        upstream.close();
      };
      client.on('close', end);
      upstream.on('close', end);
      client.on('error', end);
      upstream.on('error', end);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    count: (method, since = 0) => requests.filter((r) => r.method === method && r.at >= since),
    disconnectFor: async (ms) => {
      refusingUntil = Date.now() + ms;
      for (const { client, upstream } of pairs) {
        client.terminate();
        upstream.close();
      }
      pairs.clear();
      await new Promise((r) => setTimeout(r, ms));
    },
    lagUsage: (key) => {
      const figures = lastSeen.get(key);
      if (figures === undefined) throw new Error(`the proxy has not seen usage for ${key} yet`);
      const armed = { key, figures: structuredClone(figures), altered: 0 };
      lag = armed;
      return {
        altered: () => armed.altered,
        release: () => {
          if (lag === armed) lag = undefined;
        },
      };
    },
    holdUsage: () => {
      const armed = { held: 0 };
      hold = armed;
      return {
        held: () => armed.held,
        release: () => {
          if (hold === armed) hold = undefined;
        },
      };
    },
    close: async () => {
      for (const { client, upstream } of pairs) {
        client.terminate();
        upstream.terminate();
      }
      wss.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
