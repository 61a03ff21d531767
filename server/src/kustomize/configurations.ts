/**
 * `configurations:` files: more field specs for the builtin transformers (which fields of a custom kind
 * hold a name reference, labels, images...), merged into the defaults. They also hold for the
 * kustomizations that include this one, as kustomize merges a folder's configuration upwards.
 */
import * as path from 'node:path';
import { DEFAULT_CONFIG, FIELD_SPEC_LISTS, mergeConfigs, newConfig, type NameBackReference, type TransformerConfig } from './fieldSpecs';
import { stringEntries, type KustomizationFile } from './kustomizationFile';
import { fieldSpecsOf } from './labels';
import { BuildError } from './problems';
import type { BuildSession } from './session';
import { isMap, isSeq, member, scalarText } from './values';
import { parseYamlDocuments } from './yamlValues';

const KNOWN_KEYS = new Set<string>([...FIELD_SPEC_LISTS, 'nameReference', 'varReference']);

export function configurationOf(k: KustomizationFile, session: BuildSession): TransformerConfig {
  let config = DEFAULT_CONFIG;
  for (const entry of stringEntries(k.fields, 'configurations')) {
    const file = path.resolve(k.dir, entry.value);
    const text = session.reader.readFile(file);
    if (text === undefined) throw new BuildError(`open ${file}: no such file or directory`, entry.origin);
    const parsed = parseYamlDocuments(file, text, { yaml11: true, cache: session.cache });
    if (parsed.problem) throw new BuildError(parsed.problem.message, parsed.problem.origin);
    const value = parsed.documents[0]?.value;
    if (value === undefined || value === null) continue;
    if (!isMap(value)) throw new BuildError(`error unmarshaling JSON: json: cannot unmarshal ${isSeq(value) ? 'array' : typeof value} into Go value of type builtinconfig.TransformerConfig`, parsed.documents[0]!.origin);
    const unknown = Object.keys(value).find((key) => !KNOWN_KEYS.has(key));
    if (unknown) throw new BuildError(`error unmarshaling JSON: while decoding JSON: json: unknown field "${unknown}"`, parsed.documents[0]!.origin);
    const own = newConfig() as Record<keyof TransformerConfig, unknown>;
    for (const list of FIELD_SPEC_LISTS) own[list] = fieldSpecsOf(member(value, list));
    const references = member(value, 'nameReference');
    own.nameReference = (isSeq(references) ? references : []).filter(isMap).map(
      (ref): NameBackReference => ({
        ...(typeof ref.group === 'string' ? { group: ref.group } : {}),
        ...(typeof ref.version === 'string' ? { version: ref.version } : {}),
        kind: scalarText(member(ref, 'kind')),
        fieldSpecs: fieldSpecsOf(member(ref, 'fieldSpecs')),
      }),
    );
    config = mergeConfigs(config, own as unknown as TransformerConfig);
  }
  return config;
}
