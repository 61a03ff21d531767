// The cases of regexes.fuzz.test.ts, run in a worker thread (so a case stuck in backtracking can be
// stopped from outside): every parser and regular expression that reads outside text, fed the
// classic shapes of catastrophic backtracking, through the real code paths. Each case reports its
// time; setup (engines, CRDs, warm-up of each path with a small input) is not timed.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import type { Engine } from '../../server/src/engine';
import { normaliseSourcePath } from '../../server/src/kustomize/appliedFiles';
import { findMarkers } from '../../server/src/flux/markers';
import { parseGoDuration } from '../../server/src/flux/practices';
import { parseSemverRange } from '../../server/src/flux/semverRange';
import { creationRuleCovers, validateSopsConfig } from '../../server/src/flux/sopsConfig';
import { scanSubstitutions, scanYamlSubstitutions } from '../../server/src/flux/substitution';
import { creationRuleFor } from '../../server/src/sops/config';
import { decrypt, encrypt } from '../../server/src/sops/stores/yaml';
import { encryptFileContent } from '../../server/src/sops/files';
import { encryptionPredicate } from '../../server/src/sops/rules';
import { resolvePlain, typedFromPlaintext } from '../../server/src/sops/scalars';
import { parse, parseDocument } from 'yaml';
import { globalRecipient, identitiesFrom, keyFile, memoryIo, recipient } from '../sops/support';
import { fluxWorkspace } from '../unit/flux/workspace';
import { engineWithWidgets, widget } from '../support/widgetCrd';

export type Report = { readonly starting: string } | { readonly name: string; readonly ms: number; readonly size: number };

const KB = 1000;
/** `unit` repeated to about `size` characters, then `tail` (usually what makes the match fail). */
const run = (unit: string, tail: string, size: number): string => unit.repeat(Math.max(1, Math.round(size / unit.length))) + tail;

/**
 * Patterns with nested or overlapping quantifiers: exponential or polynomial on a backtracking
 * engine. RE2 takes time proportional to the text times the pattern's size, so counted repeats stay
 * small (`(a{1,30}){1,30}` is 900 states: linear, but 150 ms on 100 KB).
 */
const HOSTILE_PATTERNS = [
  '^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(a*)*b', '(x+x+)+y', '^(\\w+\\s?)+$', '^([a-z0-9-]+/?)+\\.enc\\.yaml$',
  '(.*a){20}', '^(([a-z])+.)+[A-Z]([a-z])+$', '[a-q][^u-z]{13}x', '(?i)(a|b|ab)*c', '^(\\d+)*$', '^(a{1,10}){1,10}$',
];
/** Texts those patterns take long on: long runs of what they repeat, then a mismatch. */
const hostileSubjects = (size: number): [string, string][] => [
  ['a…a!', run('a', '!', size)],
  ['x…x', run('x', '', size)],
  ['(ab)…!', run('ab', '!', size)],
  ['(a )…!', run('a ', '!', size)],
  ['(a/)….yaml', run('a/', '.yaml', size)],
  ['1…1x', run('1', 'x', size)],
];

/** The reproductions of issue 11, exact. */
const REPRODUCTIONS = {
  crdValue: `${'a'.repeat(41)}!`,
  sopsPathRegex: '^([a-z0-9-]+/?)+\\.enc\\.yaml$',
  sopsPath: `${'a'.repeat(49)}.yaml`,
  helmVersion: `${Array.from({ length: 15 }, () => '1').join('   ')}  !`,
};

/** Runs every case, reporting each; one over `boundMs` runs up to twice more and reports its fastest run. */
export async function runRegexCases(report: (r: Report) => void, boundMs: number): Promise<void> {
  const timed = async (name: string, size: number, work: () => unknown): Promise<void> => {
    report({ starting: name });
    const once = async (): Promise<number> => {
      const start = performance.now();
      await work();
      return performance.now() - start;
    };
    let ms = await once();
    for (let retry = 0; retry < 2 && ms > boundMs; retry++) ms = Math.min(ms, await once());
    report({ name, ms, size });
  };
  const setup = async <T>(name: string, work: () => T | Promise<T>): Promise<T> => {
    report({ starting: `setup: ${name}` });
    return work();
  };

  // --- sops rules (.sops.yaml and file metadata): the predicate each leaf goes through.
  for (const pattern of HOSTILE_PATTERNS) {
    const rules = await setup(`sops rules ${pattern}`, () => {
      const kinds = ['encrypted_regex', 'unencrypted_regex', 'encrypted_comment_regex'] as const;
      const predicates = kinds.map((kind) => encryptionPredicate({ kind, value: pattern }));
      for (const p of predicates) p(['warm'], [['warm']], false);
      return predicates;
    });
    for (const [shape, subject] of hostileSubjects(100 * KB)) {
      await timed(`sops rule ${pattern} on key and comment ${shape} (${subject.length} chars)`, subject.length, () => {
        for (const p of rules) p([subject], [[subject]], false);
      });
    }
  }

  // --- path_regex: sops' creation rule choice (encrypt) and the linter's "a rule covers this file".
  const config = (pattern: string) => `creation_rules:\n  - path_regex: ${JSON.stringify(pattern)}\n    age: ${recipient}\n  - age: ${globalRecipient}\n`;
  await setup('path_regex', () => creationRuleFor('/repo/warm.yaml', { path: '/repo/.sops.yaml', text: config('^warm') }));
  for (const pattern of HOSTILE_PATTERNS) {
    for (const [shape, subject] of hostileSubjects(100 * KB).slice(0, 5)) {
      await timed(`path_regex ${pattern} on path ${shape} (${subject.length} chars)`, subject.length, () => {
        assert.deepEqual(creationRuleFor(`/repo/${subject}`, { path: '/repo/.sops.yaml', text: config(pattern) }).keyGroups.length, 1);
        assert.equal(creationRuleCovers(parse(config(pattern)), subject), true);
      });
    }
  }
  await timed('.sops.yaml diagnostics of every hostile pattern', 0, () => {
    const text = `creation_rules:\n${HOSTILE_PATTERNS.map((p) => `  - path_regex: ${JSON.stringify(p)}\n    encrypted_regex: ${JSON.stringify(p)}\n    age: ${recipient}\n`).join('')}`;
    assert.deepEqual(validateSopsConfig(parseDocument(text)).filter((p) => p.code === 'sops-config-regex'), []);
  });

  // --- sops end to end: encrypt under a .sops.yaml, decrypt a committed file, normalise, scalars.
  const io = memoryIo({ '/repo/.sops.yaml': config(REPRODUCTIONS.sopsPathRegex) });
  await setup('sops encrypt', () => encryptFileContent('/repo/warm.yaml', Buffer.from('a: 1\n'), io));
  await timed(`reproduction: encrypt ${REPRODUCTIONS.sopsPath} under path_regex ${REPRODUCTIONS.sopsPathRegex}`, REPRODUCTIONS.sopsPath.length, async () => {
    const encrypted = await encryptFileContent(`/repo/${REPRODUCTIONS.sopsPath}`, Buffer.from('password: hunter2\n'), io);
    assert.match(encrypted, new RegExp(globalRecipient));
  });
  const longKey = `${'a'.repeat(50)}!`;
  const committed = await setup('a committed file whose metadata has encrypted_regex ^(a+)+$', () =>
    encrypt(`data: secret\n${longKey}: plain\naaaa: encrypted\n`, { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^(a+)+$' } }, memoryIo()),
  );
  const identities = identitiesFrom(keyFile);
  await setup('sops decrypt', () => decrypt(committed, identities));
  await timed(`reproduction: decrypt a file whose metadata has encrypted_regex ^(a+)+$ (key ${longKey.length} chars)`, committed.length, async () => {
    const decrypted = await decrypt(committed, identities);
    assert.match(decrypted.plaintext, new RegExp(`${longKey}: plain`));
  });
  for (const [shape, flow] of [['x"\\"\\"…', `{a: x"${'\\"'.repeat(10 * KB)}}\n`], ["x'…", `{a: x'${"a'".repeat(10 * KB)}}\n`]] as const) {
    await timed(`sops encrypt of a flow mapping holding ${shape} (${flow.length} chars)`, flow.length, () =>
      encrypt(flow, { keyGroups: [[recipient]], rule: { kind: 'encrypted_regex', value: '^b$' } }, memoryIo()));
  }
  // A value's type as written (encryption) and as stored with its ciphertext (decryption).
  for (const [shape, subject] of [...hostileSubjects(100 * KB), ['1.1…1e1…1x', `1.${run('1', 'e', 100 * KB)}${run('1', 'x', 100 * KB)}`]]) {
    await timed(`sops scalar type of ${shape} (${subject.length} chars)`, subject.length, () => {
      resolvePlain(subject);
      for (const type of ['float', 'int', 'bool', 'time']) assert.throws(() => typedFromPlaintext(type, subject));
    });
  }

  // --- CRD patterns, through the validation of an object against its CRD.
  const patternFields = Object.fromEntries(HOSTILE_PATTERNS.map((p, i) => [`f${i}`, p]));
  const crdEngine = await setup('CRD with hostile patterns', async () => {
    const engine = await engineWithWidgets(patternFields);
    engine.openDocument('untitled:warm.yaml', widget({ f0: 'a' }), 1);
    engine.diagnostics('untitled:warm.yaml');
    await engine.closeDocument('untitled:warm.yaml');
    return engine;
  });
  let opened = 0;
  /** The diagnostic codes of `text` opened as a fresh document (closed after). */
  const diagnose = async (engine: Engine, text: string): Promise<string[]> => {
    const uri = `untitled:regex-fuzz-${++opened}.yaml`;
    engine.openDocument(uri, text, 1);
    const codes = engine.diagnostics(uri).map((d) => String(d.code));
    await engine.closeDocument(uri);
    return codes;
  };
  await timed(`reproduction: CRD pattern ^(a+)+$ on ${REPRODUCTIONS.crdValue.length} characters`, REPRODUCTIONS.crdValue.length, async () => {
    assert.deepEqual(await diagnose(crdEngine, widget({ f0: REPRODUCTIONS.crdValue })), ['pattern-mismatch']);
  });
  // One field per pattern, the document about 100 KB.
  for (const [shape, subject] of hostileSubjects(Math.round((100 * KB) / HOSTILE_PATTERNS.length))) {
    await timed(`CRD patterns on values ${shape} (${HOSTILE_PATTERNS.length} values of ${subject.length} chars)`, subject.length * HOSTILE_PATTERNS.length, () =>
      diagnose(crdEngine, widget(Object.fromEntries(HOSTILE_PATTERNS.map((_, i) => [`f${i}`, subject])))));
  }

  // --- Flux: semver ranges (HelmRelease diagnostics), durations (practice hints), markers, substitution.
  const flux = await setup('Flux workspace', async () => {
    const w = await fluxWorkspace({});
    await diagnose(w.engine, helmRelease('1.0.x', '5m'));
    return w;
  });
  await timed(`reproduction: HelmRelease version ${JSON.stringify(REPRODUCTIONS.helmVersion)}`, REPRODUCTIONS.helmVersion.length, async () => {
    assert.ok((await diagnose(flux.engine, helmRelease(REPRODUCTIONS.helmVersion, '5m'))).includes('semver-range-invalid'));
  });
  // Ranges in a HelmRelease stay at 5 KB: each term becomes node-semver comparators and each
  // segment a range (1||1||… is 1,700 of them, a few tens of µs each), so 100 KB would be linear but
  // take most of the bound on a loaded machine. The parser alone gets 100 KB below.
  const semverSubjects: [string, string][] = [
    ['1   1   …!', run('1   ', '!', 5 * KB)], ['1 - 1 - …', run('1 - ', '', 5 * KB)], ['1.1.…x', run('1.', 'x', 5 * KB)],
    ['>=1 >=1 …!', run('>=1 ', '!', 5 * KB)], ['1||1||…', run('1||', '', 5 * KB)], ['v1-a.a.…', `v1-${run('a.', '!', 5 * KB)}`],
    ['1,1,…,', run('1,', ',', 5 * KB)], ['x…x', run('x', '', 5 * KB)],
  ];
  for (const [shape, range] of semverSubjects) {
    await timed(`semver range ${shape} (${range.length} chars) in a HelmRelease`, range.length, async () => {
      assert.ok((await diagnose(flux.engine, helmRelease(range, '5m'))).includes('semver-range-invalid'));
    });
  }
  for (const [shape, range] of hostileSubjects(100 * KB)) {
    await timed(`semver range ${shape} (${range.length} chars)`, range.length, () => assert.equal(parseSemverRange(range).ok, false));
  }
  const durations: [string, string][] = [
    ['123m…x', run('123m', 'x', 100 * KB)], ['1.5ms…x', run('1.5ms', 'x', 100 * KB)], ['1…1x', run('1', 'x', 100 * KB)], ['1.1…1h', `1.${run('1', 'hx', 100 * KB)}`],
  ];
  for (const [shape, duration] of durations) {
    await timed(`duration ${shape} (${duration.length} chars) in a HelmRelease interval`, duration.length, () => {
      assert.equal(parseGoDuration(duration), undefined);
      return diagnose(flux.engine, helmRelease('1.0.x', duration));
    });
  }
  const markerLines: [string, string][] = [
    ['{ { { …', `image: x # ${run('{ ', '', 100 * KB)}"$imagepolicy"`],
    ['{"$imagepolicy"   …', `image: x # {${run(' ', '"$imagepolicy"', 100 * KB)}${run(' ', ':', 100 * KB)}`],
    ["{'$imagepolicy': 'a', …", `image: x # ${run("{'$imagepolicy': 'a', ", '', 100 * KB)}`],
    ['# # # …', `image: x ${run('# ', '$imagepolicy', 100 * KB)}`],
    ['$imagepolicy,} …', `image: x # {${run('$imagepolicy, ', '}', 100 * KB)}`],
  ];
  for (const [shape, line] of markerLines) {
    await timed(`image policy marker ${shape} (${line.length} chars)`, line.length, () => {
      findMarkers(`spec:\n  ${line}\n`);
      return diagnose(flux.engine, `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  ${line}\n`);
    });
  }
  // 10 to 20 KB where every `${` is a use or a problem (5,000 of them), each a few µs.
  const substitutions: [string, string][] = [
    ['${ ${ …', run('${', '', 10 * KB)], ['${a:- ${a:- …', run('${a:-', '', 10 * KB)], ['${a…', `\${${run('a', '', 100 * KB)}`],
    ['$$$…{', run('$', '{', 100 * KB)], ['${a/ ${a/ …', run('${a/', '', 10 * KB)], ['${a:= …}}}', `${run('${a:=', '', 10 * KB)}${run('}', '', 10 * KB)}`],
    ['${a:-x${b}…', run('${a:-x${b}', '', 10 * KB)], ['${a}${a}…', run('${a}', '', 20 * KB)],
  ];
  for (const [shape, text] of substitutions) {
    await timed(`substitution ${shape} (${text.length} chars)`, text.length, () => {
      scanSubstitutions(text);
      scanYamlSubstitutions(`value: ${JSON.stringify(text)}\n`);
    });
  }
  for (const [shape, path] of [['a///…x', `a${run('/', 'x', 100 * KB)}`], ['a./././…', `a${run('./', '/', 100 * KB)}`]] as const) {
    await timed(`Kustomization spec.path ${shape} (${path.length} chars)`, path.length, () => normaliseSourcePath(path));
  }

  // --- Completion: the cursor context reads the lines above, the marker completion the cursor line.
  const completionDocs: [string, string][] = [
    ['key, 1,990 blanks, x (x50 lines)', `${run(`a${' '.repeat(1990)}x\n`, '', 100 * KB)}b`],
    ['key, 1,990 blanks, # (x50 lines)', `${run(`a${' '.repeat(1990)}#\n`, '', 100 * KB)}b`],
    ['x #x #… then U+2028 (x50 lines)', `${run(`${run('x #', '\u2028', 1990)}\n`, '', 100 * KB)}b`],
    // In a block scalar: read as YAML, 1,000 nested sequences a line are a nesting problem, not a regex one.
    ['- - - … (x50 lines of a block scalar)', `text: |\n${run(`  ${run('- ', 'x', 1990)}\n`, '', 100 * KB)}  b`],
    ['"k"  …  x (x50 lines)', `${run(`"k"${' '.repeat(1990)}x\n`, '', 100 * KB)}b`],
    ['cursor line key, 1,990 blanks', `a${' '.repeat(1990)}x`],
    ['cursor line 100 KB of #', `image: x ${run('#', '', 100 * KB)}`],
    ['cursor line # "$imagepolicy": "…', `image: x # ${run('"$imagepolicy": "', '', 100 * KB)}`],
    ['10,000-character section of blank lines', `${'\n'.repeat(9990)}ap`],
  ];
  const completeAtEnd = (text: string): Promise<void> => {
    const uri = `untitled:regex-fuzz-${++opened}.yaml`;
    flux.engine.openDocument(uri, text, 1);
    const lines = text.split('\n');
    flux.engine.completion(uri, { line: lines.length - 1, character: lines[lines.length - 1]!.length });
    return flux.engine.closeDocument(uri);
  };
  await setup('completion', () => completeAtEnd(`${'\n'.repeat(100)}a: b\n  ap`));
  for (const [shape, text] of completionDocs) {
    await timed(`completion after ${shape} (${text.length} chars)`, text.length, () => completeAtEnd(text));
  }

  // --- Documents: a multi-line quoted scalar with a long inner run of spaces (the fast YAML parser).
  const spaced = `key: "a${run(' ', 'b', 100 * KB)}\n  c"\n`;
  await timed(`document with a multi-line scalar holding a blank run (${spaced.length} chars)`, spaced.length, () => diagnose(flux.engine, spaced));
}

function helmRelease(version: string, interval: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: app
  namespace: apps
spec:
  interval: ${JSON.stringify(interval)}
  chart:
    spec:
      chart: app
      version: ${JSON.stringify(version)}
      sourceRef:
        kind: HelmRepository
        name: repo
`;
}
