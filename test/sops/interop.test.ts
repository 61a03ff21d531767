/**
 * Interop with the real tools, both ways, for every sops version in sops-versions.txt:
 * our output decrypts with `sops -d` (MAC checked) to exactly what sops' own encryption gives,
 * `sops -e` output decrypts with ours to what `sops -d` gives, and Debian's `age -d` reads the
 * data key out of our `enc` blocks. Plaintext goes to the binaries through stdin only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { decryptValue } from '../../server/src/sops/cipher';
import { parseYaml } from '../../server/src/sops/document';
import { decrypt, encrypt, reencrypt, type EncryptOptions } from '../../server/src/sops/stores/yaml';
import { DEFAULT_RULE } from '../../server/src/sops/metadata';
import { ageBinary, editAndDiff, runSops, globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient, sopsBinary, sopsVersions } from './support';

const corpus = `# every scalar type
apiVersion: v1
kind: Secret
metadata:
  name: interop # the name
  labels: {app: demo, tier: "1"}
stringData:
  password: hunter2
  quoted_number: "123"
  octal: 0755
  underscored: 1_000
  hex: 0x1F
  big: 9223372036854775807
  small: -9223372036854775808
  float: 1.5
  exp: 1e3
  leading_zero_eight: 08
  too_big_float: 1e400
  octal_o: 0o17
  plus: +12
  neg_hex: -0x1F
  binary: 0b101
  underscore_float: 1_0.5
  negative_zero: -0
  tiny: 0.1e-7
  huge: 123456789012345678901234567890
  spaced_time: 2024-1-5 3:04:05.120
  whole: 1.0
  neg_inf: -.inf
  not_a_number: .nan
  yes_word: yes
  on_word: on
  truth: true
  lie: False
  nothing: ~
  explicit_null: null
  empty: ""
  date: 2024-01-15
  stamp: 2001-12-14t21:59:43.10-05:00
  unicode: "héllo wörld ✓"
  colon: "a: b"
  tagged: !!str 5
  literal: |
    first line
    second line
  folded: >
    folded
    text
  # a comment between keys
  list:
    - one
    - 2
    - nested: map
      deeper:
        - [x, y]
  flow: [a, 1, true]
  public_unencrypted: visible
data:
  token: dG9rZW4=
# a foot comment
---
# second document
second:
  key: value # trailing
  number: 42
---
base: &base
  user: admin
  pass: s3cret
  nested: {deep: [1, 2.5]}
copy: *base
scalar_anchor: &s hello
scalar_alias: *s
list_anchor: &l [1, two, {k: v}]
list_alias: *l
merged:
  <<: *base
  extra: yes
`;

/** Layouts that trip emitters: odd keys, empty collections, comments in lists, whitespace-heavy strings. */
const edgeCorpus = `"key with spaces": v1
'single: quoted': v2
ключ: значение
a:b: colon in key
empty_map: {}
empty_list: []
list_with_comments:
  # before the first item
  - first # after the first
  # between items
  - - nested
    - list
  - {inline: map}
long: ${'x'.repeat(150)} ${'y'.repeat(40)}
leading_space: "  indented"
trailing_newlines: |+
  kept

keep_tabs: "a\\tb"
quoted_multiline: "line one\\nline two"
special: "@at #hash *star &amp"
percent: 50%
number_like: "0x1F"
bool_like: "true"
null_like: "~"
folded_keep: >-
  folded
  no newline
ports:
- 80
- 443
`;

interface Case {
  readonly name: string;
  readonly flags: string[];
  readonly options: EncryptOptions;
  readonly config?: string;
}

const cases: Case[] = [
  { name: 'default _unencrypted suffix', flags: [], options: { keyGroups: [[recipient]], rule: DEFAULT_RULE } },
  { name: 'unencrypted_suffix', flags: ['--unencrypted-suffix', '_plain'], options: { keyGroups: [[recipient]], rule: { kind: 'unencrypted_suffix', value: '_plain' } } },
  { name: 'encrypted_suffix', flags: ['--encrypted-suffix', 'word'], options: { keyGroups: [[recipient]], rule: { kind: 'encrypted_suffix', value: 'word' } } },
  { name: 'unencrypted_regex', flags: ['--unencrypted-regex', '^(apiVersion|kind|metadata)$'], options: { keyGroups: [[recipient]], rule: { kind: 'unencrypted_regex', value: '^(apiVersion|kind|metadata)$' } } },
  { name: 'encrypted_regex', flags: ['--encrypted-regex', '^(data|stringData)$'], options: { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^(data|stringData)$' } } },
  { name: 'unencrypted_comment_regex', flags: ['--unencrypted-comment-regex', 'between'], options: { keyGroups: [[recipient]], rule: { kind: 'unencrypted_comment_regex', value: 'between' } } },
  { name: 'encrypted_comment_regex', flags: ['--encrypted-comment-regex', 'every scalar|between'], options: { keyGroups: [[recipient]], rule: { kind: 'encrypted_comment_regex', value: 'every scalar|between' } } },
  { name: 'mac_only_encrypted', flags: ['--encrypted-regex', '^data$', '--mac-only-encrypted'], options: { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^data$' }, macOnlyEncrypted: true } },
  {
    name: 'two key groups (Shamir)',
    flags: [],
    config: `creation_rules:\n  - shamir_threshold: 2\n    key_groups:\n      - age: [${recipient}]\n      - age: [${globalRecipient}]\n`,
    options: { keyGroups: [[recipient], [globalRecipient]], rule: DEFAULT_RULE, shamirThreshold: 2 },
  },
];

const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-interop-'));

function sops(binary: string, args: string[], input: string): string {
  return runSops(binary, args, input, work);
}

const io = ['--input-type', 'yaml', '--output-type', 'yaml'];

function sopsEncrypt(binary: string, c: Case, input: string): string {
  if (!c.config) return sops(binary, ['-e', ...io, '--age', recipient, ...c.flags], input);
  const config = join(work, 'groups.sops.yaml');
  writeFileSync(config, c.config);
  return sops(binary, ['--config', config, '-e', ...io, ...c.flags], input);
}

function sopsDecrypt(binary: string, input: string): string {
  return sops(binary, ['-d', ...io], input);
}

/**
 * Values as (path, text) in order, comments as a sorted list: sops -d prints 1.0 as 1 (so types
 * are compared by text) and sops versions place line comments differently (formatting only).
 */
function leaves(text: string): { values: string[]; comments: string[] } {
  const all = parseYaml(text).documents.flatMap((d) => d.leaves);
  return {
    values: all.flatMap((l) => (l.kind === 'value' ? [`${l.path.join(':')}=${l.typed?.text ?? '~'}`] : [])),
    comments: all.flatMap((l) => (l.kind === 'comment' ? [l.text] : [])).sort(),
  };
}

for (const version of sopsVersions()) {
  test(`sops ${version}: our encryption decrypts with sops -d exactly like sops' own`, async () => {
    const binary = sopsBinary(version);
    for (const c of cases) {
      for (const input of [corpus, edgeCorpus]) {
        const ours = await encrypt(input, c.options, memoryIo());
        const viaOurs = sopsDecrypt(binary, ours);
        const viaSops = sopsDecrypt(binary, sopsEncrypt(binary, c, input));
        assert.equal(viaOurs, viaSops, c.name);
      }
    }
  });

  test(`sops ${version}: sops -e output decrypts with ours like sops -d`, async () => {
    const binary = sopsBinary(version);
    for (const c of cases) {
      for (const input of [corpus, edgeCorpus]) {
        const encrypted = sopsEncrypt(binary, c, input);
        const ours = await decrypt(encrypted, identitiesFrom(keyFile, globalKeyFile));
        assert.deepEqual(leaves(ours.plaintext), leaves(sopsDecrypt(binary, encrypted)), c.name);
        // Saving the decrypted text unchanged rewrites no data line: every value and comment
        // reads back with its type, so each keeps its IV and ciphertext.
        const same = reencrypt(ours, ours.plaintext, memoryIo({}, {}, new Date('2030-01-01T00:00:00Z')));
        const changed = encrypted.split('\n').filter((line, i) => line !== same.split('\n')[i]);
        assert.ok(changed.every((line) => /^\s+(lastmodified|mac):/.test(line)), `${c.name}: ${changed.join('\n')}`);
      }
    }
  });

  test(`sops ${version}: editing one value of a sops-written file changes that line, lastmodified and mac only`, async () => {
    const binary = sopsBinary(version);
    const original = sopsEncrypt(binary, cases[4] as Case, corpus);
    const { saved, changed } = await editAndDiff(original, (p) => p.replace('password: hunter2', 'password: hunter3'));
    const perDocument = (original.match(/^sops:$/gm) ?? []).length;
    assert.equal(perDocument, 3);
    assert.deepEqual(changed, ['password:', ...Array.from({ length: perDocument }, () => ['lastmodified:', 'mac:']).flat()]);
    assert.match(sopsDecrypt(binary, saved), /password: hunter3/);
  });

  test(`sops ${version}: a tampered file fails in sops too (our MAC is real)`, async () => {
    const binary = sopsBinary(version);
    const ours = await encrypt(corpus, cases[0]!.options, memoryIo());
    const edited = ours.replace('public_unencrypted: visible', 'public_unencrypted: changed');
    assert.throws(() => sopsDecrypt(binary, edited), (e: { status: number; stdout: string }) => e.status === 51 && !e.stdout.includes('hunter2'));
  });
}

/** The `sops:` block with what differs between any two encryptions (keys, MAC, time) blanked. */
function metadataShape(encrypted: string): string {
  const block = encrypted.slice(encrypted.indexOf('\nsops:\n') + 1);
  return block
    .replace(/^( +)[A-Za-z0-9+/=]{20,}\n/gm, '')
    .replace(/(lastmodified: ).*/g, '$1T')
    .replace(/(mac: ).*/g, '$1M')
    .replace(/(version: ).*/g, '$1V')
    // sops 3.10.2 writes an empty `hc_vault: []` first in each key group; 3.10+ omits empty lists elsewhere.
    .replace(/- hc_vault: \[\]\n +age:/g, '- age:');
}

test('our sops: block has sops 3.10.2\'s key order and indentation (one group, key groups, indent 2 and 4)', async () => {
  const binary = sopsBinary('v3.10.2');
  const input = 'a: 1\n';
  const groups = cases.find((c) => c.config) as Case;
  for (const indent of [4, 2]) {
    const config = join(work, `indent${indent}.sops.yaml`);
    const rules = (body: string): string => `stores:\n  yaml:\n    indent: ${indent}\ncreation_rules:\n${body}`;
    writeFileSync(config, rules(`  - age: ${recipient}\n    encrypted_regex: ^a$\n`));
    const theirs = sops(binary, ['--config', config, '-e', ...io], input);
    const ours = await encrypt(input, { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^a$' }, indent }, memoryIo());
    assert.equal(metadataShape(ours), metadataShape(theirs), `one group, indent ${indent}`);
    writeFileSync(config, rules((groups.config as string).replace('creation_rules:\n', '')));
    const theirGroups = sops(binary, ['--config', config, '-e', ...io], input);
    const ourGroups = await encrypt(input, { ...groups.options, indent }, memoryIo());
    assert.equal(metadataShape(ourGroups), metadataShape(theirGroups), `key groups, indent ${indent}`);
  }
});

test("Debian's age reads the data key out of our enc blocks", async () => {
  const age = ageBinary();
  const ours = await encrypt(corpus, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
  const enc = (parse(ours.split('\n---\n')[0] as string) as { sops: { age: { enc: string }[] } }).sops.age[0]!.enc;
  const dataKey = execFileSync(age, ['-d', '-i', keyFile], { input: enc });
  assert.equal(dataKey.length, 32);
  const password = /password: (ENC\[[^\]]+\])/.exec(ours)?.[1] as string;
  assert.equal(decryptValue(dataKey, password, 'stringData:password:').plaintext, 'hunter2');
});

test.after(() => rmSync(work, { recursive: true, force: true }));
