// Electron's `net.request` for electron-updater's ElectronHttpExecutor, answered by Node's http/https: the real
// updater code (request options, redirects, sha512 over the streamed body) runs, only Chromium's network stack is
// replaced. Every URL asked for is recorded, so a test can also prove that nothing was contacted.
import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import * as https from 'node:https';

export const netRequests: string[] = [];

interface NetRequestOptions {
  protocol?: string;
  hostname?: string;
  port?: string | number;
  path?: string;
  method?: string;
  headers?: Record<string, string>;
}

export const net = {
  request(options: NetRequestOptions): http.ClientRequest {
    const protocol = options.protocol ?? 'https:';
    netRequests.push(`${protocol}//${options.hostname}${options.port ? `:${options.port}` : ''}${options.path ?? '/'}`);
    const client = protocol === 'http:' ? http : https;
    return client.request({ protocol, hostname: options.hostname, port: options.port, path: options.path, method: options.method ?? 'GET', headers: options.headers });
  },
};

/** `session.fromPartition` hands electron-updater a session it only passes back to `net.request`. */
export class FakePartition {
  constructor(readonly name: string) {}
}

/** Electron's built-in autoUpdater: electron-updater only emits `before-quit-for-update` on it. */
export const autoUpdater = new EventEmitter();
