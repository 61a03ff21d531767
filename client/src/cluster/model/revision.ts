/**
 * Flux revision strings. Current formats: Git `<ref>@sha1:<hex>` (or `sha1:<hex>` without a ref),
 * artifacts `<algo>:<hex>`, OCI `<tag>@sha256:<hex>`, Helm chart versions (`6.5.0`, `6.5.0+<digest>`).
 * Flux < 2.0 wrote Git revisions as `<branch>/<hex>`; those are still found in old statuses.
 */
export interface Revision {
  readonly raw: string;
  /** Branch, tag or ref name, when the revision has one. */
  readonly ref?: string;
  readonly algorithm?: string;
  readonly digest?: string;
  /** A plain version (Helm chart), when the revision is not a digest. */
  readonly version?: string;
}

const DIGEST = /^([a-z0-9]+):([0-9a-f]{7,128})$/;
const LEGACY_GIT = /^(.+)\/([0-9a-f]{40})$/;

export function parseRevision(raw: string): Revision {
  const at = raw.lastIndexOf('@');
  if (at > 0) {
    const digest = DIGEST.exec(raw.slice(at + 1));
    if (digest) return { raw, ref: raw.slice(0, at), algorithm: digest[1], digest: digest[2] };
  }
  const digest = DIGEST.exec(raw);
  if (digest) return { raw, algorithm: digest[1], digest: digest[2] };
  const legacy = LEGACY_GIT.exec(raw);
  if (legacy) return { raw, ref: legacy[1], algorithm: 'sha1', digest: legacy[2] };
  if (/^[0-9a-f]{40}$/.test(raw)) return { raw, algorithm: 'sha1', digest: raw };
  return { raw, version: raw };
}

/** Git commit ids in short form (7 hex), other digests in 12, plain versions as they are. */
export function shortRevision(raw: string | undefined): string {
  if (!raw) return '';
  const rev = parseRevision(raw);
  if (!rev.digest) return rev.version ?? raw;
  const short = rev.digest.slice(0, rev.algorithm === 'sha1' ? 7 : 12);
  return rev.ref ? `${rev.ref}@${short}` : short;
}

/** True when the revision names this Git commit (a full 40- or 64-hex object id). */
export function revisionIsCommit(raw: string | undefined, commit: string): boolean {
  if (!raw) return false;
  const rev = parseRevision(raw);
  return rev.digest !== undefined && rev.digest.toLowerCase() === commit.toLowerCase();
}
