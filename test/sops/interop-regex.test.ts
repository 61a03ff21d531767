// Go regular expressions in `.sops.yaml` and in a file's metadata, against the real sops of every
// version in sops-versions.txt: under the same `.sops.yaml` and for the same file name, our
// encryption and sops' encrypt exactly the same leaves (values and comments); a file sops wrote
// under a catastrophic encrypted_regex decrypts promptly and like `sops -d`. Plaintext goes to
// sops through stdin only (`--filename-override` names the file for its creation rules).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseYaml } from '../../server/src/sops/document';
import { decrypt } from '../../server/src/sops/stores/yaml';
import { encryptFileContent } from '../../server/src/sops/files';
import { globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient, runSops, sopsBinary, sopsVersions } from './support';

const SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db # the name
  namespace: apps
# secret: rotated monthly
stringData:
  password: hunter2
  # not a secret
  user: admin
data:
  token: dG9rZW4=
`;

interface Case {
  readonly name: string;
  readonly rules: string;
  /** Relative to the `.sops.yaml`. */
  readonly file: string;
}

const rule = (body: string): string => `  - age: ${recipient}\n    ${body}\n`;
const CASES: Case[] = [
  { name: 'encrypted_regex with a POSIX class', rules: rule('encrypted_regex: ^([[:lower:]]+Data|data)$'), file: 'secret.yaml' },
  {
    name: 'path_regex with a POSIX class, then a catch-all',
    rules: `${rule('path_regex: ^prod/[[:alnum:]_-]+\\.yaml$\n    encrypted_regex: ^password$')}  - age: ${globalRecipient}\n    encrypted_regex: ^token$\n`,
    file: 'prod/db.yaml',
  },
  {
    name: 'the catch-all after a path_regex with a POSIX class',
    rules: `${rule('path_regex: ^prod/[[:alnum:]_-]+\\.yaml$\n    encrypted_regex: ^password$')}  - age: ${globalRecipient}\n    encrypted_regex: ^token$\n`,
    file: 'prod/sub/db.yaml',
  },
  { name: 'unencrypted_regex with \\pL and \\Q…\\E', rules: rule('unencrypted_regex: ^(\\pL+Version|kind|\\Qmetadata\\E)$'), file: 'secret.yaml' },
  { name: 'encrypted_regex with a flag group inside a group', rules: rule('encrypted_regex: ^((?i)(PASSWORD|^data$))'), file: 'secret.yaml' },
  { name: 'encrypted_comment_regex with (?i:…)', rules: rule('encrypted_comment_regex: (?i:SECRET)'), file: 'secret.yaml' },
  { name: 'unencrypted_comment_regex, unanchored', rules: rule('unencrypted_comment_regex: name'), file: 'secret.yaml' },
  {
    name: 'a catastrophic path_regex over a 54-character path, then a catch-all',
    rules: `${rule('path_regex: ^([a-z0-9-]+/?)+\\.enc\\.yaml$\n    encrypted_regex: ^password$')}  - age: ${globalRecipient}\n    encrypted_regex: ^token$\n`,
    file: `${'a'.repeat(49)}.yaml`,
  },
];

/** What the encryption did to each leaf: values in order by path, comments (plain text, or encrypted) sorted. */
function encryptedLeaves(encrypted: string): { values: string[]; comments: string[] } {
  const leaves = parseYaml(encrypted).documents.flatMap((d) => d.leaves);
  return {
    values: leaves.flatMap((l) => (l.kind === 'value' ? [`${l.path.join(':')} ${l.raw.startsWith('ENC[') ? 'encrypted' : 'plain'}`] : [])),
    comments: leaves.flatMap((l) => (l.kind === 'comment' ? [l.text.startsWith('ENC[') ? 'encrypted' : l.text.trim()] : [])).sort(),
  };
}

/** The recipients of the sops block: which creation rule applied. */
const recipientsOf = (encrypted: string): string[] => [...encrypted.matchAll(/recipient: (age1\w+)/g)].map((m) => m[1]!);

const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-regex-'));

for (const version of sopsVersions()) {
  test(`sops ${version}: Go regexes in .sops.yaml select the same rule and encrypt the same leaves as sops`, async () => {
    const binary = sopsBinary(version);
    for (const c of CASES) {
      const config = `creation_rules:\n${c.rules}`;
      writeFileSync(join(work, '.sops.yaml'), config);
      const theirs = runSops(binary, ['--config', join(work, '.sops.yaml'), 'encrypt', '--filename-override', c.file], SECRET, work);
      const ours = await encryptFileContent(join(work, c.file), Buffer.from(SECRET), memoryIo({ [join(work, '.sops.yaml')]: config }));
      assert.deepEqual(encryptedLeaves(ours), encryptedLeaves(theirs), c.name);
      assert.deepEqual(recipientsOf(ours), recipientsOf(theirs), c.name);
    }
  });

  test(`sops ${version}: a file sops encrypted under encrypted_regex ^(a+)+$ decrypts promptly, as sops -d does`, async () => {
    const binary = sopsBinary(version);
    const longKey = `${'a'.repeat(40)}!`;
    const plain = `aaaa: secret\n${longKey}: plain\n`;
    const encrypted = runSops(binary, ['encrypt', '--age', recipient, '--encrypted-regex', '^(a+)+$', '--input-type', 'yaml', '--output-type', 'yaml'], plain, work);
    assert.match(encrypted, new RegExp(`${longKey}: plain`));
    const start = performance.now();
    const decrypted = await decrypt(encrypted, identitiesFrom(keyFile, globalKeyFile));
    const ms = performance.now() - start;
    assert.equal(decrypted.plaintext, runSops(binary, ['decrypt', '--input-type', 'yaml', '--output-type', 'yaml'], encrypted, work));
    // A hang bound (milliseconds when linear; JavaScript's backtracking took minutes on this key).
    assert.ok(ms < 5000, `decrypt took ${ms.toFixed(0)} ms`);
  });
}

test.after(() => rmSync(work, { recursive: true, force: true }));
