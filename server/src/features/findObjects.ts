/**
 * "Reveal in workspace" for the cluster tree: where the workspace declares an object. An object
 * declared without a namespace (one a Kustomization places) matches any namespace.
 */
import { Location } from 'vscode-languageserver';
import type { FindObjectsParams } from '../protocol';
import type { ObjectIndex } from '../workspace/objectIndex';

export function findObjects(index: Pick<ObjectIndex, 'find'>, params: FindObjectsParams): Location[] {
  const candidates = index.find(params.kind, params.name).filter((o) => params.group === undefined || o.group === params.group);
  const exact = candidates.filter((o) => o.namespace === params.namespace);
  const chosen = exact.length ? exact : candidates.filter((o) => o.namespace === undefined);
  return chosen.map((o) => Location.create(o.uri, o.range));
}
