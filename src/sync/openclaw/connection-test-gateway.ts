import { errorMessage } from '../errors.js';
import { GatewayClient, type GatewayClientDeps } from './gateway-client.js';
import type { DeviceIdentity } from './device-identity.js';
import { listSessions } from './list-sessions.js';

export interface GatewayConnectionTestInput {
  url: string;
  token: string;
  timeoutMs: number;
  clientVersion: string;
  device?: DeviceIdentity | null;
}

export interface GatewayConnectionTestResult {
  ok: boolean;
  message: string;
  serverVersion?: string;
  scopes?: string[];
  sessions?: number;
}

/** Backs the "Test connection" button: handshake, scopes, one full sessions.list. Never throws. */
export async function testGatewayConnection(
  input: GatewayConnectionTestInput,
  deps: Omit<GatewayClientDeps, 'random'>,
): Promise<GatewayConnectionTestResult> {
  let client: GatewayClient;
  try {
    client = new GatewayClient(
      {
        url: input.url,
        token: input.token,
        device: input.device ?? null,
        requestTimeoutMs: input.timeoutMs,
        connectTimeoutMs: input.timeoutMs,
        clientVersion: input.clientVersion,
      },
      deps,
    );
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
  try {
    const hello = await client.connect();
    const serverVersion = hello.serverVersion ?? undefined;
    const found = { serverVersion, scopes: hello.scopes };
    try {
      const { rows } = await listSessions(client, { log: deps.log });
      const version = serverVersion ? ` ${serverVersion}` : '';
      const message = `Connected to OpenClaw${version} with scopes ${hello.scopes.join(', ')}; ${rows.length} session(s) visible.`;
      return { ok: true, message, ...found, sessions: rows.length };
    } catch (error) {
      return { ok: false, message: `Connected, but listing sessions failed: ${errorMessage(error)}`, ...found };
    }
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  } finally {
    client.close();
  }
}
