import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlowProxy {
  url: string;
  /** Requests to `path` whose upstream answer is being held back (the server already stored the rows). */
  readonly held: number;
  /** Resolves when the next answer to `path` is held. */
  nextHeld(): Promise<void>;
  /** Lets every held answer (and all later ones) through. */
  release(): void;
  close(): Promise<void>;
}

/**
 * An AgentWatch that is slow to answer: requests go through to the real (simulated) server at once, but answers to
 * `path` are held until `release()`. So the server has accepted a batch while the client still waits, which is
 * exactly the moment a pause, a stop or a crash must not turn into a duplicate.
 */
export async function startSlowProxy(upstream: string, path: string): Promise<SlowProxy> {
  const target = new URL(upstream);
  let released = false;
  const waiting: Array<() => void> = [];
  const heldListeners: Array<() => void> = [];
  let held = 0;

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const reply = () => {
          if (res.destroyed) return;
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(Buffer.concat(chunks));
        };
        if (released || !(req.url ?? '').startsWith(path)) return reply();
        held += 1;
        waiting.push(reply);
        heldListeners.splice(0).forEach((fn) => fn());
      });
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    get held() {
      return held;
    },
    nextHeld: () => new Promise((resolve) => heldListeners.push(resolve)),
    release() {
      released = true;
      waiting.splice(0).forEach((reply) => reply());
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
