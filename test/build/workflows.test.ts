import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { validateWorkflow } from '@action-validator/core';
import { load } from 'js-yaml';
import { releaseVersionProblem } from '../../scripts/check-release-version.mjs';
import { unpackedBinaries } from '../../scripts/smoke-packaged.mjs';
import { REPO_ROOT } from './build-into.js';

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
interface Job {
  needs?: string | string[];
  steps: Step[];
}
interface Workflow {
  jobs: Record<string, Job>;
}

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const workflow = (name: string) => load(read(`.github/workflows/${name}`)) as Workflow;
const pkg = JSON.parse(read('package.json')) as { version: string; scripts: Record<string, string> };
const runs = (job: Job) => job.steps.flatMap((s) => (s.run ? [s.run] : []));
const indexOf = (job: Job, re: RegExp) => job.steps.findIndex((s) => re.test(s.run ?? ''));

for (const name of ['ci.yml', 'release.yml']) {
  test(`${name} is a valid GitHub workflow and every script it runs exists`, () => {
    const state = validateWorkflow(read(`.github/workflows/${name}`));
    assert.deepEqual(state.errors, [], JSON.stringify(state.errors, null, 2));
    for (const job of Object.values(workflow(name).jobs)) {
      for (const line of runs(job)) {
        for (const m of line.matchAll(/npm run ([\w:-]+)/g)) assert.ok(pkg.scripts[m[1]!], `${name}: npm run ${m[1]} is a package.json script`);
        for (const m of line.matchAll(/node (scripts\/[\w.-]+)/g)) assert.ok(existsSync(join(REPO_ROOT, m[1]!)), `${name}: ${m[1]} exists`);
        for (const m of line.matchAll(/node scripts\/test\.mjs ((?:test\/[\w/-]+ ?)+)/g)) {
          for (const dir of m[1]!.trim().split(' ')) assert.ok(existsSync(join(REPO_ROOT, dir)), `${name}: ${dir} exists`);
        }
        if (line.includes('.ci/run')) assert.ok(existsSync(join(REPO_ROOT, '.ci/run')));
      }
    }
  });
}

test('ci.yml: Linux runs .ci/run with Electron present and required; macOS and Windows run the e2e suite and smoke-launch a package', () => {
  const { linux, desktop } = workflow('ci.yml').jobs;
  assert.ok(linux && desktop);
  const ciRun = linux.steps.find((s) => /\.ci\/run/.test(s.run ?? ''))!;
  assert.ok(ciRun, 'Linux runs .ci/run itself');
  assert.ok(indexOf(linux, /fetch-electron/) >= 0 && indexOf(linux, /fetch-electron/) < indexOf(linux, /\.ci\/run/), 'Electron is fetched before the tests');
  assert.match(ciRun.run!, /xvfb-run/);
  assert.equal(ciRun.env?.['REQUIRE_ELECTRON'], '1', 'a missing Electron fails, never skips');
  assert.match(ciRun.env?.['ELECTRON_OVERRIDE_DIST_PATH'] ?? '', /electron-dist/);
  const e2e = desktop.steps.find((s) => /scripts\/test\.mjs .*test\/e2e/.test(s.run ?? ''))!;
  assert.equal(e2e.env?.['REQUIRE_ELECTRON'], '1');
  assert.ok(indexOf(desktop, /dist:dir/) < indexOf(desktop, /smoke-packaged/), 'the packaged app is launched after it is built');
  assert.ok(indexOf(desktop, /fetch-electron/) < indexOf(desktop, /test\/e2e/));
});

test('release.yml: version gate, then the same tests with Electron, then packages smoke-launched before upload and publish', () => {
  const { version, test: tests, package: pack, publish } = workflow('release.yml').jobs;
  assert.ok(version && tests && pack && publish);
  assert.ok(runs(version).some((r) => r.includes('check-release-version.mjs')));
  assert.equal(tests.needs, 'version');
  assert.equal(pack.needs, 'test');
  assert.equal(publish.needs, 'package');
  assert.equal(tests.steps.find((s) => /\.ci\/run/.test(s.run ?? ''))?.env?.['REQUIRE_ELECTRON'], '1');
  const upload = pack.steps.findIndex((s) => s.uses?.startsWith('actions/upload-artifact'));
  assert.ok(indexOf(pack, /npm run dist/) < indexOf(pack, /smoke-packaged/) && indexOf(pack, /smoke-packaged/) < upload, 'smoke-launched before upload');
  assert.ok(indexOf(pack, /fetch-electron/) < indexOf(pack, /npm run dist/), 'tests and packaging after Electron is installed');
});

test('release.yml: packages name their update feed (this repository by default) and the feeds are uploaded with the installers', () => {
  const pack = workflow('release.yml').jobs.package!;
  const dist = pack.steps.find((s) => /npm run dist/.test(s.run ?? ''))!;
  assert.match(dist.run!, /-c\.publish\.owner=\$\{UPDATE_FEED_OWNER\}.*-c\.publish\.repo=\$\{UPDATE_FEED_REPO\}/);
  assert.match(String(dist.env?.['UPDATE_FEED_OWNER']), /github\.repository_owner/);
  assert.match(String(dist.env?.['UPDATE_FEED_REPO']), /github\.event\.repository\.name/);
  const upload = pack.steps.find((s) => s.uses?.startsWith('actions/upload-artifact')) as { with?: { path?: string } };
  for (const files of ['release/latest*.yml', 'release/*.blockmap', 'release/*.zip', 'release/*.AppImage', 'release/*.exe']) {
    assert.ok(upload.with?.path?.split('\n').map((l) => l.trim()).includes(files), `${files} is uploaded`);
  }
});

test('the release gate: tag, package.json and CHANGELOG.md agree, else one line says what to fix', () => {
  const changelog = read('CHANGELOG.md');
  assert.equal(releaseVersionProblem(`v${pkg.version}`, pkg.version, changelog), null, 'the current version has its CHANGELOG section');
  assert.match(releaseVersionProblem('v9.9.9', pkg.version, changelog)!, /does not match package\.json's version/);
  assert.match(releaseVersionProblem('9.9.9', '9.9.9', changelog)!, /is not v<semver>/);
  assert.match(releaseVersionProblem('v9.9.9', '9.9.9', changelog)!, /CHANGELOG\.md has no "## \[9\.9\.9\]/);
  assert.match(changelog, /^## \[Unreleased\]$/m, 'Keep a Changelog: an Unreleased section');
});

test('smoke-packaged looks where electron-builder puts each unpacked app', () => {
  const cfg = load(read('electron-builder.yml')) as { productName: string; directories: { output: string }; linux: { executableName: string } };
  assert.equal(cfg.directories.output, 'release');
  assert.ok(unpackedBinaries('linux', 'release')[0]!.endsWith(join('linux-unpacked', cfg.linux.executableName)));
  assert.ok(unpackedBinaries('win32', 'release')[0]!.endsWith(join('win-unpacked', `${cfg.productName}.exe`)));
  assert.ok(unpackedBinaries('darwin', 'release').every((p) => p.includes(`${cfg.productName}.app`)));
});
