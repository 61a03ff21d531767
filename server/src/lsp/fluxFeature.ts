/**
 * The Flux LSP handlers beyond the engine's core ones: go to definition, find references, document
 * links (Kustomization spec.path).
 */
import { kustomizationPathLinks } from '../features/flux/kustomizationPath';
import { fluxDefinition, fluxReferences } from '../features/flux/navigation';
import type { LspFeature } from './features';

export const fluxLspFeature: LspFeature = {
  capabilities: { definitionProvider: true, referencesProvider: true, documentLinkProvider: { resolveProvider: false } },
  register(session) {
    const { connection, uris } = session;
    connection.onDefinition(({ textDocument, position }) => {
      const ctx = session.engine?.positionContext(uris.fromClient(textDocument.uri), position);
      const model = session.engine?.flux;
      return uris.locations(ctx && model ? fluxDefinition(ctx, model) : []);
    });
    connection.onReferences(({ textDocument, position, context }) => {
      const ctx = session.engine?.positionContext(uris.fromClient(textDocument.uri), position);
      const model = session.engine?.flux;
      return uris.locations(ctx && model ? fluxReferences(ctx, model, context.includeDeclaration) : []);
    });
    connection.onDocumentLinks(({ textDocument }) => {
      const file = session.engine?.documents.get(uris.fromClient(textDocument.uri));
      const model = session.engine?.flux;
      return uris.documentLinks(file && model ? kustomizationPathLinks(file, model) : []);
    });
  },
};
