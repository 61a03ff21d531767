import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRevision, revisionIsCommit, shortRevision } from '../../../client/src/cluster/model/revision';

const SHA1 = '6f8c5a4d3f2e1b0a9c8d7e6f5a4b3c2d1e0f9a8b';
const SHA256 = 'a'.repeat(64);

test('Git revision with a branch', () => {
  assert.deepEqual(parseRevision(`main@sha1:${SHA1}`), { raw: `main@sha1:${SHA1}`, ref: 'main', algorithm: 'sha1', digest: SHA1 });
  assert.equal(shortRevision(`main@sha1:${SHA1}`), 'main@6f8c5a4');
});

test('Git revision with a ref path and without a ref', () => {
  assert.equal(parseRevision(`refs/tags/v1.0@sha1:${SHA1}`).ref, 'refs/tags/v1.0');
  assert.equal(shortRevision(`sha1:${SHA1}`), '6f8c5a4');
});

test('artifact and OCI digests are shortened to 12 hex', () => {
  assert.equal(shortRevision(`sha256:${SHA256}`), 'aaaaaaaaaaaa');
  assert.equal(shortRevision(`latest@sha256:${SHA256}`), 'latest@aaaaaaaaaaaa');
});

test('legacy Flux 1 style <branch>/<sha>', () => {
  const r = parseRevision(`main/${SHA1}`);
  assert.equal(r.ref, 'main');
  assert.equal(r.digest, SHA1);
});

test('Helm chart versions stay as they are', () => {
  assert.deepEqual(parseRevision('6.5.0'), { raw: '6.5.0', version: '6.5.0' });
  assert.equal(shortRevision('6.5.0+0a1b2c3d4e5f'), '6.5.0+0a1b2c3d4e5f');
  assert.equal(shortRevision(undefined), '');
});

test('a revision names a commit only when the digest is that commit', () => {
  assert.equal(revisionIsCommit(`main@sha1:${SHA1}`, SHA1), true);
  assert.equal(revisionIsCommit(`main@sha1:${SHA1}`, SHA1.toUpperCase()), true);
  assert.equal(revisionIsCommit(`main@sha1:${SHA1}`, 'b'.repeat(40)), false);
  assert.equal(revisionIsCommit('6.5.0', SHA1), false);
  assert.equal(revisionIsCommit(undefined, SHA1), false);
});
