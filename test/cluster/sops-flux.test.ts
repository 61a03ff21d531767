// The real kustomize-controller (v1.9.5, which vendors sops 3.13.2) decrypts what our in-process SOPS engine
// writes: Secrets and a multi-document file under Flux's usual `encrypted_regex`, default-rule YAML, JSON,
// binary and dotenv files behind a secretGenerator, and a file re-encrypted through the minimal-diff edit
// path. The default rule goes through a secretGenerator because a resource encrypted whole cannot work in
// Flux: its kind and name are ciphertext, and the kustomize build fails before any decryption.
// Flux does not check the MAC, so this proves Flux interop only; `sops -d` interop is test/sops/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { CoreV1Api, type KubernetesObject } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { decrypt, reencrypt } from '../../server/src/sops/stores/yaml';
import { encryptFileContent } from '../../server/src/sops/files';
import { nodeSopsIo } from '../../server/src/sops/io';
import type { Identities } from '../../server/src/sops/keys';
import { createEnv, type ClusterEnv, type Manifest } from './env';

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface Kustomization extends KubernetesObject {
  status?: { conditions?: Condition[]; lastAppliedRevision?: string; lastHandledReconcileAt?: string };
}

const ready = (obj: Kustomization): Condition | undefined => obj.status?.conditions?.find((c) => c.type === 'Ready');
// No environment: nothing of this machine's sops keys or settings leaks into the run.
const io = nodeSopsIo({});
// Unique per run, so a value seen in the cluster can only have come from this run's decryption.
const marker = (name: string): string => `${name}-${randomBytes(6).toString('hex')}`;

const password = marker('password');
const token = marker('token');
const apiKey = marker('api-key');
const endpoint = marker('https://db');
const envToken = marker('env-token');
const configHost = marker('db.internal');
const certLine = randomBytes(24).toString('base64');
// Every shape of value a Secret commonly holds: unicode, empty, a multi-line block, base64 data.
const secretValues = (pw: string): Record<string, string> => ({
  username: 'flux',
  password: pw,
  greeting: 'grüße ✓',
  empty: '',
  'ca.crt': `-----BEGIN CERTIFICATE-----\n${certLine}\n-----END CERTIFICATE-----\n`,
  token,
});

const secretYaml = `apiVersion: v1
kind: Secret
metadata:
  name: db-credentials
type: Opaque
stringData:
  username: flux
  password: ${password}
  greeting: "grüße ✓"
  empty: ""
  ca.crt: |
    -----BEGIN CERTIFICATE-----
    ${certLine}
    -----END CERTIFICATE-----
data:
  token: ${Buffer.from(token).toString('base64')}
`;

const bundleYaml = `apiVersion: v1
kind: ConfigMap
metadata:
  name: app-settings
data:
  endpoint: ${endpoint}
  # the mode the app starts in
  mode: "production"
---
apiVersion: v1
kind: Secret
metadata:
  name: api-key
stringData:
  key: ${apiKey}
`;

const configYaml = `server:
  host: ${configHost}
  port: 5432
tls: true
`;

const kustomizationFile = (body: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

const settingsJson = { features: ['a', 'b'], retries: 3, endpoint };
const blob = randomBytes(64);

let env: ClusterEnv;
let identities: Identities;
let encryptedSecret: string;
const decryption = { provider: 'sops', secretRef: { name: 'sops-age' } };

before(async () => {
  // X25519 explicitly: generateIdentity() may switch to post-quantum identities, which the engine refuses.
  const identity = await generateX25519Identity();
  const recipients = [await identityToRecipient(identity)];
  identities = { keys: [identity], searched: [], unsupported: [] };
  // The CLI's path: the store follows the extension; no --encrypted-regex means sops' default rule.
  const seal = (path: string, content: string | Uint8Array, encryptedRegex?: string): Promise<string> =>
    encryptFileContent(path, typeof content === 'string' ? Buffer.from(content) : content, io, { recipients, encryptedRegex });
  const fluxRegex = '^(data|stringData)$';
  encryptedSecret = await seal('secret.yaml', secretYaml, fluxRegex);
  env = await createEnv('sops-flux', {
    files: {
      'secret/kustomization.yaml': kustomizationFile('resources:\n- secret.yaml\n- bundle.yaml\n'),
      'secret/secret.yaml': encryptedSecret,
      'secret/bundle.yaml': await seal('bundle.yaml', bundleYaml, fluxRegex),
      'generated/kustomization.yaml': kustomizationFile(
        'generatorOptions:\n  disableNameSuffixHash: true\nsecretGenerator:\n- name: app-config\n  files:\n  - config.yaml\n  - settings.json\n  - blob.bin\n  envs:\n  - app.env\n',
      ),
      'generated/config.yaml': await seal('config.yaml', configYaml),
      'generated/settings.json': await seal('settings.json', JSON.stringify(settingsJson, null, 2)),
      'generated/blob.bin': await seal('blob.bin', blob),
      'generated/app.env': await seal('app.env', `API_TOKEN=${envToken}\nLOG_LEVEL=debug\n`),
      // The very same encrypted Secret, for a Kustomization that does not decrypt.
      'plain/kustomization.yaml': kustomizationFile('resources:\n- secret.yaml\n'),
      'plain/secret.yaml': encryptedSecret,
    },
  });
  // The identity reaches the API server only, as Flux users create it (`age.agekey` in Secret sops-age).
  await env.apply({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'sops-age' }, stringData: { 'age.agekey': `${identity}\n` } } as KubernetesObject);
  const { gitRepository } = env.fluxObjects();
  await env.apply(gitRepository);
  await env.waitFor(gitRepository, (o: Kustomization) => ready(o)?.status === 'True', 'GitRepository Ready=True');
});
after(async () => {
  await env?.dispose();
});

function kustomization(name: string, path: string, withDecryption: boolean): Manifest {
  const ks = env.fluxObjects(path).kustomization;
  return { ...ks, metadata: { ...ks.metadata, name }, spec: { ...ks.spec, ...(withDecryption ? { decryption } : {}) } };
}

async function appliedAt(ks: Manifest, revision: string): Promise<Kustomization> {
  const done = await env.waitFor<Kustomization>(
    ks,
    (o) => ready(o)?.status === 'True' && o.status?.lastAppliedRevision === revision,
    `Ready=True having applied ${revision}`,
  );
  assert.equal(ready(done)?.message, `Applied revision: ${revision}`);
  return done;
}

async function secretBytes(name: string): Promise<Record<string, Buffer>> {
  const core = env.kubeConfig().makeApiClient(CoreV1Api);
  const secret = await core.readNamespacedSecret({ name, namespace: env.namespace });
  return Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]));
}

async function secretData(name: string): Promise<Record<string, string>> {
  return Object.fromEntries(Object.entries(await secretBytes(name)).map(([k, v]) => [k, v.toString('utf8')]));
}

test('kustomize-controller decrypts a Secret and a multi-document file encrypted with encrypted_regex ^(data|stringData)$', async () => {
  assert.ok(!encryptedSecret.includes(password) && !encryptedSecret.includes(Buffer.from(token).toString('base64')), 'the pushed Secret is encrypted');
  const ks = kustomization('secrets', './secret', true);
  await env.apply(ks);
  await appliedAt(ks, env.head!.revision);
  assert.deepEqual(await secretData('db-credentials'), secretValues(password));
  assert.deepEqual(await secretData('api-key'), { key: apiKey });
  const core = env.kubeConfig().makeApiClient(CoreV1Api);
  const settings = await core.readNamespacedConfigMap({ name: 'app-settings', namespace: env.namespace });
  assert.deepEqual(settings.data, { endpoint, mode: 'production' });
});

test('kustomize-controller decrypts default-rule YAML, JSON, binary and dotenv files behind a secretGenerator', async () => {
  const ks = kustomization('generated', './generated', true);
  await env.apply(ks);
  await appliedAt(ks, env.head!.revision);
  const data = await secretBytes('app-config');
  assert.deepEqual(Object.keys(data).sort(), ['API_TOKEN', 'LOG_LEVEL', 'blob.bin', 'config.yaml', 'settings.json']);
  assert.equal(data.API_TOKEN!.toString(), envToken);
  assert.equal(data.LOG_LEVEL!.toString(), 'debug');
  assert.ok(data['blob.bin']!.equals(blob), 'binary file decrypts to its exact bytes');
  // Flux writes YAML and JSON back through sops' stores: the same values, sops' formatting.
  assert.deepEqual(parse(data['config.yaml']!.toString()), { server: { host: configHost, port: 5432 }, tls: true });
  assert.deepEqual(JSON.parse(data['settings.json']!.toString()), settingsJson);
});

test('without spec.decryption the same file fails with the message our sops-decryption-missing diagnostic predicts', async () => {
  // The language server reports this case as `sops-decryption-missing` (README, "Flux checks") before a push.
  const ks = kustomization('no-decryption', './plain', false);
  await env.apply(ks);
  const failed = await env.waitFor<Kustomization>(ks, (o) => ready(o)?.status === 'False', 'Ready=False');
  assert.equal(ready(failed)?.reason, 'ReconciliationFailed');
  assert.match(
    ready(failed)?.message ?? '',
    new RegExp(`Secret/${env.namespace}/db-credentials is SOPS encrypted, configuring decryption is required for this secret to be reconciled`),
  );
  assert.equal(failed.status?.lastAppliedRevision, undefined);
});

test('an edit through the minimal-diff path reaches the cluster after a reconcile', async () => {
  const ks = kustomization('secrets', './secret', true);
  await env.apply(ks);
  await appliedAt(ks, env.head!.revision);
  const original = await decrypt(encryptedSecret, identities);
  const newPassword = marker('rotated');
  assert.ok(original.plaintext.includes(`password: ${password}`));
  const edited = reencrypt(original, original.plaintext.replace(`password: ${password}`, `password: ${newPassword}`), io);
  const before = encryptedSecret.split('\n');
  assert.equal(edited.split('\n').length, before.length);
  const changed = edited
    .split('\n')
    .map((line, i) => [line, before[i]] as const)
    .filter(([line, old]) => line !== old)
    .map(([line]) => line.trim().split(':')[0]);
  assert.deepEqual(changed, ['password', 'lastmodified', 'mac'], 'only the edited value, lastmodified and mac change');

  const commit = await env.pushCommit({ 'secret/secret.yaml': edited }, 'rotate the password');
  const { gitRepository } = env.fluxObjects();
  for (const obj of [gitRepository, ks]) {
    const requestedAt = new Date().toISOString();
    await env.mergePatch(obj, { metadata: { annotations: { 'reconcile.fluxcd.io/requestedAt': requestedAt } } });
    await env.waitFor<Kustomization>(obj, (o) => o.status?.lastHandledReconcileAt === requestedAt && ready(o)?.status === 'True', `reconcile ${requestedAt} handled`);
  }
  await appliedAt(ks, commit.revision);
  assert.deepEqual(await secretData('db-credentials'), secretValues(newPassword));
});
