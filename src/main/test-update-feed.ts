import { join } from 'node:path';

/** The two test hooks electron-updater itself offers: read this config file, and do so although not packaged. */
export interface TestFeedTarget {
  updateConfigPath: string | null;
  forceDevUpdateConfig: boolean;
}

/**
 * Points the updater at a loopback generic feed (only reached when `canSelfUpdate` granted a test feed, i.e. an
 * unpacked run): writes the app-update.yml a packaged build would carry, with the generic provider instead of GitHub.
 */
export function useTestFeed(updater: TestFeedTarget, url: string, dir: string, writeFileSync: (path: string, text: string) => void): string {
  const path = join(dir, 'test-app-update.yml');
  // JSON strings are YAML strings: no YAML writer needed for three scalars.
  writeFileSync(path, `provider: generic\nurl: ${JSON.stringify(url)}\nupdaterCacheDirName: ${JSON.stringify('agentwatch-live-sync-updater-test')}\n`);
  updater.updateConfigPath = path;
  updater.forceDevUpdateConfig = true;
  return path;
}
