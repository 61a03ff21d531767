/**
 * Secrets and SOPS: a Secret with plain-text data where it should be encrypted (a `.sops.yaml`
 * creation rule covers the file, or a Kustomization with spec.decryption applies it): warning
 * secret-plaintext, with a code action running the client's encrypt command. A SOPS-encrypted file
 * applied by a Kustomization without spec.decryption: error sops-decryption-missing.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { CodeActionContextParams, SectionRuleContext } from '../context';
import { sectionValue } from '../../documents/section';
import type { FluxModel } from '../../flux/model';
import { diagnostic, ERROR, keyNodeAt, WARNING } from './common';

/** The client command (SOPS feature) that encrypts a file in place; argument: the file URI. */
export const ENCRYPT_FILE_COMMAND = 'fluxGitops.sops.encryptFile';

const record = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/** Flux decrypts any object whose `sops` map and `sops.mac` are non-empty. */
export function isSopsEncrypted(value: unknown): boolean {
  const sops = record(record(value)?.sops);
  return !!sops && typeof sops.mac === 'string' && sops.mac !== '';
}

export function secretDiagnostics(ctx: SectionRuleContext, model: FluxModel): Diagnostic[] {
  const isSecret = ctx.object?.kind === 'Secret' && ctx.object.group === '';
  // Only sections with a top-level `sops` key, or Secrets, are worth converting to plain values.
  if (!isSecret && !keyNodeAt(ctx.doc, ['sops'])) return [];
  const value = record(model.fluxObject(ctx.object)?.value ?? sectionValue(ctx.section));
  if (!value) return [];
  if (isSopsEncrypted(value)) {
    const node = keyNodeAt(ctx.doc, ['sops']) ?? ctx.doc.contents;
    if (!node) return [];
    const at = ctx.nodeRange(node);
    return model.appliedBy(ctx.uri).filter((a) => !a.info.decryption).map((a) =>
      diagnostic(at, ERROR, 'sops-decryption-missing',
        `Kustomization ${a.info.flux.namespace ?? ''}/${a.info.flux.object.name ?? ''} applies this SOPS-encrypted file without spec.decryption: Flux fails with "... is SOPS encrypted, configuring decryption is required"`),
    );
  }
  if (!isSecret) return [];
  const field = ['stringData', 'data'].find((f) => Object.keys(record(value[f]) ?? {}).length > 0);
  if (!field) return [];
  const reasons = [
    ...(model.sopsCovers(ctx.uri) ? ['a .sops.yaml creation rule covers this file'] : []),
    ...model.appliedBy(ctx.uri).filter((a) => a.info.decryption).map((a) => `Kustomization ${a.info.flux.object.name ?? ''} decrypts what it applies`),
  ];
  if (reasons.length === 0) return [];
  const at = keyNodeAt(ctx.doc, [field]) ?? ctx.doc.contents;
  if (!at) return [];
  return [diagnostic(ctx.nodeRange(at), WARNING, 'secret-plaintext',
    `Secret ${ctx.object?.name ?? ''} is committed in plain text (${reasons.join('; ')}): encrypt it with SOPS`)];
}

/** "Encrypt with SOPS" for plain-text Secrets: runs the client command on the file. */
export function secretCodeActions(ctx: CodeActionContextParams): CodeAction[] {
  const diagnostics = ctx.diagnostics.filter((d) => d.code === 'secret-plaintext');
  if (diagnostics.length === 0) return [];
  return [{
    title: 'Encrypt this file with SOPS',
    kind: CodeActionKind.QuickFix,
    diagnostics,
    isPreferred: true,
    command: { title: 'Encrypt this file with SOPS', command: ENCRYPT_FILE_COMMAND, arguments: [ctx.uri] },
  }];
}
