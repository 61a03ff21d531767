/**
 * The notifications the extension client pushes (protocol.ts), all handled here: the live
 * cluster's CRDs and which cluster is current (schema sources), and the cluster's ImagePolicy
 * statuses (shown by the Flux `$imagepolicy` marker hover).
 */
import { CurrentClusterNotification, ImagePoliciesNotification, LiveCrdsNotification } from '../protocol';
import type { Session } from './session';

export function registerClientNotifications(session: Session): void {
  const { connection } = session;
  connection.onNotification(LiveCrdsNotification, (params) => void session.engine?.setLiveCrds(params.context, params.crds));
  connection.onNotification(CurrentClusterNotification, (params) => session.engine?.setCurrentCluster(params.context ?? undefined));
  connection.onNotification(ImagePoliciesNotification, (params) => session.engine?.flux?.setLivePolicies(params.context, params.policies));
}
