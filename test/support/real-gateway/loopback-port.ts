import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || 32768;
  } catch {
    return 32768; // Linux default
  }
}

/**
 * A free loopback port below the kernel's ephemeral range. The gateway binds it 10–40 s after we pick it;
 * an ephemeral port could meanwhile be handed to any `listen(0)` or outgoing socket on the machine.
 */
export async function pickGatewayPort(): Promise<number> {
  const low = 20_000;
  const high = Math.max(low + 1_000, ephemeralLow()) - 1;
  for (let i = 0; i < 50; i++) {
    const port = low + Math.floor(Math.random() * (high - low));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free loopback port found in ${low}-${high}`);
}
