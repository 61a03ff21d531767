/**
 * kustomize's content hash suffix of generated ConfigMaps and Secrets (api/hasher): SHA-256 of a JSON
 * encoding of the object's content, the first 10 hex digits with 0, 1, 3, a, e replaced so the suffix
 * never looks like a number or a word. kustomize looks the name up as a single key `metadata/name`, which
 * no object has, so the name is always encoded as "".
 */
import { createHash } from 'node:crypto';
import { isContainer, isMap, member, scalarText, type Value, type ValueMap } from './values';

const ENCODED: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };

export function contentHash(obj: ValueMap): string {
  const kind = scalarText(member(obj, 'kind'));
  const field = (key: string): Value => {
    const value = member(obj, key);
    if (value === undefined || value === null) return '';
    return isContainer(value) ? value : scalarText(value);
  };
  let encoded: Record<string, Value>;
  if (kind === 'ConfigMap') {
    encoded = { kind: 'ConfigMap', name: '', data: field('data') };
    if (isMap(member(obj, 'binaryData'))) encoded.binaryData = field('binaryData');
  } else if (kind === 'Secret') {
    encoded = { kind: 'Secret', type: field('type'), name: '', data: field('data') };
    if (isMap(member(obj, 'stringData'))) encoded.stringData = field('stringData');
  } else {
    encoded = obj;
  }
  const hex = createHash('sha256').update(goJson(encoded)).digest('hex');
  return [...hex.slice(0, 10)].map((c) => ENCODED[c] ?? c).join('');
}

/** Go's encoding/json: map keys sorted, and <, >, &, U+2028, U+2029 escaped. */
function goJson(value: Value | Record<string, Value>): string {
  if (Array.isArray(value)) return `[${value.map((v) => goJson(v)).join(',')}]`;
  if (isContainer(value as Value)) {
    const map = value as Record<string, Value>;
    return `{${Object.keys(map)
      .sort()
      .map((k) => `${goString(k)}:${goJson(map[k]!)}`)
      .join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  return JSON.stringify(value);
}

function goString(text: string): string {
  return JSON.stringify(text).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
