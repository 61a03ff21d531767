// Compares an AST built by the fast common-YAML parser with the one `yaml`'s parseDocument builds:
// shared by the differential tests (test/unit/server/commonYaml*.test.ts).
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';

/** Differences between two ASTs (comments aside), as readable paths; empty when equal. */
export function astDifferences(ours: Document.Parsed, theirs: Document.Parsed): string[] {
  const found: string[] = [];
  const same = (what: string, a: unknown, b: unknown) => {
    if (!Object.is(a, b) && JSON.stringify(a) !== JSON.stringify(b)) found.push(`${what}: ${JSON.stringify(a)} ≠ ${JSON.stringify(b)}`);
  };
  const kind = (n: unknown) => (isMap(n) ? 'map' : isSeq(n) ? 'seq' : isScalar(n) ? 'scalar' : isPair(n) ? 'pair' : String(n));
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (kind(a) !== kind(b)) return void found.push(`${path}: ${kind(a)} ≠ ${kind(b)}`);
    if (isPair(a) && isPair(b)) {
      walk(a.key, b.key, `${path}.key`);
      walk(a.value, b.value, `${path}.value`);
    } else if (isScalar(a) && isScalar(b)) {
      for (const p of ['value', 'range', 'type', 'source', 'format', 'tag', 'minFractionDigits', 'anchor'] as const) same(`${path}.${p}`, a[p], b[p]);
    } else if ((isMap(a) && isMap(b)) || (isSeq(a) && isSeq(b))) {
      same(`${path}.range`, a.range, b.range);
      same(`${path}.flow`, a.flow ?? false, b.flow ?? false);
      same(`${path}.tag`, a.tag, b.tag);
      same(`${path}.items`, a.items.length, b.items.length);
      a.items.forEach((item, i) => walk(item, b.items[i], `${path}[${i}]`));
    }
  };
  same('errors', theirs.errors.map((e) => e.code), []);
  same('warnings', theirs.warnings.map((e) => e.code), []);
  same('range', ours.range, theirs.range);
  same('docStart', ours.directives?.docStart, theirs.directives?.docStart);
  walk(ours.contents, theirs.contents, 'contents');
  same('toJS', ours.toJS(), theirs.toJS());
  return found;
}
