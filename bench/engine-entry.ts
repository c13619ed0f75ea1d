// What the product runner loads: the engine exactly as the CLI bundles it (scripts/bench.mjs builds this entry with
// the CLI's esbuild options into dist/bench/engine.js).
export { createEngine } from '../src/sync/create-engine.js';
export { Settings } from '../src/shared/settings.js';
export { createLogger } from '../src/sync/logger.js';
export { syncConfigOf } from '../src/sync/sync-config.js';
