/**
 * The custom protocol between the extension client and the language server, written once and
 * imported by both sides. Standard LSP covers everything else.
 */
import { NotificationType, RequestType, type Location } from 'vscode-languageserver-protocol';

/** A CRD as the cluster serves it (the parsed object), pushed by the client when it connects. */
export interface LiveCrdsParams {
  /** The kubeconfig context these CRDs come from. */
  readonly context: string;
  /** CustomResourceDefinition objects, as JSON. */
  readonly crds: readonly unknown[];
}
/** Client → server: replace the live-cluster schema source (highest preference). */
export const LiveCrdsNotification = new NotificationType<LiveCrdsParams>('fluxGitops/liveCrds');

export interface CurrentClusterParams {
  /** The kubeconfig context whose CRDs the client sends (or will send) as LiveCrdsParams; null: none. */
  readonly context: string | null;
}
/**
 * Client → server, whenever the contexts shown are (re)loaded: the server uses CRDs it cached from
 * that context's cluster until the live ones arrive, and drops live CRDs of any other context.
 */
export const CurrentClusterNotification = new NotificationType<CurrentClusterParams>('fluxGitops/currentCluster');

/** An object as the cluster names it, to find where the workspace declares it. */
export interface FindObjectsParams {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** API group ('' for core); any group when absent. */
  readonly group?: string;
}
/** Client → server: the workspace locations declaring this object (reveal in workspace). */
export const FindObjectsRequest = new RequestType<FindObjectsParams, Location[], void>('fluxGitops/findObjects');

/** An ImagePolicy's status as the cluster reports it (status.latestRef). */
export interface ImagePolicyStatus {
  readonly namespace: string;
  readonly name: string;
  readonly latestRef?: { readonly name?: string; readonly tag?: string; readonly digest?: string };
}
export interface ImagePoliciesParams {
  /** The kubeconfig context these statuses come from. */
  readonly context: string;
  /** Every ImagePolicy of the cluster; replaces what was pushed before. */
  readonly policies: readonly ImagePolicyStatus[];
}
/** Client → server: live ImagePolicy statuses, shown when hovering `$imagepolicy` markers. */
export const ImagePoliciesNotification = new NotificationType<ImagePoliciesParams>('fluxGitops/imagePolicies');
