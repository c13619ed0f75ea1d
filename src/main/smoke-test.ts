import { errorMessage } from '../sync/errors.js';
import type { Logger } from '../sync/ports.js';

/** `--smoke-test`: start, open the settings window, quit 0 once it loaded (1 if it did not). CI launches packaged apps so. */
export const SMOKE_TEST_FLAG = '--smoke-test';

const SMOKE_TEST_TIMEOUT_MS = 30_000;

export interface SmokeTestDeps {
  openSettings(): void;
  windowLoaded(): Promise<void>;
  /** The normal quit: the engine stops and flushes first. */
  quit(): void;
  /** Ends the process at once with this code. */
  exit(code: number): void;
  log: Logger;
  timeoutMs?: number;
}

export async function runSmokeTest(d: SmokeTestDeps): Promise<void> {
  d.openSettings();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const ms = d.timeoutMs ?? SMOKE_TEST_TIMEOUT_MS;
    timer = setTimeout(() => reject(new Error(`the settings window did not load within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([d.windowLoaded(), timeout]);
    d.log.info('Smoke test passed: the app started and its settings window loaded; quitting.');
    d.quit();
  } catch (e) {
    d.log.error(`Smoke test failed: ${errorMessage(e)}`);
    d.exit(1);
  } finally {
    clearTimeout(timer);
  }
}
