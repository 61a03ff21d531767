// Workspace trust in the client: the gate opens once, when trust is granted, and starts what waited for
// it without a reload; commands that need trust refuse until then; in Restricted Mode the cluster
// feature reads no kubeconfig and SOPS decryption (commands and restored decrypted editors alike)
// reads no key, and both work once trust is granted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FluxContext } from '../../../client/src/context';
import { RESTRICTED_MESSAGES, RestrictedModeError, TrustGate, gatedCommand, type RestrictedFeature, type TrustSource } from '../../../client/src/trust';
import { encrypt } from '../../../server/src/sops/stores/yaml';
import { DEFAULT_RULE } from '../../../server/src/sops/metadata';
import { keyFile, memoryIo, recipient } from '../../sops/support';
import { withVscodeStub } from './vscodeStub';

/** VS Code's trust as extension.ts passes it in: a flag and the grant event. */
function trustSource(trusted: boolean): TrustSource & { grant(): void; listeners(): number } {
  const listeners = new Set<() => void>();
  return {
    get isTrusted() {
      return trusted;
    },
    onDidGrant(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    grant() {
      trusted = true;
      for (const l of [...listeners]) l();
    },
    listeners: () => listeners.size,
  };
}

test('a trusted workspace starts at once; an untrusted one starts once, when trust is granted, and not before', () => {
  const trusted = new TrustGate(trustSource(true));
  let runs = 0;
  trusted.whenTrusted(() => runs++);
  assert.equal(runs, 1);

  const source = trustSource(false);
  const gate = new TrustGate(source);
  gate.whenTrusted(() => runs++);
  assert.equal(runs, 1);
  assert.equal(gate.trusted, false);
  source.grant();
  assert.equal(runs, 2);
  assert.equal(gate.trusted, true);
  // VS Code fires the event again if trust is granted again (say, to the parent folder): still once.
  source.grant();
  assert.equal(runs, 2);
  assert.equal(source.listeners(), 0, 'the grant listener is removed once it ran');
});

test('a start disposed before trust is granted never runs', () => {
  const source = trustSource(false);
  let runs = 0;
  new TrustGate(source).whenTrusted(() => runs++).dispose();
  source.grant();
  assert.equal(runs, 0);
});

test('require throws RestrictedModeError with the reason until trust is granted', () => {
  const source = trustSource(false);
  const gate = new TrustGate(source);
  for (const feature of ['cluster', 'decryption'] as const) {
    assert.throws(() => gate.require(feature), (e: unknown) => e instanceof RestrictedModeError && e.feature === feature && e.message === RESTRICTED_MESSAGES[feature]);
  }
  assert.match(RESTRICTED_MESSAGES.cluster, /^Cluster features are disabled in Restricted Mode/);
  source.grant();
  gate.require('cluster');
  gate.require('decryption');
});

test('a command that needs trust refuses (with its feature) until trust is granted, then runs with its arguments', () => {
  const source = trustSource(false);
  const gate = new TrustGate(source);
  const ran: unknown[][] = [];
  const refused: RestrictedFeature[] = [];
  const command = gatedCommand(gate, 'decryption', (...args) => ran.push(args), (feature) => refused.push(feature));
  const free = gatedCommand(gate, undefined, (...args) => ran.push(args), (feature) => refused.push(feature));
  command('file.yaml');
  free('free.yaml');
  assert.deepEqual(refused, ['decryption']);
  assert.deepEqual(ran, [['free.yaml']]);
  source.grant();
  command('file.yaml');
  assert.deepEqual(ran, [['free.yaml'], ['file.yaml']]);
  assert.deepEqual(refused, ['decryption']);
});

test('the SOPS decryption commands need trust; encrypting (no key read) does not; every cluster command does', () => {
  const { COMMANDS } = withVscodeStub(() => require('../../../client/src/commands') as typeof import('../../../client/src/commands'));
  const needs = new Map(COMMANDS.map((c) => [c.id, c.needsTrust]));
  assert.equal(needs.get('fluxGitops.sops.decryptFile'), 'decryption');
  assert.equal(needs.get('fluxGitops.sops.editFile'), 'decryption');
  assert.equal(needs.get('fluxGitops.sops.encryptFile'), undefined);
  assert.equal(needs.get('fluxGitops.showOutput'), undefined);
  for (const [id, feature] of needs) if (id.startsWith('fluxGitops.cluster.')) assert.equal(feature, 'cluster', id);
});

/** The client's FluxContext loaded with the vscode stub: only what the gated paths touch is real. */
function fluxContext(trust: TrustGate): FluxContext {
  const { FluxContext: Context } = withVscodeStub(() => require('../../../client/src/context') as typeof import('../../../client/src/context'));
  const logged: string[] = [];
  const log = { info: (m: string) => logged.push(m), warn: (m: string) => logged.push(m), error: (m: string) => logged.push(m) };
  // The language client and VS Code's extension context are not needed before the gate: partial objects stand in.
  const [extension, client, output] = [{ subscriptions: [] }, {}, log] as unknown as ConstructorParameters<typeof Context>;
  return new Context(extension, client, output, trust);
}

test('in Restricted Mode the cluster feature refuses before it reads a kubeconfig', () => {
  const ctx = fluxContext(new TrustGate(trustSource(false)));
  assert.throws(() => ctx.cluster, RestrictedModeError);
  assert.equal(ctx.extension.subscriptions.length, 0, 'nothing was set up');
});

test('in Restricted Mode a decrypted editor (also one VS Code restores) reads no key; once trust is granted it decrypts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-gitops-trust-'));
  const saved = { key: process.env['SOPS_AGE_KEY'], config: process.env['XDG_CONFIG_HOME'] };
  try {
    // The only key is in the environment; the user config folder is empty.
    process.env['SOPS_AGE_KEY'] = readFileSync(keyFile, 'utf8');
    process.env['XDG_CONFIG_HOME'] = dir;
    const file = join(dir, 'secret.yaml');
    writeFileSync(file, await encrypt('kind: Secret\nstringData:\n  token: T0P-SECRET\n', { keyGroups: [[recipient]], rule: DEFAULT_RULE }, memoryIo()));
    const source = trustSource(false);
    const { sessions } = fluxContext(new TrustGate(source)).sops;
    for (const mode of ['edit', 'view'] as const) {
      await assert.rejects(sessions.read(mode, file), (e: unknown) => e instanceof RestrictedModeError && e.feature === 'decryption');
      assert.equal(sessions.isOpen(mode, file), false);
    }
    source.grant();
    assert.match(Buffer.from(await sessions.read('view', file)).toString('utf8'), /token: T0P-SECRET/);
  } finally {
    for (const [name, value] of [['SOPS_AGE_KEY', saved.key], ['XDG_CONFIG_HOME', saved.config]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
