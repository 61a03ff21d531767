// What the .vsix ships (`vsce ls`, the list `npm run package` packs): every image the packaged README
// shows, and the marketplace icon as a 128×128 PNG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../..');
const packed = new Set(
  execFileSync(path.join(root, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean),
);

test('every local image the README shows is packaged', () => {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((src) => !/^[a-z]+:/i.test(src));
  assert.ok(images.length > 0, 'the README shows no local image');
  for (const image of images) assert.ok(packed.has(image), `${image} is shown by the README but not packaged`);
});

test('the marketplace icon is a packaged 128×128 PNG', () => {
  const { icon } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon?: string };
  assert.ok(icon, 'package.json has no "icon"');
  assert.ok(packed.has(icon), `${icon} is not packaged`);
  const png = readFileSync(path.join(root, icon));
  assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
});
