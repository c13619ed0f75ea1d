// Import boundaries and cycles (`npm run lint:deps`). The architecture is the dependency direction
// shared ← sync ← {main, cli}; preload and renderer import only shared (style guide, pattern 1).
// tsPreCompilationDeps makes type-only imports count: a cycle through `import type` is still a cycle in the design,
// and a renderer that only imports a type from sync still couples the web bundle to the engine.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-electron-outside-hosts',
      comment: 'Only the Electron main process and the preload talk to electron: the engine, CLI, sim and shared run in plain Node.',
      severity: 'error',
      from: { path: '^src/(sync|cli|shared|sim)/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'renderer-only-shared',
      comment: 'The settings window is a web page: it may use src/shared, its own files and browser libraries, nothing else from src.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^src/', pathNot: '^src/(shared|renderer)/' },
    },
    {
      name: 'renderer-no-electron',
      comment: 'The renderer runs sandboxed in Chromium: no Node built-ins, no electron.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: '^node_modules/electron/' },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'Sandboxed Chromium has no Node built-ins (tsconfig.web.json has no Node types either).',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'preload-only-shared-and-electron',
      comment: 'The sandboxed preload exposes named functions over the IPC contract: src/shared and electron only.',
      severity: 'error',
      from: { path: '^src/preload/' },
      to: { pathNot: '^(src/(shared|preload)/|node_modules/electron/)' },
    },
    {
      name: 'sync-not-hosts',
      comment: 'The engine sits below its hosts and the window; it never reaches up (nor into the loopback stand-ins).',
      severity: 'error',
      from: { path: '^src/sync/' },
      to: { path: '^src/(main|cli|renderer|preload|sim)/' },
    },
    {
      name: 'shared-imports-no-layer',
      comment: 'src/shared is the ground floor, imported by every layer including the web renderer.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { path: '^src/', pathNot: '^src/shared/' },
    },
    {
      name: 'shared-no-node-builtins',
      comment: 'src/shared is also compiled for the renderer (tsconfig.web.json: DOM, no Node types).',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'main-not-other-hosts',
      comment: 'main and cli are two hosts over the same engine; what they share belongs in sync or shared.',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^src/(cli|renderer|preload)/' },
    },
    {
      name: 'cli-not-other-hosts',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(main|renderer|preload)/' },
    },
    {
      name: 'sim-not-hosts',
      comment: 'The loopback stand-ins build on sync ports only; they must not pull a host or the window in.',
      severity: 'error',
      from: { path: '^src/sim/' },
      to: { path: '^src/(main|cli|renderer|preload)/' },
    },
    {
      name: 'src-not-tests',
      comment: 'Product code never imports test or bench code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only ones included (tsPreCompilationDeps).',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing fails at run time (or in the bundle).',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: ['node_modules'] },
    exclude: { path: ['^test/fixtures/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
  },
};
