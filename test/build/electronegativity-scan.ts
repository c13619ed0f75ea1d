import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// Electronegativity's own runner first downloads translations (locales/i18n.js) and its
// AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK downloads Electron's release list; tests stay offline, so this drives the
// same pipeline as dist/runner.js (loader → parser → atomic checks → global checks) with the bundled en-US strings.

const require = createRequire(import.meta.url);
const root = dirname(require.resolve('@doyensec/electronegativity/package.json'));
const load = (rel: string): any => require(join(root, 'dist', rel)); // eslint-disable-line @typescript-eslint/no-explicit-any

/** Checks that need the network; they only look at the Electron version, which the lockfile pins. */
export const ONLINE_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export interface Finding {
  id: string;
  file: string;
  line: number;
  severity: string;
  confidence: string;
  description: string;
  manualReview: boolean;
}

export interface ScanResult {
  files: string[];
  findings: Finding[];
  /** Files the parser could not read (a silent gap in the scan if ignored). */
  parseErrors: { file: string; message: string; tolerable: boolean }[];
  checks: number;
}

export async function scanOffline(dir: string, electronVersion: string): Promise<ScanResult> {
  const i18n = require(require.resolve('i18n', { paths: [root] }));
  i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: join(root, 'dist', 'locales'), updateFiles: false, objectNotation: true, register: globalThis });
  i18n.setLocale('en-US');

  const { LoaderDirectory } = load('loader/index.js');
  const { Parser } = load('parser/index.js');
  const { Finder, GlobalChecks } = load('finder/index.js');

  const loader = new LoaderDirectory();
  await loader.load(dir);
  const parser = new Parser(false, true);
  const exclude = ONLINE_CHECKS.map((c) => c.toLowerCase());
  const globalChecker = new GlobalChecks([], exclude);
  const finder = await new Finder([], exclude.filter((c) => !c.includes('globalcheck')));
  const files: string[] = [...loader.list_files];

  let issues: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const parseErrors: ScanResult['parseErrors'] = [];
  for (const file of files) {
    try {
      const [type, data, content, warnings] = parser.parse(file, loader.load_buffer(file));
      if (data === null) continue;
      for (const w of warnings ?? []) parseErrors.push({ file, message: w.message, tolerable: true });
      issues.push(...(await finder.find(file, data, type, content, null, electronVersion)));
    } catch (error) {
      parseErrors.push({ file, message: (error as Error).message, tolerable: false });
    }
  }
  issues = await globalChecker.getResults(issues, undefined);
  issues = issues.filter((i) => !i.visibility || (!i.visibility.inlineDisabled && !i.visibility.globalCheckDisabled));
  return {
    files,
    checks: finder._enabled_checks.length + globalChecker._enabled_checks.length,
    parseErrors,
    findings: issues.map((i) => ({
      id: i.id,
      file: i.file,
      line: i.location?.line ?? 0,
      severity: i.severity.name,
      confidence: i.confidence.name,
      description: i.description,
      manualReview: Boolean(i.manualReview),
    })),
  };
}
