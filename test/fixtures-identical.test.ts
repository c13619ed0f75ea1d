import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const local = join(repoRoot, 'test', 'fixtures', 'openclaw');
const shared = resolve(repoRoot, '..', 'shared', 'openclaw', 'fixtures');

function listFiles(root: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(root, path) : [relative(root, path)];
  });
}

const skip = existsSync(shared) ? false : `the reference fixtures are not checked out at ${shared} (only in the development workspace)`;

test('test/fixtures/openclaw is byte-identical to the captured reference fixtures', { skip }, () => {
  const files = listFiles(local).sort();
  assert.ok(files.length >= 20, `expected the captured fixtures, found ${files.length}`);
  for (const file of files) {
    const sharedPath = join(shared, file);
    assert.ok(existsSync(sharedPath), `${file} has no reference copy in ${shared}`);
    assert.ok(readFileSync(join(local, file)).equals(readFileSync(sharedPath)), `${file} differs from ${sharedPath}`);
  }
  assert.deepEqual(listFiles(shared).sort(), files, 'every reference fixture is copied');
});
