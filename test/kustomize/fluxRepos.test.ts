// Flux's part of the build, on every Flux Kustomization of the shared repositories: ours (fluxBuild) against
// the real kustomize run on a copy of the repository where the folder's kustomization has been rewritten as
// kustomize-controller writes it (spec.targetNamespace, namePrefix, nameSuffix, patches, components, images;
// generated when the folder has none), then spec.commonMetadata set on the output. spec.path is taken
// relative to the repository root; Kustomizations whose path is substituted (`${...}`) or lives in
// another source (an ExternalArtifact, another repository's OCI artifact) cannot be built from here:
// both must then fail to find it.
import { strict as assert } from 'node:assert';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { stringify } from 'yaml';
import { fluxBuild, specFolder } from '../../server/src/kustomize/fluxBuild';
import { IgnoreMatcher } from '../../server/src/kustomize/sourceIgnore';
import { isMap, type Value, type ValueMap } from '../../server/src/kustomize/values';
import { parseYamlDocuments } from '../../server/src/kustomize/yamlValues';
import { compareObjectSets, diskReader, realKustomizeBuild, reposDir } from './support';

const scratch = mkdtempSync(join(tmpdir(), 'flux-repos-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === '.git' ? [] : yamlFiles(full);
    return /\.ya?ml$/.test(e.name) ? [full] : [];
  });
}

/** Every Flux Kustomization object of a repository, parsed with origins. */
function fluxKustomizations(repo: string): { file: string; object: ValueMap }[] {
  const found: { file: string; object: ValueMap }[] = [];
  for (const file of yamlFiles(repo)) {
    const parsed = parseYamlDocuments(file, readFileSync(file, 'utf8'));
    for (const doc of parsed.documents) {
      const value = doc.value;
      if (isMap(value) && value.kind === 'Kustomization' && String(value.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/')) found.push({ file, object: value });
    }
  }
  return found;
}

/** The kustomization kustomize-controller writes into spec.path (independent of ours: plain objects in, YAML out). */
function fluxWrittenKustomization(dir: string, spec: Record<string, unknown>): Record<string, unknown> {
  const existing = KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((f) => existsSync(f));
  let k: Record<string, unknown>;
  if (existing) {
    k = parseYamlDocuments(existing, readFileSync(existing, 'utf8'), { yaml11: true }).documents[0]!.value as Record<string, unknown>;
    k = JSON.parse(JSON.stringify(k)) as Record<string, unknown>;
  } else {
    const ignore = IgnoreMatcher.forFolder(diskReader, dir, typeof spec.ignore === 'string' ? spec.ignore : undefined);
    const resources: string[] = [];
    const walk = (folder: string) => {
      for (const e of readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = join(folder, e.name);
        if (e.isDirectory()) {
          if (KUSTOMIZATION_FILES.some((n) => existsSync(join(full, n)))) resources.push(`./${relative(dir, full)}`);
          else walk(full);
        } else if (/\.ya?ml$/.test(e.name) && !ignore.ignores(full, false)) resources.push(`./${relative(dir, full)}`);
      }
    };
    walk(dir);
    k = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...(resources.length ? { resources } : { namespace: '_placeholder' }) };
  }
  if (typeof spec.targetNamespace === 'string') k.namespace = spec.targetNamespace;
  if (typeof spec.namePrefix === 'string') k.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === 'string') k.nameSuffix = spec.nameSuffix;
  if (Array.isArray(spec.patches)) k.patches = [...((k.patches as unknown[]) ?? []), ...spec.patches.map((p: { patch?: string; target?: unknown }) => ({ patch: p.patch, ...(p.target ? { target: p.target } : {}) }))];
  if (Array.isArray(spec.components)) {
    const kept = spec.components.filter((c: string) => !(spec.ignoreMissingComponents === true && !existsSync(join(dir, c))));
    k.components = [...((k.components as unknown[]) ?? []), ...kept];
  }
  if (Array.isArray(spec.images)) k.images = [...((k.images as unknown[]) ?? []), ...spec.images];
  return k;
}

function setCommonMetadata(objects: ValueMap[], commonMetadata: unknown): void {
  if (!commonMetadata || typeof commonMetadata !== 'object') return;
  for (const field of ['labels', 'annotations'] as const) {
    const pairs = (commonMetadata as Record<string, Record<string, string> | undefined>)[field];
    if (!pairs) continue;
    for (const obj of objects) {
      const meta = (obj.metadata ??= {}) as ValueMap;
      meta[field] = { ...((meta[field] as ValueMap) ?? {}), ...pairs };
    }
  }
}

test('every Flux Kustomization of the shared repositories builds as kustomize-controller builds it', { timeout: 20 * 60_000 }, () => {
  let identical = 0;
  let unreachable = 0;
  const different: string[] = [];
  for (const repo of readdirSync(reposDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => join(reposDir, e.name))) {
    const copy = join(scratch, relative(reposDir, repo));
    cpSync(repo, copy, { recursive: true });
    for (const { file, object } of fluxKustomizations(repo)) {
      const spec = JSON.parse(JSON.stringify(object.spec ?? {})) as Record<string, Value>;
      const where = `${relative(reposDir, file)} ${String((object.metadata as ValueMap | undefined)?.name)}`;
      const ours = fluxBuild(diskReader, { sourceRoot: repo, kustomization: object });
      const error = ours.problems.find((p) => p.severity === 'error');
      const dir = specFolder(copy, String(spec.path ?? ''));
      if (String(spec.path).includes('${') || !existsSync(dir)) {
        if (error?.message.startsWith('kustomization path not found')) unreachable++;
        else different.push(`${where}: path ${String(spec.path)} is not in this repository, but ours ${error ? `fails with ${error.message}` : 'builds'}`);
        continue;
      }
      // Rewrite the copy's kustomization as Flux would, build it, restore the folder.
      const saved = KUSTOMIZATION_FILES.map((name) => join(dir, name)).filter((f) => existsSync(f));
      const written = fluxWrittenKustomization(dir, spec);
      for (const f of saved) renameSync(f, `${f}.original`);
      writeFileSync(join(dir, 'kustomization.yaml'), stringify(written));
      const real = realKustomizeBuild(dir);
      rmSync(join(dir, 'kustomization.yaml'));
      for (const f of saved) renameSync(`${f}.original`, f);
      if (!real.ok) {
        if (!error) different.push(`${where}: kustomize fails (${real.error.slice(0, 200)}) but ours builds`);
        else identical++;
        continue;
      }
      if (error) {
        different.push(`${where}: ours fails: ${error.message} (${relative(reposDir, error.origin.file)})`);
        continue;
      }
      setCommonMetadata(real.objects, spec.commonMetadata);
      const comparison = compareObjectSets(ours.objects as ValueMap[], real.objects);
      if (comparison.onlyOurs.length + comparison.onlyTheirs.length + comparison.different.length === 0) identical++;
      else different.push(`${where}: ${JSON.stringify(comparison).slice(0, 600)}`);
    }
  }
  console.log(`Flux differential: ${identical} Flux Kustomizations identical, ${unreachable} with a path outside their repository (both fail), ${different.length} different`);
  assert.deepEqual(different, []);
  assert.ok(identical > 250, `expected most of the ~330 Flux Kustomizations to be built, got ${identical}`);
});
