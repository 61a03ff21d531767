/**
 * "Is my commit live": the local HEAD against what the cluster fetched and applied. A GitRepository
 * matches the local repository when their URLs normalize equal; each Kustomization from it has
 * applied HEAD, an older commit, or nothing yet.
 */
import { normalizeGitUrl, type GitHead } from './gitHead';
import type { KubeObject } from '../connection/objects';
import { revisionIsCommit } from './revision';
import { stringAt } from '../connection/objects';

export type LiveState = 'live' | 'behind' | 'unknown';

export interface CommitLiveness {
  readonly state: LiveState;
  /** The revision the cluster has (fetched for a source, applied for a Kustomization). */
  readonly clusterRevision?: string;
}

export function sourceMatchesRepo(gitRepository: KubeObject, head: GitHead): boolean {
  const url = stringAt(gitRepository, ['spec', 'url']);
  if (!url) return false;
  const normalized = normalizeGitUrl(url);
  return head.remotes.some((r) => normalizeGitUrl(r) === normalized);
}

function compare(revision: string | undefined, head: GitHead): CommitLiveness {
  if (!revision) return { state: 'unknown' };
  return { state: revisionIsCommit(revision, head.commit) ? 'live' : 'behind', clusterRevision: revision };
}

export function sourceLiveness(gitRepository: KubeObject, head: GitHead): CommitLiveness {
  return compare(stringAt(gitRepository, ['status', 'artifact', 'revision']), head);
}

export function kustomizationLiveness(kustomization: KubeObject, head: GitHead): CommitLiveness {
  return compare(stringAt(kustomization, ['status', 'lastAppliedRevision']), head);
}

/** The repository-relative folder a Kustomization applies ("./apps/prod" → "apps/prod", "./" → ""). */
export function appliedPath(kustomization: KubeObject): string {
  const path = stringAt(kustomization, ['spec', 'path']) ?? '';
  return path.replace(/^\.?\/+/, '').replace(/^\.$/, '').replace(/\/+$/, '');
}

/** True when a repository-relative file lies under the folder a Kustomization applies. */
export function appliesFile(kustomization: KubeObject, relativeFile: string): boolean {
  const folder = appliedPath(kustomization);
  return folder === '' || relativeFile === folder || relativeFile.startsWith(`${folder}/`);
}
