/**
 * The Flux LSP handlers beyond the engine's core ones: go to definition, find references, document
 * links (Kustomization spec.path), and the live ImagePolicy statuses the client pushes.
 */
import type { Connection } from 'vscode-languageserver';
import type { Engine } from '../engine';
import type { UriSpellings } from './uriSpelling';
import { ImagePoliciesNotification } from '../protocol';
import type { LspFeature } from './features';
import { kustomizationPathLinks } from '../features/flux/kustomizationPath';
import { fluxDefinition, fluxReferences } from '../features/flux/navigation';

export const fluxLspFeature: LspFeature = {
  capabilities: { definitionProvider: true, referencesProvider: true, documentLinkProvider: { resolveProvider: false } },
  register(connection: Connection, engine: Engine, uris: UriSpellings): void {
    const model = engine.flux;
    if (!model) return;
    connection.onDefinition(({ textDocument, position }) => {
      const ctx = engine.positionContext(uris.fromClient(textDocument.uri), position);
      return uris.locations(ctx ? fluxDefinition(ctx, model) : []);
    });
    connection.onReferences(({ textDocument, position, context }) => {
      const ctx = engine.positionContext(uris.fromClient(textDocument.uri), position);
      return uris.locations(ctx ? fluxReferences(ctx, model, context.includeDeclaration) : []);
    });
    connection.onDocumentLinks(({ textDocument }) => {
      const file = engine.documents.get(uris.fromClient(textDocument.uri));
      return uris.documentLinks(file ? kustomizationPathLinks(file, model) : []);
    });
    connection.onNotification(ImagePoliciesNotification, (params) => model.setLivePolicies(params.context, params.policies));
  },
};
