#!/usr/bin/env node
// Bundles the Electron main process, the sandboxed preload, the settings window and the CLI into dist/.
// Usage: node scripts/build.mjs [--outdir DIR]   (tests build into a temp dir so they never race over dist/)
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

// esbuild keeps an entry's own hashbang; only add one when the source has none.
function cliBanner(entry) {
  const hasHashbang = readFileSync(entry, 'utf8').startsWith('#!');
  // Bundled CJS dependencies call require(); an ESM bundle has none, so make one.
  const requireShim = "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);";
  return (hasHashbang ? '' : '#!/usr/bin/env node\n') + requireShim;
}

// ws tries require('bufferutil') and require('utf-8-validate') in a try/catch and falls back to JavaScript. They are
// optional native add-ons we do not ship, so a bundle answers both with a module that throws: the fallback runs, and
// the bundle loads nothing from outside it.
const wsOptionalAddons = {
  name: 'ws-optional-addons',
  setup(b) {
    b.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({ path: args.path, namespace: 'ws-optional-addon' }));
    b.onLoad({ filter: /.*/, namespace: 'ws-optional-addon' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled; ws uses its JavaScript fallback`)});`,
      loader: 'js',
    }));
  },
};

function targets(outdir) {
  const common = { bundle: true, sourcemap: false, logLevel: 'warning', legalComments: 'none', absWorkingDir: root };
  return [
    {
      name: 'main',
      entry: 'src/main/index.ts',
      options: { ...common, platform: 'node', format: 'cjs', target: 'node22', external: ['electron'], plugins: [wsOptionalAddons], outfile: join(outdir, 'main/index.cjs') },
    },
    {
      // Sandboxed preloads can only require('electron') and a few builtins, so everything else is inlined.
      name: 'preload',
      entry: 'src/preload/index.ts',
      options: { ...common, minify: true, platform: 'browser', format: 'cjs', target: 'es2022', external: ['electron'], outfile: join(outdir, 'preload/index.cjs') },
    },
    {
      name: 'renderer',
      entry: 'src/renderer/main.ts',
      options: { ...common, minify: true, platform: 'browser', format: 'iife', target: 'es2022', outfile: join(outdir, 'renderer/renderer.js') },
    },
    {
      name: 'styles',
      entry: 'src/renderer/styles.css',
      options: { ...common, minify: true, outfile: join(outdir, 'renderer/styles.css') },
    },
    {
      name: 'cli',
      entry: 'src/cli/main.ts',
      optional: true,
      options: { ...common, platform: 'node', format: 'esm', target: 'node20', plugins: [wsOptionalAddons], outfile: join(outdir, 'cli/main.js') },
    },
  ];
}

/** Builds every target that has a source file; returns what was built and what was skipped (missing entry). */
export async function build({ outdir = join(root, 'dist'), log = console.log } = {}) {
  const out = resolve(outdir);
  const built = [];
  const skipped = [];
  await Promise.all(
    targets(out).map(async (t) => {
      const entry = join(root, t.entry);
      if (!existsSync(entry)) {
        skipped.push(t.name);
        log(`build: skipped ${t.name}: ${t.entry} does not exist yet`);
        return;
      }
      const options = t.name === 'cli' ? { ...t.options, banner: { js: cliBanner(entry) } } : t.options;
      await esbuild.build({ ...options, entryPoints: [entry] });
      if (t.name === 'cli') chmodSync(options.outfile, 0o755);
      built.push(t.name);
    }),
  );
  mkdirSync(join(out, 'renderer'), { recursive: true });
  copyFileSync(join(root, 'src/renderer/index.html'), join(out, 'renderer/index.html'));
  return { outdir: out, built: built.sort(), skipped: skipped.sort() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const i = process.argv.indexOf('--outdir');
  const started = performance.now();
  build(i > 0 ? { outdir: process.argv[i + 1] } : {}).then(
    (r) => console.log(`build: ${r.built.join(', ')} -> ${r.outdir} in ${Math.round(performance.now() - started)} ms`),
    (error) => {
      console.error(`build failed: ${error.message}`);
      process.exit(1);
    },
  );
}
