// The per-section parse on its own: the common-YAML parser (server/src/documents/commonYaml.ts) against
// `yaml`'s parseDocument, on the LSP benchmark's 12,000-line fleet file and on the Flux 2.9 CRDs (the
// bulk of a bootstrapped repository's gotk-components.yaml). Both parse every `---` section the way
// the server does, in the same process, taking turns; medians over RUNS rounds after a warm-up.
// Prints how many sections the fast parser accepted (the others fall back to `yaml`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type * as Yaml from 'yaml';
import { PARSE_OPTIONS, parseCommonYaml } from '../server/src/documents/commonYaml';
import { splitSections } from '../server/src/documents/split';
import { crdDir } from './builtCli';
import { generateFleet } from './fleet';
import { machineLoad, median, round, table } from './report';

/** `yaml`'s ES module build, the one the bundles use (its CommonJS build reads process.env per token). */
// Required by path (the package does not export it), typed as the package.
const { parseDocument } = require('../node_modules/yaml/browser/index.js') as typeof Yaml;

const RUNS = 15;
const WARM_UP_RUNS = 5;

function sectionsOf(text: string): string[] {
  return splitSections(text).map((s) => text.slice(s.start, s.end));
}

function timeParse(sections: readonly string[], parse: (text: string) => unknown): number {
  const start = performance.now();
  for (const section of sections) parse(section);
  return performance.now() - start;
}

const workloads = [
  { name: 'fleet file (12,000 lines)', sections: sectionsOf(generateFleet().text) },
  {
    name: 'Flux 2.9 CRDs',
    sections: readdirSync(crdDir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => sectionsOf(readFileSync(join(crdDir, f), 'utf8'))),
  },
];

console.log(`# Parse benchmark: commonYaml vs yaml parseDocument, ${RUNS} rounds; machine: ${machineLoad()}`);
const rows: string[][] = [];
for (const { name, sections } of workloads) {
  const accepted = sections.filter((s) => parseCommonYaml(s)).length;
  const common: number[] = [];
  const yaml: number[] = [];
  for (let run = 0; run < WARM_UP_RUNS + RUNS; run++) {
    const fast = timeParse(sections, (s) => parseCommonYaml(s) ?? parseDocument(s, PARSE_OPTIONS));
    const reference = timeParse(sections, (s) => parseDocument(s, PARSE_OPTIONS));
    if (run >= WARM_UP_RUNS) {
      common.push(fast);
      yaml.push(reference);
    }
  }
  const chars = sections.reduce((n, s) => n + s.length, 0);
  rows.push([
    `${name}, ${sections.length} sections, ${round(chars / 1024, 0)} KiB`,
    `${accepted}/${sections.length}`,
    round(median(common)),
    round(median(yaml)),
    round(median(yaml) / median(common), 1),
  ]);
}
console.log(table(['workload', 'fast path', 'commonYaml (ms)', 'yaml (ms)', 'speed-up'], rows));
