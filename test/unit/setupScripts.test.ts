// The set-up table `npm test` follows (test/setup/ensure.mjs): every script it names exists and every
// suite it names is a real test folder, so a renamed script or folder cannot silently skip a set-up.
import { strict as assert } from 'node:assert';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SETUP_OF_SUITE, setupsFor } from '../setup/ensure.mjs';

const testRoot = join(__dirname, '..');

test('every set-up script the table names exists, and every suite it names is a test folder', () => {
  for (const [suite, scripts] of Object.entries(SETUP_OF_SUITE)) {
    assert.ok(statSync(join(testRoot, suite)).isDirectory(), `test/${suite} is not a folder`);
    for (const script of scripts) assert.ok(existsSync(join(testRoot, 'setup', `${script}.sh`)), `test/setup/${script}.sh is missing`);
  }
});

test('the scripts of several suites run once each, in the table order', () => {
  assert.deepEqual(setupsFor(['lsp', 'e2e', 'unit', 'cluster']), ['sops', 'cluster', 'code-server']);
  assert.deepEqual(setupsFor(['lsp', 'fuzz']), []);
});
