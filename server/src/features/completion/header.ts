import { splitApiVersion } from '../../workspace/objectIndex';
import type { Section } from '../../documents/section';
import type { KindSchema } from '../../schema/types';
import type { SchemaView } from '../context';

/** apiVersion and kind as written at column 0 of a section, read from the text (works while it does not parse). */
export function sectionHeader(section: Section): { apiVersion?: string; kind?: string } {
  const apiVersion = /^apiVersion:[ \t]*["']?([^\s"'#]+)/m.exec(section.text)?.[1];
  const kind = /^kind:[ \t]*["']?([^\s"'#]+)/m.exec(section.text)?.[1];
  return { ...(apiVersion ? { apiVersion } : {}), ...(kind ? { kind } : {}) };
}

/** The schema of the section's kind, if its apiVersion and kind are known. */
export function sectionKind(schemas: SchemaView, section: Section): KindSchema | undefined {
  const { apiVersion, kind } = sectionHeader(section);
  if (!apiVersion || !kind) return undefined;
  const { group, version } = splitApiVersion(apiVersion);
  return schemas.lookup(group, version, kind);
}
