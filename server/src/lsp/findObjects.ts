/** The custom request behind "Reveal in workspace" in the cluster tree (features/findObjects.ts answers it). */
import { findObjects } from '../features/findObjects';
import { FindObjectsRequest } from '../protocol';
import type { LspFeature } from './features';

export const findObjectsFeature: LspFeature = {
  capabilities: {},
  register(session) {
    session.connection.onRequest(FindObjectsRequest, (params) => {
      const index = session.engine?.index;
      return index ? session.uris.locations(findObjects(index, params)) : [];
    });
  },
};
