import { SyncError } from '../errors.js';

const schemes: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };

/** The gateway serves WebSocket RPC on the same port as HTTP, so an http(s) URL maps to ws(s). */
export function toWebSocketUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch (cause) {
    throw new SyncError('CONFIG', `The OpenClaw gateway URL "${url}" is not a valid URL. Use e.g. http://127.0.0.1:18789.`, {
      cause,
    });
  }
  const scheme = schemes[parsed.protocol];
  if (scheme === undefined) {
    throw new SyncError(
      'CONFIG',
      `The OpenClaw gateway URL "${url}" must start with http://, https://, ws:// or wss:// (e.g. http://127.0.0.1:18789).`,
    );
  }
  parsed.protocol = scheme;
  parsed.hash = '';
  return parsed.toString();
}

const loopbackHosts = new Set(['localhost', '::1', '[::1]']);

/** Loopback gateways accept `gateway-client`/`backend` without a device identity; other hosts need one. */
export function isLoopbackUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return loopbackHosts.has(host) || /^127(\.\d{1,3}){3}$/.test(host);
}
