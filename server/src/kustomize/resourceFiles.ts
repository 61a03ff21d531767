/**
 * The objects of a manifest file, as kustomize's resource factory reads them: every non-empty `---`
 * document, `kind: *List` documents replaced by their `items`, each object required to have a kind and
 * (unless a List) a metadata.name.
 */
import { BuildError } from './problems';
import { Resource } from './resource';
import { isMap, isSeq, member, originOf, scalarText, type Origin, type Value, type ValueMap } from './values';
import { parseYamlDocuments, type ParseOptions } from './yamlValues';

/** The objects of a YAML text; throws the first problem kustomize would stop at. */
export function resourcesFromText(file: string, text: string, options: ParseOptions = {}): Resource[] {
  const parsed = parseYamlDocuments(file, text, options);
  if (parsed.problem) throw new BuildError(parsed.problem.message, parsed.problem.origin);
  const pending: { value: Value; origin: Origin }[] = [];
  for (const doc of parsed.documents) {
    if (doc.value === undefined || doc.value === null) continue;
    pending.push({ value: doc.value, origin: doc.origin });
  }
  const result: Resource[] = [];
  // Lists are expanded in place of... the end of the queue, as kustomize appends their items.
  while (pending.length > 0) {
    const { value, origin } = pending.shift()!;
    const obj = validated(value, origin);
    const kind = scalarText(member(obj, 'kind'));
    const items = member(obj, 'items');
    if (kind.endsWith('List') && items !== undefined) {
      if (items === null) continue;
      if (!isSeq(items)) throw new BuildError(`expected array in ${kind}/items, but found ${typeof items}`, originOf(obj) ?? origin);
      for (const item of items) {
        if (item === null) continue;
        pending.push({ value: item, origin: originOf(item) ?? origin });
      }
      continue;
    }
    result.push(new Resource(obj, originOf(obj) ?? origin));
  }
  return result;
}

/** kyaml's GetValidatedMetadata: a mapping with a kind, and a name unless it is a List. */
function validated(value: Value, origin: Origin): ValueMap {
  if (!isMap(value)) throw new BuildError('missing Resource metadata', origin);
  const apiVersion = scalarText(member(value, 'apiVersion'));
  const kind = scalarText(member(value, 'kind'));
  const metadata = member(value, 'metadata');
  if (!apiVersion && !kind && !isMap(metadata)) throw new BuildError('missing Resource metadata', origin);
  if (!kind) throw new BuildError(`missing kind in object ${describe(value)}`, origin);
  if (kind.endsWith('List')) return value;
  if (!scalarText(member(metadata, 'name'))) throw new BuildError(`missing metadata.name in object ${describe(value)}`, originOf(metadata) ?? origin);
  return value;
}

function describe(value: ValueMap): string {
  const meta = member(value, 'metadata');
  return `{{${scalarText(member(value, 'apiVersion'))} ${scalarText(member(value, 'kind'))}} {${scalarText(member(meta, 'name'))} ${scalarText(member(meta, 'namespace'))}}}`;
}
