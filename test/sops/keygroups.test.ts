/**
 * Data-key recovery against the real sops, for every version in sops-versions.txt: files that
 * sops encrypted for two recipients, and for Shamir key groups, with some age entries damaged,
 * decrypt here exactly when `sops -d` decrypts them, to exactly its output; when sops fails, we
 * fail with its exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decrypt } from '../../server/src/sops/stores/yaml';
import { SopsError } from '../../server/src/sops/errors';
import { replaceEnc, STANZA_DAMAGES } from './stanzas';
import { globalKeyFile, globalRecipient, identitiesFrom, keyFile, recipient, runSops, sopsBinary, sopsDecryptOutcome, sopsVersions } from './support';

// In sops' own layout (4-space indent), so that its decryption gives the same text back.
const PLAIN = 'kind: Secret\nstringData:\n    token: s3cr3t\n    count: 3\n';
const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-keygroups-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

async function ourOutcome(encrypted: string, keyFiles: readonly string[]): Promise<{ plaintext: string } | { exitCode: number }> {
  try {
    return { plaintext: (await decrypt(encrypted, identitiesFrom(...keyFiles))).plaintext };
  } catch (error) {
    if (!(error instanceof SopsError)) throw error;
    return { exitCode: error.exitCode };
  }
}

/** Damages the entries `damaged` (indexes in file order) of `encrypted`, in turn. */
function damage(encrypted: string, damaged: Record<number, keyof typeof STANZA_DAMAGES>): string {
  return Object.entries(damaged).reduce((yaml, [index, how]) => replaceEnc(yaml, Number(index), STANZA_DAMAGES[how]), encrypted);
}

const keySets = { both: [keyFile, globalKeyFile], 'second only': [globalKeyFile] };

for (const version of sopsVersions()) {
  test(`${version}: two recipients, the first entry damaged: the second recipient's key decrypts, as in sops`, async () => {
    const sops = sopsBinary(version);
    const encrypted = runSops(sops, ['-e', '--age', `${recipient},${globalRecipient}`, '--input-type', 'yaml', '--output-type', 'yaml'], PLAIN, work);
    for (const how of Object.keys(STANZA_DAMAGES) as (keyof typeof STANZA_DAMAGES)[]) {
      const damaged = damage(encrypted, { 0: how });
      for (const [keys, files] of Object.entries(keySets)) {
        const theirs = sopsDecryptOutcome(sops, damaged, work, files);
        assert.deepEqual(theirs, { plaintext: PLAIN }, `${how}, ${keys}: sops itself`);
        assert.deepEqual(await ourOutcome(damaged, files), theirs, `${how}, ${keys}`);
      }
    }
  });

  test(`${version}: Shamir key groups with damaged entries decrypt exactly when sops decrypts them`, async () => {
    const sops = sopsBinary(version);
    const dir = mkdtempSync(join(work, 'shamir-'));
    // Entries in file order: 0 = group 0 (first key), 1 = group 1 (global key), 2 and 3 = group 2 (both).
    writeFileSync(
      join(dir, '.sops.yaml'),
      `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [${recipient}]\n      - age: [${globalRecipient}]\n      - age: [${recipient}, ${globalRecipient}]\n`,
    );
    const encrypted = runSops(sops, ['-e', '--input-type', 'yaml', '--output-type', 'yaml'], PLAIN, dir);
    assert.match(encrypted, /\n {4}shamir_threshold: 2\n/);
    const cases: { damaged: Record<number, keyof typeof STANZA_DAMAGES>; decrypts: Record<keyof typeof keySets, boolean> }[] = [
      { damaged: {}, decrypts: { both: true, 'second only': true } },
      { damaged: { 0: 'junk', 2: 'flipped' }, decrypts: { both: true, 'second only': true } },
      { damaged: { 1: 'truncated', 2: 'junk' }, decrypts: { both: true, 'second only': false } },
      { damaged: { 0: 'flipped', 1: 'junk', 2: 'truncated' }, decrypts: { both: false, 'second only': false } },
    ];
    for (const { damaged, decrypts } of cases) {
      const spoiled = damage(encrypted, damaged);
      for (const [keys, files] of Object.entries(keySets) as [keyof typeof keySets, string[]][]) {
        const label = `${JSON.stringify(damaged)}, ${keys}`;
        const theirs = sopsDecryptOutcome(sops, spoiled, dir, files);
        // The cases are chosen so that both outcomes occur; sops is the judge of which.
        assert.deepEqual(theirs, decrypts[keys] ? { plaintext: PLAIN } : { exitCode: 128 }, `${label}: sops itself`);
        assert.deepEqual(await ourOutcome(spoiled, files), theirs, label);
      }
    }
  });
}
