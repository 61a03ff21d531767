import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity } from 'vscode-languageserver';
import { fixesOf } from '../../../server/src/features/quickFix';
import { codes, engineWithCrds, open } from './helpers';

const KUSTOMIZATION = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

test('a valid Flux object has no diagnostics', async () => {
  const engine = await engineWithCrds('v2.9');
  assert.deepEqual(engine.diagnostics(open(engine, KUSTOMIZATION)), []);
});

test('each schema problem gets its stable code, at the offending node', async () => {
  const engine = await engineWithCrds('v2.9');
  const text = KUSTOMIZATION.replace('interval: 10m', 'interval: 10 minutes')
    .replace('prune: true', 'prune: sometimes\n  prnue: true')
    .replace('kind: GitRepository', 'kind: GitRepo')
    .replace('path: ./apps', 'path: 5')
    .replace('    name: flux-system\n', '');
  const diagnostics = engine.diagnostics(open(engine, text));
  assert.deepEqual(codes(diagnostics), ['7:pattern-mismatch', '8:wrong-type', '9:wrong-type', '10:unknown-field', '11:missing-required', '12:invalid-enum']);
  const byCode = (code: string) => diagnostics.find((d) => d.code === code)!;
  assert.match(String(byCode('pattern-mismatch').message), /Invalid duration "10 minutes"/);
  assert.equal(byCode('unknown-field').severity, DiagnosticSeverity.Warning);
  assert.match(String(byCode('unknown-field').message), /did you mean "prune"/);
  assert.deepEqual(fixesOf(byCode('unknown-field'))[0]!.edits[0]!.newText, 'prune');
  assert.match(String(byCode('missing-required').message), /"name" in spec.sourceRef/);
  assert.deepEqual(byCode('unknown-field').range, { start: { line: 9, character: 2 }, end: { line: 9, character: 7 } });
});

test('${...} values are exempt from type and pattern checks, unless the policy says the file is not substituted', async () => {
  const engine = await engineWithCrds('v2.9');
  const text = KUSTOMIZATION.replace('interval: 10m', 'interval: ${INTERVAL:=10m}').replace('prune: true', 'prune: ${PRUNE}');
  const uri = open(engine, text);
  assert.deepEqual(engine.diagnostics(uri), []);
  engine.setSubstitutionPolicy((u) => u !== uri);
  assert.deepEqual(codes(engine.diagnostics(uri)), ['7:pattern-mismatch', '9:wrong-type']);
  engine.setSubstitutionPolicy(undefined);
  assert.deepEqual(engine.diagnostics(uri), []);
});

test('preserve-unknown-fields (HelmRelease values) and int-or-string are honoured', async () => {
  const engine = await engineWithCrds('v2.9');
  const text = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: app, namespace: apps}
spec:
  interval: 1h
  chart:
    spec:
      chart: app
      sourceRef: {kind: HelmRepository, name: charts}
  values:
    anything: {goes: [1, true, "x"]}
---
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  ports:
    - port: 80
      targetPort: http
    - port: 81
      targetPort: 8081
    - port: 82
      targetPort: true
`;
  assert.deepEqual(codes(engine.diagnostics(open(engine, text))), ['23:wrong-type']);
});

test('built-in kinds are validated from the generated Kubernetes schemas', async () => {
  const engine = await engineWithCrds();
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {tier: 1}
spec:
  replicas: "3"
  selector: {matchLabels: {app: web}}
  template:
    spec:
      containers:
        - image: nginx
          resources: {limits: {cpu: 1, memory: 128Mi}}
`;
  assert.deepEqual(codes(engine.diagnostics(open(engine, text))), ['5:wrong-type', '7:wrong-type', '12:missing-required']);
});

test('kinds without a schema get no schema errors; YAML errors are always reported', async () => {
  const engine = await engineWithCrds('v2.9');
  const unknown = 'apiVersion: example.com/v1\nkind: Widget\nspec: {whatever: [1, 2]}\n';
  assert.deepEqual(engine.diagnostics(open(engine, unknown)), []);
  const broken = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: [1, 2\n';
  assert.deepEqual([...new Set(codes(engine.diagnostics(open(engine, broken))).map((c) => c.split(':')[1]))], ['yaml-syntax']);
});

test('HelmRelease under source.toolkit.fluxcd.io is flagged with a fix to helm.toolkit.fluxcd.io/v2', async () => {
  const engine = await engineWithCrds();
  const uri = open(engine, 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRelease\nmetadata: {name: x}\n');
  const [d] = engine.diagnostics(uri);
  assert.equal(d?.code, 'kind-not-in-group');
  assert.equal(d?.severity, DiagnosticSeverity.Error);
  const [action] = engine.codeActions(uri, d!.range, [d!]);
  assert.equal(action?.title, 'Change apiVersion to helm.toolkit.fluxcd.io/v2');
  assert.deepEqual(action?.edit?.changes?.[uri], [{ range: { start: { line: 0, character: 12 }, end: { line: 0, character: 39 } }, newText: 'helm.toolkit.fluxcd.io/v2' }]);
  // A Flux kind in a core group is flagged too; a kind that Flux does not have is left alone.
  assert.deepEqual(codes(engine.diagnostics(open(engine, 'apiVersion: v1\nkind: GitRepository\n'))), ['1:kind-not-in-group']);
  assert.deepEqual(engine.diagnostics(open(engine, 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n')), []);
});

test('apiVersions: CRDs decide served/deprecated; without CRDs the Flux knowledge says removed', async () => {
  const withOld = await engineWithCrds('v2.6');
  const deprecated = withOld.diagnostics(open(withOld, 'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: x}\n'));
  assert.deepEqual(codes(deprecated), ['1:apiversion-deprecated']);
  assert.equal(fixesOf(deprecated[0]!)[0]!.edits[0]!.newText, 'helm.toolkit.fluxcd.io/v2');

  const withNew = await engineWithCrds('v2.9');
  const notServed = withNew.diagnostics(open(withNew, 'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: x}\n'));
  assert.deepEqual(codes(notServed), ['1:apiversion-not-served']);
  assert.equal(notServed[0]!.severity, DiagnosticSeverity.Error);

  const none = await engineWithCrds();
  const removed = none.diagnostics(open(none, 'apiVersion: source.toolkit.fluxcd.io/v1beta2\nkind: GitRepository\nmetadata: {name: x}\n'));
  assert.deepEqual(codes(removed), ['1:apiversion-removed']);
  assert.equal(removed[0]!.severity, DiagnosticSeverity.Warning);
  assert.deepEqual(codes(none.diagnostics(open(none, 'apiVersion: source.toolkit.fluxcd.io/v7\nkind: GitRepository\n'))), ['1:apiversion-unknown']);
});

test('unknown enum value close to an allowed one gets a fix', async () => {
  const engine = await engineWithCrds('v2.9');
  const uri = open(engine, KUSTOMIZATION.replace('kind: GitRepository', 'kind: GitRepositroy'));
  const [d] = engine.diagnostics(uri);
  assert.equal(d?.code, 'invalid-enum');
  assert.equal(fixesOf(d!)[0]?.edits[0]?.newText, 'GitRepository');
});

test('a key given twice in one mapping is an error, at the second occurrence', async () => {
  const engine = await engineWithCrds();
  const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: b\ndata:\n  x: "1"\n  y: "2"\n  x: "3"\n';
  assert.deepEqual(codes(engine.diagnostics(open(engine, text))), ['5:duplicate-key', '9:duplicate-key']);
});

test('SOPS-encrypted objects: the sops block is not a field, ENC[...] values stand for any type', async () => {
  const engine = await engineWithCrds('v2.9');
  const encrypted = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: k}
spec:
  interval: 1m
  prune: ENC[AES256_GCM,data:dHJ1ZQ==,iv:AAAA,tag:BBBB,type:bool]
  sourceRef: {kind: GitRepository, name: x}
sops:
  mac: ENC[AES256_GCM,data:x,iv:y,tag:z,type:str]
  lastmodified: "2025-07-06T17:19:51Z"
`;
  assert.deepEqual(engine.diagnostics(open(engine, encrypted)), []);
  // Without the sops block, both are what they look like.
  const plain = encrypted.slice(0, encrypted.indexOf('sops:'));
  assert.deepEqual(codes(engine.diagnostics(open(engine, plain))), ['6:wrong-type']);
  assert.deepEqual(codes(engine.diagnostics(open(engine, plain + 'sops: 1\n'))), ['6:wrong-type', '8:unknown-field']);
});

test('a kind the live cluster does not serve in a group it knows is flagged; without live CRDs it is not', async () => {
  const engine = await engineWithCrds();
  const text = 'apiVersion: cert-manager.io/v1\nkind: Certificat\nmetadata: {name: c}\n';
  const uri = open(engine, text);
  assert.deepEqual(engine.diagnostics(uri), []);
  const crd = (kind: string) => ({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: { group: 'cert-manager.io', names: { kind }, scope: 'Namespaced', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }] },
  });
  void engine.setLiveCrds('prod', [crd('Certificate'), crd('Issuer')]);
  const [d] = engine.diagnostics(uri);
  assert.equal(d?.code, 'kind-not-in-group');
  assert.match(String(d?.message), /serves no kind Certificat in group cert-manager\.io \(it has Certificate, Issuer\)/);
});
