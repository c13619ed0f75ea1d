// A loopback electron-updater "generic" feed: latest-linux.yml plus the AppImage it names, as the release workflow
// publishes them on GitHub. The artifact is a shell script, so an installed update can prove it ran.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLoopbackServer, type LoopbackServer } from '../../src/sim/loopback-server.js';

export interface FeedOptions {
  version: string;
  /** The AppImage's bytes; default a script that writes "installed <version>" to $AGENTWATCH_TEST_INSTALL_MARKER. */
  artifact?: Buffer;
  /** Publish this sha512 instead of the artifact's own (a tampered or corrupted download). */
  sha512?: string;
}

export interface UpdateFeed extends LoopbackServer {
  /** Paths asked for, in order. */
  requests: string[];
  artifactName: string;
  artifact: Buffer;
  /** Replaces what the feed publishes (a new release). */
  publish(options: FeedOptions): void;
  /** Resolves once `path` has been asked for (at once if it already was). */
  asked(path: string): Promise<void>;
}

export function installScript(version: string): Buffer {
  return Buffer.from(`#!/bin/sh\necho "installed ${version}" > "$AGENTWATCH_TEST_INSTALL_MARKER"\n`);
}

export function sha512Of(data: Buffer): string {
  return createHash('sha512').update(data).digest('base64');
}

function feedYaml(name: string, artifact: Buffer, o: FeedOptions): string {
  const sha512 = o.sha512 ?? sha512Of(artifact);
  return [
    `version: ${o.version}`,
    'files:',
    `  - url: ${name}`,
    `    sha512: ${sha512}`,
    `    size: ${artifact.length}`,
    `path: ${name}`,
    `sha512: ${sha512}`,
    "releaseDate: '2026-12-01T00:00:00.000Z'",
    '',
  ].join('\n');
}

/** `port`: reopen a feed where a closed one was (an outage that ends). */
export async function startUpdateFeed(initial: FeedOptions, port = 0): Promise<UpdateFeed> {
  let options = initial;
  const requests: string[] = [];
  const waiters: Array<{ path: string; resolve(): void }> = [];
  const current = () => {
    const artifact = options.artifact ?? installScript(options.version);
    return { artifact, name: `agentwatch-live-sync-${options.version}-linux-x86_64.AppImage` };
  };
  const server = await startLoopbackServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    for (const w of waiters.filter((x) => x.path === path)) w.resolve();
    const { artifact, name } = current();
    if (path === '/latest-linux.yml') {
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(feedYaml(name, artifact, options));
    } else if (path === `/${name}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': artifact.length }).end(artifact);
    } else {
      res.writeHead(404).end('not found');
    }
  }, port);
  return {
    ...server,
    requests,
    get artifactName() {
      return current().name;
    },
    get artifact() {
      return current().artifact;
    },
    publish: (o) => void (options = o),
    asked: (path) => (requests.includes(path) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ path, resolve }))),
  };
}

const APPIMAGE_ENV = ['APPIMAGE', 'XDG_CACHE_HOME', 'AGENTWATCH_TEST_INSTALL_MARKER'] as const;

/**
 * A running "AppImage" under `root` (no version in its name, so electron-updater replaces it in place), the cache
 * it downloads into and the marker the test installer writes; electron-updater reads these from process.env.
 * Returns the restore for afterEach.
 */
export function fakeAppImageEnv(root: string): () => void {
  const saved = Object.fromEntries(APPIMAGE_ENV.map((k) => [k, process.env[k]]));
  mkdirSync(join(root, 'apps'), { recursive: true });
  process.env.APPIMAGE = join(root, 'apps', 'AgentWatch-Live-Sync.AppImage');
  writeFileSync(process.env.APPIMAGE, '#!/bin/sh\necho old\n', { mode: 0o755 });
  process.env.XDG_CACHE_HOME = join(root, 'cache');
  process.env.AGENTWATCH_TEST_INSTALL_MARKER = join(root, 'installed.txt');
  return () => {
    for (const k of APPIMAGE_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  };
}
