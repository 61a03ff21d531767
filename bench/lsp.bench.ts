// Issue 2 "Speed": our built server (`node dist/cli.js lsp --stdio`) against yaml-language-server
// 1.25 over stdio, same Flux v2.9 CRDs, same generated fleet file, in one run. Each run starts a fresh
// pair of servers, warms their schemas on a small file (one object of each kind), then measures, the
// two servers taking turns at each step: open → first diagnostics, five incremental edits →
// diagnostics, completion inside `spec` at several positions, and RSS after the work. Medians over
// RUNS runs; targets are ratios to yaml-language-server (median of the paired ratios).
//
// Environment: FLUX_BENCH_RUNS (default 5); FLUX_BENCH_CLI=FILE benchmarks another CLI build;
// FLUX_BENCH_CPU_PROF=DIR starts our server with --cpu-prof into DIR, for profiling.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { LspClient, residentKiB } from '../test/support/lspClient';
import { cliHasCommand, cliPath as cli, crdDir } from './builtCli';
import { generateFleet, type Fleet } from './fleet';
import { machineLoad, median, round, table } from './report';
import { serveCrdCatalog, startYamlLanguageServer, writeKubernetesIndex } from './yamlLanguageServer';

const RUNS = Number(process.env['FLUX_BENCH_RUNS'] ?? 5);

/** yaml-language-server's fixed delay between a change and its validation (yamlSettings.validationDelayMs). */
const YAML_LS_DEBOUNCE_MS = 200;

/** A key each completion spot lacks, which a schema-aware completion must offer there. */
const EXPECTED_KEY: Record<string, string> = {
  'GitRepository spec': 'include',
  'Kustomization spec': 'targetNamespace',
  'HelmRelease spec.chart.spec': 'reconcileStrategy',
  'ImagePolicy spec': 'filterTags',
  'OCIRepository spec': 'layerSelector',
};

interface RunResult {
  openMs: number;
  /** Error-severity diagnostics (hints and infos, e.g. Secrets kept outside Git, are not counted). */
  openErrors: number;
  openDiagnostics: number;
  editMs: number[];
  editErrors: number[];
  completionMs: number[];
  completionItems: number[];
  expectedKeysFound: number;
  rssKiB: number;
}

interface Peer {
  name: string;
  start: () => LspClient;
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'flux-gitops-bench-'));
  try {
    const fleet = generateFleet();
    const warm = generateFleet(7, 1);
    // The files live outside the (empty) workspace folder: a server that scans its workspace must
    // not have parsed them before the timed open.
    const workspace = join(work, 'workspace');
    mkdirSync(workspace);
    mkdirSync(join(work, 'files'));
    const fleetFile = join(work, 'files', 'fleet.yaml');
    const warmFile = join(work, 'files', 'warm-up.yaml');
    writeFileSync(fleetFile, fleet.text);
    writeFileSync(warmFile, warm.text);
    const catalog = await serveCrdCatalog(crdDir, join(work, 'catalog'));
    const indexSummary = writeKubernetesIndex(join(work, 'kubernetes-index'));

    const ours: Peer | undefined = cliHasCommand('lsp') ? { name: 'flux-gitops', start: () => startOurServer() } : undefined;
    const yamlLs: Peer = { name: 'yaml-language-server 1.25.0', start: () => startYamlLanguageServer(catalog.url, join(work, 'kubernetes-index')) };
    const peers = ours ? [ours, yamlLs] : [yamlLs];

    console.log(`# LSP benchmark: ${fleet.lineCount} lines, ${fleet.fluxObjects} Flux objects + ${fleet.otherObjects} Namespaces, ${RUNS} runs, both servers side by side`);
    console.log(`  machine: ${machineLoad()} at start`);
    console.log(`  kinds: ${Object.entries(fleet.kinds).map(([k, n]) => `${k} ${n}`).join(', ')}`);
    console.log(`  seeded schema errors: ${fleet.seededErrors.map((e) => `line ${e.line + 1}: ${e.what}`).join('; ')}`);
    console.log(`  CRDs: ${crdDir} (${catalog.files} CRD versions, served to yaml-language-server at ${catalog.url})`);
    console.log(`  Kubernetes index served to yaml-language-server in place of GitHub: ${indexSummary}`);
    if (!ours) console.log(`  ${cli} has no \`lsp\` command yet: measuring yaml-language-server alone`);

    const results = new Map<Peer, RunResult[]>(peers.map((p) => [p, []]));
    const rootUri = pathToFileURL(workspace).href;
    for (let run = 0; run < RUNS; run++) {
      // Both servers live through the run side by side and take turns at every step (who goes first
      // alternates), so load from other work on the machine hits both alike.
      const sessions: Session[] = [];
      try {
        for (const peer of peers) sessions.push(await Session.start(peer, fleet, rootUri, fleetFile, warmFile));
        const step = async (turn: number, action: (s: Session) => Promise<void>) => {
          for (const session of turn % 2 ? [...sessions].reverse() : sessions) await action(session);
        };
        await step(run, (s) => s.open());
        for (const i of fleet.edits.keys()) await step(run + i + 1, (s) => s.edit(i));
        await step(run, (s) => s.addCompletionLines());
        for (const i of fleet.completionSpots.keys()) await step(run + i, (s) => s.complete(i));
        for (const session of sessions) {
          const result = await session.finish();
          results.get(session.peer)!.push(result);
          console.log(
            `  run ${run + 1} ${session.peer.name}: open ${round(result.openMs)} ms (${result.openErrors} errors of ${result.openDiagnostics} diagnostics), ` +
              `edits ${result.editMs.map((m) => round(m)).join('/')} ms (errors ${result.editErrors.join('/')}), ` +
              `completion ${result.completionMs.map((m) => round(m)).join('/')} ms (items ${result.completionItems.join('/')}, ` +
              `expected key offered at ${result.expectedKeysFound}/${result.completionMs.length}), RSS ${round(result.rssKiB / 1024)} MiB`,
          );
        }
      } finally {
        for (const session of sessions) await session.client.shutdown();
      }
    }
    console.log(`  yaml-language-server fetched ${catalog.requests()} schema files from the catalog; machine: ${machineLoad()} at end`);
    await catalog.close();

    verifyPeer(yamlLs.name, results.get(yamlLs)!, fleet);
    const verified = ours ? verifyPeer(ours.name, results.get(ours)!, fleet) : undefined;
    console.log('');
    console.log(summaryTable(ours ? results.get(ours) : undefined, results.get(yamlLs)!, verified));
    if (verified && !(verified.diagnostics && verified.completion)) {
      console.log('  * flux-gitops did not produce the expected diagnostics or completions (see check above): that time does not count.');
    }
    console.log('  yaml-language-server validates 200 ms after a change (its fixed debounce); its open and edit times include it,');
    console.log('  as an editor user experiences them. Medians: open over runs, edits over 5 edits × runs, completion over 5 spots × runs;');
    console.log('  ratio = median of paired ratios (both servers run side by side and take turns at every step).');
    if (ours) {
      // For the record, not the targets: the ratios if yaml-language-server had no debounce.
      const mine = results.get(ours)!;
      const theirs = results.get(yamlLs)!;
      const open = median(mine.map((r) => r.openMs)) / (median(theirs.map((r) => r.openMs)) - YAML_LS_DEBOUNCE_MS);
      const edit = median(mine.flatMap((r) => r.editMs)) / (median(theirs.flatMap((r) => r.editMs)) - YAML_LS_DEBOUNCE_MS);
      console.log(`  Without its debounce the ratios would be: open ${round(open, 3)}, edit → diagnostics ${round(edit, 3)}.`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function startOurServer(): LspClient {
  const profile = process.env['FLUX_BENCH_CPU_PROF'];
  const args = [...(profile ? ['--cpu-prof', '--cpu-prof-dir', profile] : []), cli, 'lsp', '--stdio'];
  return LspClient.spawn(process.execPath, args, {
    configuration: (section) => (section === 'fluxGitops' ? { crdPaths: [crdDir] } : null),
  });
}

/** One server through one run, a step at a time, so that two servers can take turns at each step. */
class Session {
  private readonly uri: string;
  private readonly result: RunResult = {
    openMs: Number.NaN,
    openErrors: 0,
    openDiagnostics: 0,
    editMs: [],
    editErrors: [],
    completionMs: [],
    completionItems: [],
    expectedKeysFound: 0,
    rssKiB: 0,
  };

  private constructor(
    readonly peer: Peer,
    readonly client: LspClient,
    private readonly fleet: Fleet,
    fleetFile: string,
  ) {
    this.uri = pathToFileURL(fleetFile).href;
  }

  /** Starts the server and warms its schemas; nothing of this is timed. */
  static async start(peer: Peer, fleet: Fleet, rootUri: string, fleetFile: string, warmFile: string): Promise<Session> {
    const client = peer.start();
    await client.initialize(rootUri, { crdPaths: [crdDir] });
    client.notify('workspace/didChangeConfiguration', { settings: {} });
    await warmUp(client, pathToFileURL(warmFile).href, readFileSync(warmFile, 'utf8'));
    return new Session(peer, client, fleet, fleetFile);
  }

  async open(): Promise<void> {
    const start = performance.now();
    const opened = await this.client.diagnostics(this.uri, this.client.open(this.uri, this.fleet.text));
    this.result.openMs = opened.receivedAt - start;
    this.result.openErrors = errors(opened.diagnostics);
    this.result.openDiagnostics = opened.diagnostics.length;
  }

  async edit(i: number): Promise<void> {
    const edit = this.fleet.edits[i]!;
    const change: TextDocumentContentChangeEvent = {
      range: { start: { line: edit.line, character: edit.character }, end: { line: edit.line, character: edit.endCharacter } },
      text: edit.text,
    };
    const start = performance.now();
    const published = await this.client.diagnostics(this.uri, this.client.change(this.uri, [change]));
    this.result.editMs.push(published.receivedAt - start);
    this.result.editErrors.push(errors(published.diagnostics));
  }

  /** An indented blank line inside each chosen `spec`, inserted bottom-up so earlier ranges stay valid. */
  async addCompletionLines(): Promise<void> {
    const inserts = [...this.fleet.completionSpots].reverse().map((s) => ({
      range: { start: { line: s.line, character: 0 }, end: { line: s.line, character: 0 } },
      text: `${' '.repeat(s.indent)}\n`,
    }));
    await this.client.diagnostics(this.uri, this.client.change(this.uri, inserts));
  }

  /** Completion on the i-th inserted line (i lines were inserted above it). */
  async complete(i: number): Promise<void> {
    const spot = this.fleet.completionSpots[i]!;
    const start = performance.now();
    const items = await this.client.completion(this.uri, { line: spot.line + i, character: spot.indent });
    this.result.completionMs.push(performance.now() - start);
    this.result.completionItems.push(items.length);
    const expected = EXPECTED_KEY[spot.what]!;
    if (items.some((item) => item.label === expected || item.filterText === expected)) this.result.expectedKeysFound++;
  }

  async finish(): Promise<RunResult> {
    this.result.rssKiB = await residentKiB(this.client.pid);
    return this.result;
  }
}

function errors(diagnostics: Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length;
}

/** Loads the schemas of every kind (and lets settings arrive) before anything is timed; gives up after 5 s. */
async function warmUp(client: LspClient, uri: string, text: string): Promise<void> {
  let published = await client.diagnostics(uri, client.open(uri, text));
  // A server applies pulled settings (and loads CRDs) asynchronously; re-validate until the seeded
  // schema errors show.
  for (let attempt = 0; errors(published.diagnostics) === 0 && attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 250));
    published = await client.diagnostics(uri, client.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' }]));
  }
  // No throw here: verifyPeer reports a server that does not validate.
  client.close(uri);
}

interface Verified {
  diagnostics: boolean;
  completion: boolean;
}

/** A peer that reports nothing does no work: demand the seeded errors, the edit errors and the expected keys. */
function verifyPeer(name: string, runs: RunResult[], fleet: Fleet): Verified {
  const expectedOpen = fleet.seededErrors.length;
  let expected = expectedOpen;
  const expectedEdits = fleet.edits.map((e) => (expected += e.errorDelta));
  const diagnostics = runs.every((r) => r.openErrors === expectedOpen && r.editErrors.join() === expectedEdits.join());
  const completion = runs.every((r) => r.expectedKeysFound === r.completionMs.length);
  const first = runs[0]!;
  console.log(
    `  check ${name}: ${first.openErrors} errors on open (expected ${expectedOpen} seeded errors), ` +
      `after edits ${first.editErrors.join('/')} (expected ${expectedEdits.join('/')}): ${diagnostics ? 'validates' : 'MISMATCH'}; ` +
      `expected keys offered at ${first.expectedKeysFound}/${first.completionMs.length} spots: ${completion ? 'completes' : 'MISMATCH'}`,
  );
  if (name.startsWith('yaml-language-server') && !(diagnostics && completion)) {
    throw new Error('yaml-language-server did not do the work (seeded errors, completions): its numbers would be meaningless');
  }
  return { diagnostics, completion };
}

/**
 * Medians of both servers and, as the ratio, the median of the paired ratios: each sample of ours
 * divided by yaml-language-server's at the same step of the same run (taken moments apart).
 */
function summaryTable(ours: RunResult[] | undefined, peer: RunResult[], verified: Verified | undefined): string {
  const metrics: [string, (r: RunResult) => number[], number, boolean][] = [
    ['open → diagnostics (ms)', (r) => [r.openMs], 0.25, verified?.diagnostics ?? true],
    ['edit → diagnostics (ms)', (r) => r.editMs, 0.1, verified?.diagnostics ?? true],
    ['completion in spec (ms)', (r) => r.completionMs, 0.5, verified?.completion ?? true],
    ['RSS after work (MiB)', (r) => [r.rssKiB / 1024], 1, true],
  ];
  const rows = metrics.map(([label, samples, target, valid]) => {
    const theirs = peer.flatMap(samples);
    const mine = ours ? ours.flatMap(samples) : [];
    const ratio = mine.length ? median(mine.map((m, i) => m / theirs[i]!)) : Number.NaN;
    const verdict = Number.isFinite(ratio) ? (ratio <= target ? 'PASS' : 'MISS') + (valid ? '' : '*') : 'n/a';
    return [label, round(median(mine)), round(median(theirs)), round(ratio, 3), `≤ ${target}`, verdict];
  });
  return table(['metric (median)', 'flux-gitops', 'yaml-language-server', 'ratio', 'target', 'result'], rows);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
