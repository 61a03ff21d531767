// Differential test of our kustomize build against the real kustomize v5.8.2 (test/setup/kustomize.sh):
// every folder holding a kustomization file in every repository under ../shared/fixtures/repos is built by
// both, and the objects compared as sets (identity apiVersion/kind/namespace/name, content deep-equal; the
// CLI orders objects its own way). A folder kustomize cannot build must fail in ours with the same error,
// unless it is listed below with the reason we accept the difference.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { kustomizeBuild } from '../../server/src/kustomize/build';
import { compareObjectSets, diskReader, kustomizationFolders, kustomizeBinary, parseObjects, realKustomizeBuild, reposDir } from './support';

const run = promisify(execFile);

/**
 * Folders where kustomize fails and ours builds, with a note saying what it left out. Keys are folders
 * relative to ../shared/fixtures/repos.
 */
const ACCEPTED: Record<string, { readonly kustomize: RegExp; readonly note: string; readonly reason: string }> = {
  'budimanjojo-home-cluster/cluster/bootstrap': {
    kustomize: /accumulating resources from 'github\.com\/fluxcd\/flux2\/manifests\/install\?ref=v2\.7\.5'/,
    note: 'remote resource',
    reason: 'a remote base (github.com/fluxcd/flux2/manifests/install): kustomize cannot fetch it offline either; we leave it out with a note',
  },
  'budimanjojo-home-cluster/talos/cni': {
    kustomize: /must specify --enable-helm/,
    note: 'helmCharts',
    reason: 'helmCharts: kustomize (and kustomize-controller) refuse them without --enable-helm; we leave the chart out with a note',
  },
  'budimanjojo-home-cluster/talos/kubelet-csr-approver': {
    kustomize: /must specify --enable-helm/,
    note: 'helmCharts',
    reason: 'helmCharts, as above',
  },
  'budimanjojo-home-cluster/talos': {
    kustomize: /must specify --enable-helm/,
    note: 'helmCharts',
    reason: 'includes the two helmCharts folders above',
  },
};

interface Outcome {
  readonly folder: string;
  readonly verdict: 'identical' | 'accepted' | 'different';
  readonly detail: string;
}

async function realBuild(dir: string): Promise<{ ok: true; out: string } | { ok: false; error: string }> {
  try {
    const { stdout } = await run(kustomizeBinary, ['build', '--load-restrictor', 'LoadRestrictionsNone', dir], { maxBuffer: 256 * 1024 * 1024 });
    return { ok: true, out: stdout };
  } catch (error) {
    return { ok: false, error: String((error as { stderr?: unknown }).stderr ?? error) };
  }
}

function compareFolder(dir: string, real: Awaited<ReturnType<typeof realBuild>>): Outcome {
  const folder = relative(reposDir, dir);
  const ours = kustomizeBuild(diskReader, dir);
  const error = ours.problems.find((p) => p.severity === 'error');
  const accepted = ACCEPTED[folder];
  if (!real.ok) {
    if (accepted) {
      const noted = ours.unsupported.some((n) => n.feature === accepted.note);
      const ok = accepted.kustomize.test(real.error) && !error && noted;
      return { folder, verdict: ok ? 'accepted' : 'different', detail: ok ? accepted.reason : `expected kustomize to fail with ${accepted.kustomize} and ours to note ${accepted.note}; kustomize: ${real.error.slice(0, 300)}; ours: ${error?.message ?? `notes ${ours.unsupported.map((n) => n.feature).join(', ')}`}` };
    }
    return { folder, verdict: error ? 'identical' : 'different', detail: `kustomize fails: ${real.error.slice(0, 300)}; ours: ${error?.message ?? 'builds'}` };
  }
  if (accepted) return { folder, verdict: 'different', detail: 'listed as accepted but kustomize builds it: remove it from ACCEPTED' };
  if (error) return { folder, verdict: 'different', detail: `ours fails: ${error.message} (${relative(reposDir, error.origin.file)}@${error.origin.start})` };
  const comparison = compareObjectSets(ours.objects, parseObjects(real.out));
  const same = comparison.onlyOurs.length + comparison.onlyTheirs.length + comparison.different.length === 0;
  return {
    folder,
    verdict: same ? 'identical' : 'different',
    detail: same ? '' : `only ours: ${comparison.onlyOurs.join(', ')}; only kustomize's: ${comparison.onlyTheirs.join(', ')}; different: ${comparison.different.map((d) => `${d.id} ${d.path}`).join('; ')}`,
  };
}

test('every kustomization folder of the shared repositories builds as the real kustomize builds it', { timeout: 15 * 60_000 }, async () => {
  const folders = kustomizationFolders(reposDir);
  assert.ok(folders.length > 300, `expected the shared repositories' ~390 kustomization folders, found ${folders.length}`);
  // Two kustomize processes at a time: the machine is shared.
  const reals = new Map<string, Awaited<ReturnType<typeof realBuild>>>();
  let next = 0;
  const worker = async () => {
    while (next < folders.length) {
      const dir = folders[next++]!;
      reals.set(dir, await realBuild(dir));
    }
  };
  await Promise.all([worker(), worker()]);
  const outcomes = folders.map((dir) => compareFolder(dir, reals.get(dir)!));
  const count = (verdict: Outcome['verdict']) => outcomes.filter((o) => o.verdict === verdict).length;
  const failingInBoth = outcomes.filter((o) => o.verdict === 'identical' && !reals.get(`${reposDir}/${o.folder}`)!.ok).length;
  console.log(
    `kustomize differential: ${folders.length} folders, ${count('identical')} identical (${failingInBoth} of them failing in both), ${count('accepted')} accepted differences, ${count('different')} different`,
  );
  for (const o of outcomes.filter((x) => x.verdict === 'accepted')) console.log(`  accepted ${o.folder}: ${o.detail}`);
  const different = outcomes.filter((o) => o.verdict === 'different');
  assert.deepEqual(
    different.map((o) => `${o.folder}: ${o.detail}`),
    [],
  );
  assert.equal(count('accepted'), Object.keys(ACCEPTED).length, 'every accepted difference is still met');
});

/** Transformers written into real kustomizations (appended to each file), to test them on real content. */
const VARIANTS = [
  'namePrefix: pre-\nnameSuffix: -suf\n',
  'commonLabels:\n  extra: label\ncommonAnnotations:\n  extra: annotation\n',
  'namespace: rewritten\n',
  'labels:\n  - pairs:\n      templated: label\n    includeTemplates: true\n',
];

test('a quarter of those folders, each with a prefix/suffix, labels, annotations or a namespace added, builds as kustomize builds it', { timeout: 15 * 60_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'kustomize-variants-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));
  let identical = 0;
  const different: string[] = [];
  for (const repo of readdirSync(reposDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)) {
    const copy = join(scratch, repo);
    cpSync(join(reposDir, repo), copy, { recursive: true });
    kustomizationFolders(copy).forEach((folder, index) => {
      const file = join(folder, 'kustomization.yaml');
      if (index % 4 !== 0 || !existsSync(file)) return;
      const original = readFileSync(file, 'utf8');
      if (/^kind: Component/m.test(original) || relative(scratch, folder) in ACCEPTED) return;
      for (const variant of VARIANTS) {
        writeFileSync(file, `${original.replace(/\n?$/, '\n')}${variant}`);
        const real = realKustomizeBuild(folder);
        const ours = kustomizeBuild(diskReader, folder);
        const error = ours.problems.find((p) => p.severity === 'error');
        const where = `${relative(scratch, folder)} + ${JSON.stringify(variant)}`;
        if (!real.ok || error) {
          if (real.ok || !error) different.push(`${where}: kustomize ${real.ok ? 'builds' : `fails: ${real.error.slice(0, 200)}`}; ours ${error ? `fails: ${error.message}` : 'builds'}`);
          else identical++;
          continue;
        }
        const comparison = compareObjectSets(ours.objects, real.objects);
        if (comparison.onlyOurs.length + comparison.onlyTheirs.length + comparison.different.length === 0) identical++;
        else different.push(`${where}: ${JSON.stringify(comparison).slice(0, 500)}`);
      }
      writeFileSync(file, original);
    });
  }
  console.log(`kustomize variants: ${identical} builds identical, ${different.length} different`);
  assert.deepEqual(different, []);
  assert.ok(identical > 300, `expected some 400 variant builds, got ${identical}`);
});
