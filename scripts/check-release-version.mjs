#!/usr/bin/env node
// `node scripts/check-release-version.mjs v0.2.0`: the release workflow's gate. The tag must be `v` + package.json's
// version (the one source the app's About and --version read), and CHANGELOG.md must have a section for it.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** null when the tag, package.json and CHANGELOG.md agree; otherwise what is wrong, in one line. */
export function releaseVersionProblem(tag, pkgVersion, changelog) {
  if (!/^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(tag ?? '')) return `the tag "${tag ?? ''}" is not v<semver> (e.g. v0.2.0)`;
  if (tag.slice(1) !== pkgVersion) return `the tag ${tag} does not match package.json's version ${pkgVersion}: bump package.json (npm version ${tag.slice(1)}) or retag`;
  const escaped = pkgVersion.replace(/\./g, '\\.');
  if (!new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}$`, 'm').test(changelog)) return `CHANGELOG.md has no "## [${pkgVersion}] - YYYY-MM-DD" section`;
  return null;
}

if (process.argv[1]?.endsWith('check-release-version.mjs')) {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
  const problem = releaseVersionProblem(process.argv[2], pkg.version, readFileSync(join(repo, 'CHANGELOG.md'), 'utf8'));
  if (problem) {
    console.error(`release: ${problem}.`);
    process.exit(1);
  }
  console.log(`release: ${process.argv[2]} matches package.json and CHANGELOG.md.`);
}
