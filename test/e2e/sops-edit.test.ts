// Flow 4 (issue 7): inline SOPS edit in real VS Code. A Secret encrypted by the real `sops` is opened,
// "Edit decrypted" (CodeLens) opens the plaintext in memory, a value is changed and saved: the file
// on disk stays encrypted, the real `sops -d` shows the new value, and the new value (a unique
// marker) is nowhere on disk: not in the workspace, the temp folders or VS Code's user data
// (where hot-exit backups of dirty editors go), neither during the edit nor after.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { cacheRoot, fixturesRoot, fleetExample, projectRoot } from './support/paths';
import { startSession, type Session } from './support/session';

const KEY_FILE = join(fixturesRoot, 'sops/kustomize-controller/keys/age.txt');
const RECIPIENT = 'age1l44xcng8dqj32nlv6d930qvvrny05hglzcv9qpc7kxjc6902ma4qufys29';
const SECRET = 'apps/production/podinfo-credentials.yaml';
const INITIAL = 'initialpassword42';
// Made at run time so that finding it anywhere on disk can only mean a leak of this session's edit.
const MARKER = `leak${randomBytes(12).toString('hex')}`;

/** The real sops built by test/setup/sops.sh (its first listed version). */
function sops(): string {
  const version = readFileSync(join(projectRoot, 'test/sops/sops-versions.txt'), 'utf8').split('\n')[0].trim();
  return join(cacheRoot(), 'sops', version, 'sops');
}

/** The real sops, decrypting with the fixture key (MAC checked). */
function sopsDecrypt(file: string): string {
  return execFileSync(sops(), ['--decrypt', file], { encoding: 'utf8', env: { ...process.env, SOPS_AGE_KEY_FILE: KEY_FILE } });
}

/** Files under these folders that contain the marker (ripgrep, every file, binary ones too). */
function filesWithMarker(folders: readonly string[]): string[] {
  const result = spawnSync('rg', ['--files-with-matches', '--no-messages', '-uuu', '--text', '--fixed-strings', MARKER, ...folders], { encoding: 'utf8' });
  assert.ok(result.status === 0 || result.status === 1 || result.status === 2, result.stderr);
  return result.stdout.split('\n').filter(Boolean);
}

let session: Session;
let searched: string[];
before(async () => {
  session = await startSession({
    flow: 'sops-edit',
    workspaceFrom: fleetExample,
    env: { SOPS_AGE_KEY_FILE: KEY_FILE },
    async prepare(workspace) {
      const plaintext = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: podinfo-credentials\n  namespace: podinfo\nstringData:\n  username: podinfo\n  password: ${INITIAL}\n`;
      // Encrypted from a pipe (sops reads /dev/stdin, which must be a pipe, not Node's socket).
      const encrypted = execFileSync(
        'sh',
        ['-c', 'cat | "$0" --encrypt --age "$1" --encrypted-regex "^(data|stringData)$" --input-type yaml --output-type yaml /dev/stdin', sops(), RECIPIENT],
        { input: plaintext, encoding: 'utf8' },
      );
      await mkdir(join(workspace, 'apps/production'), { recursive: true });
      await writeFile(join(workspace, SECRET), encrypted);
    },
  });
  searched = [session.workspace, session.codeServer.root, tmpdir(), join(homedir(), '.local/share/code-server')];
});
afterEach(async (t) => {
  await session?.workbench.shotAfter(t.name);
});
after(async () => {
  await session?.close();
});

test('an encrypted Secret is edited through "Edit decrypted" and saved encrypted, with no plaintext on disk', { timeout: 180_000 }, async () => {
  const { workbench, workspace } = session;
  const path = join(workspace, SECRET);
  const before = await readFile(path, 'utf8');
  assert.ok(!before.includes(INITIAL));

  await workbench.openFile(SECRET);
  const lens = workbench.editor.locator('.codelens-decoration a', { hasText: 'Edit decrypted' });
  await lens.waitFor();
  await workbench.editor.locator('.codelens-decoration', { hasText: 'A local age key can decrypt' }).waitFor();
  await workbench.shot('encrypted-secret-with-codelens');

  await lens.click();
  const value = workbench.editor.locator('.view-lines span', { hasText: INITIAL }).last();
  await value.waitFor();
  // The tab and the status bar say this is plaintext; the language still follows the file's extension.
  await workbench.page.locator('.tab.active[data-resource-name="podinfo-credentials (decrypted).yaml"]').waitFor();
  const statusBar = workbench.page.locator('.statusbar');
  await statusBar.locator('.statusbar-item', { hasText: 'SOPS: decrypted in memory' }).waitFor();
  await statusBar.locator('[id="status.editor.mode"]', { hasText: 'YAML' }).waitFor();
  await workbench.shot('decrypted-in-memory');

  await value.dblclick();
  await workbench.type(MARKER);
  // Long enough for VS Code to write a hot-exit backup of a dirty editor (it does about a second after
  // a change, for any scheme), were the editor left dirty.
  await workbench.page.waitForTimeout(3000);
  await workbench.shot('edited');
  assert.deepEqual(filesWithMarker(searched), [], 'plaintext of the dirty editor reached the disk');

  await workbench.save();
  const saved = await readFile(path, 'utf8');
  await workbench.shot('saved');
  assert.ok(!saved.includes(MARKER) && !saved.includes(INITIAL), 'the saved file holds plaintext');
  assert.match(saved, /^ +password: ENC\[AES256_GCM,/m);
  // The untouched value keeps its ciphertext (same data key and IV).
  const username = (text: string): string | undefined => /^ +username: (ENC\[.*\])$/m.exec(text)?.[1];
  assert.equal(username(saved), username(before));
  const decrypted = sopsDecrypt(path);
  assert.match(decrypted, new RegExp(`^ +password: ${MARKER}$`, 'm'));
  assert.match(decrypted, /^ +username: podinfo$/m);

  await workbench.command('View: Close Editor');
  await workbench.page.locator('.tab.active[data-resource-name="podinfo-credentials.yaml"]').waitFor();
  assert.deepEqual(filesWithMarker(searched), [], 'plaintext reached the disk');
  await workbench.shot('decrypted-editor-closed');
});
