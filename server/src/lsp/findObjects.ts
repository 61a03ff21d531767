/** The custom request behind "Reveal in workspace" in the cluster tree (features/findObjects.ts answers it). */
import type { Engine } from '../engine';
import { findObjects } from '../features/findObjects';
import { FindObjectsRequest } from '../protocol';
import type { LspFeature } from './features';

export const findObjectsFeature: LspFeature = {
  capabilities: {},
  register(connection, engine: Engine, uris) {
    connection.onRequest(FindObjectsRequest, (params) => uris.locations(findObjects(engine.index, params)));
  },
};
