/**
 * The dotenv and binary stores against the real sops, both ways, and every shared vector (YAML,
 * dotenv, binary) decrypted by us exactly as `sops -d` decrypts it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { encryptBinary, decryptBinary } from '../../server/src/sops/stores/binary';
import { decryptDotenv, encryptDotenv } from '../../server/src/sops/stores/dotenv';
import { decryptJson, encryptJson } from '../../server/src/sops/stores/json';
import { decryptFileContent } from '../../server/src/sops/files';
import { DEFAULT_RULE, type EncryptionRule } from '../../server/src/sops/metadata';
import { globalKeyFile, globalRecipient, identitiesFrom, keyFile, memoryIo, recipient, runSops, runSopsBytes, sopsBinary, sopsVersions, vectors } from './support';

const work = mkdtempSync(join(tmpdir(), 'flux-gitops-sops-stores-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const dotenv = '# database\nDB_USER=admin\nDB_PASSWORD=s3cret=with=equals\nMULTI=line one\\nline two\nEMPTY=\nPUBLIC_unencrypted=visible\n# trailing comment\n';
const json = '{"DB_USER": "admin", "2": [1.5, 8080, true, null, "x<y&z"], "nested": {"deep": {"e": {}, "f": [], "big": 12345678901234567890, "tiny": 1e-7}}, "PUBLIC_unencrypted": "é", "DB_PASS": "a\\u0008b"}';
const binaryContent = Buffer.concat([Buffer.from('#!/bin/sh\necho "héllo"\n'), Buffer.from([0, 1, 2, 254, 255])]);
const rules: EncryptionRule[] = [DEFAULT_RULE, { kind: 'encrypted_regex', value: '^DB_' }, { kind: 'unencrypted_suffix', value: '_USER' }];
const ids = identitiesFrom(keyFile, globalKeyFile);
const flagsOf = (rule: EncryptionRule): string[] => [`--${rule.kind.replaceAll('_', '-')}`, rule.value];

for (const version of sopsVersions()) {
  test(`sops ${version}: every shared vector decrypts with us exactly as with sops -d`, async () => {
    const binary = sopsBinary(version);
    const files: [string, string][] = [
      ['algorithms/age.yaml', 'yaml'],
      ['global/secret.yaml', 'yaml'],
      ['patches/merge1.yaml', 'yaml'],
      ['patches/merge2.yaml', 'yaml'],
      ['envs/env.env', 'dotenv'],
      ['files/file.txt', 'binary'],
    ];
    for (const [file, type] of files) {
      const text = readFileSync(join(vectors, file), 'utf8');
      const ours = await decryptFileContent(join(vectors, file), text, memoryIo({}, { SOPS_AGE_KEY: readFileSync(keyFile, 'utf8') + readFileSync(globalKeyFile, 'utf8') }));
      const theirs = runSops(binary, ['-d', '--input-type', type, '--output-type', type], text, work);
      // sops re-indents YAML (4 spaces); we keep the file's layout: compare the data.
      if (type === 'yaml') assert.deepEqual(parse(ours.plaintext), parse(theirs), file);
      else assert.equal(Buffer.from(ours.bytes).toString('utf8'), theirs, file);
    }
  });

  test(`sops ${version}: dotenv files interoperate both ways under each rule and with key groups`, async () => {
    const binary = sopsBinary(version);
    const io = ['--input-type', 'dotenv', '--output-type', 'dotenv'];
    for (const rule of rules) {
      const ours = await encryptDotenv(dotenv, { keyGroups: [[recipient]], rule }, memoryIo());
      assert.equal(runSops(binary, ['-d', ...io], ours, work), dotenv, rule.kind);
      const theirs = runSops(binary, ['-e', ...io, '--age', recipient, ...flagsOf(rule)], dotenv, work);
      assert.equal((await decryptDotenv(theirs, ids)).plaintext, dotenv, rule.kind);
      // An unchanged save rewrites no data line; an edit changes its line and the MAC lines only.
      const decrypted = await decryptDotenv(theirs, ids);
      const same = decrypted.reencrypt(Buffer.from(decrypted.plaintext), memoryIo());
      const changedLines = (a: string, b: string): string[] => a.split('\n').filter((l, i) => l !== b.split('\n')[i]).map((l) => l.replace(/=.*/, ''));
      assert.deepEqual(changedLines(theirs, same), ['sops_lastmodified', 'sops_mac'], rule.kind);
      const edited = decrypted.reencrypt(Buffer.from(decrypted.plaintext.replace('admin', 'root')), memoryIo());
      assert.deepEqual(changedLines(theirs, edited), ['DB_USER', 'sops_lastmodified', 'sops_mac'], rule.kind);
      assert.match(runSops(binary, ['-d', ...io], edited, work), /^DB_USER=root$/m);
    }
    const groups = await encryptDotenv(dotenv, { keyGroups: [[recipient], [globalRecipient]], rule: DEFAULT_RULE }, memoryIo());
    assert.match(groups, /^sops_key_groups__list_1__map_age__list_0__map_recipient=age1henwn/m);
    assert.equal(runSops(binary, ['-d', ...io], groups, work), dotenv);
  });

  test(`sops ${version}: JSON files interoperate both ways under each rule, and saves keep unchanged lines`, async () => {
    const binary = sopsBinary(version);
    const io = ['--input-type', 'json', '--output-type', 'json'];
    for (const rule of [DEFAULT_RULE, { kind: 'encrypted_regex', value: '^(DB_|nested)' } as EncryptionRule]) {
      const ours = await encryptJson(json, { keyGroups: [[recipient]], rule }, memoryIo());
      const viaSops = runSops(binary, ['-d', ...io], ours, work);
      assert.equal(viaSops, runSops(binary, ['-d', ...io], runSops(binary, ['-e', ...io, '--age', recipient, ...flagsOf(rule)], json, work), work), rule.kind);
      const theirs = runSops(binary, ['-e', ...io, '--age', recipient, ...flagsOf(rule)], json, work);
      const decrypted = await decryptJson(theirs, ids);
      assert.equal(decrypted.plaintext, runSops(binary, ['-d', ...io], theirs, work), rule.kind);
      const same = decrypted.reencrypt(Buffer.from(decrypted.plaintext), memoryIo());
      const changed = theirs.split('\n').filter((l, i) => l !== same.split('\n')[i]).map((l) => l.trim().replace(/:.*/, ''));
      assert.deepEqual(changed, ['"lastmodified"', '"mac"'], rule.kind);
    }
  });

  test(`sops ${version}: binary files interoperate both ways, byte for byte`, async () => {
    const binary = sopsBinary(version);
    const io = ['--input-type', 'binary', '--output-type', 'binary'];
    const ours = await encryptBinary(binaryContent, { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo());
    assert.match(ours, /^\{\n\t"data": "ENC\[AES256_GCM,/);
    const viaSops = runSopsBytes(binary, ['-d', ...io], ours, work);
    assert.deepEqual(viaSops, binaryContent);
    const theirs = runSops(binary, ['-e', ...io, '--age', recipient], binaryContent, work);
    assert.deepEqual(Buffer.from((await decryptBinary(theirs, ids)).bytes), binaryContent);
  });
}

