import { CompletionItemKind, InsertTextFormat, type CompletionItem } from 'vscode-languageserver';
import { fluxKind, newestVersion } from '../../schema/fluxKnowledge';
import { apiVersionOf } from '../../schema/types';
import type { PositionContext } from '../context';
import { cursorContext, cursorEdit } from './cursor';

function apiVersion(group: string, kind: string): string {
  const k = fluxKind(group, kind);
  return k ? apiVersionOf(group, newestVersion(k)) : group;
}

interface Skeleton {
  readonly label: string;
  readonly detail: string;
  readonly body: () => string;
}

const SOURCE = 'source.toolkit.fluxcd.io';
const SKELETONS: readonly Skeleton[] = [
  {
    label: 'Flux GitRepository',
    detail: 'A Git repository Flux pulls from',
    body: () =>
      `apiVersion: ${apiVersion(SOURCE, 'GitRepository')}\nkind: GitRepository\nmetadata:\n  name: \${1:app}\n  namespace: \${2:flux-system}\nspec:\n  interval: \${3:1m}\n  url: \${4:https://github.com/org/repo}\n  ref:\n    branch: \${5:main}\n`,
  },
  {
    label: 'Flux Kustomization',
    detail: 'Applies a path of a source to the cluster',
    body: () =>
      `apiVersion: ${apiVersion('kustomize.toolkit.fluxcd.io', 'Kustomization')}\nkind: Kustomization\nmetadata:\n  name: \${1:app}\n  namespace: \${2:flux-system}\nspec:\n  interval: \${3:10m}\n  sourceRef:\n    kind: \${4|GitRepository,OCIRepository,Bucket,ExternalArtifact|}\n    name: \${5:flux-system}\n  path: \${6:./}\n  prune: \${7|true,false|}\n`,
  },
  {
    label: 'Flux HelmRepository + HelmRelease',
    detail: 'A Helm chart repository and a release of one of its charts',
    body: () =>
      `apiVersion: ${apiVersion(SOURCE, 'HelmRepository')}\nkind: HelmRepository\nmetadata:\n  name: \${1:charts}\n  namespace: \${2:flux-system}\nspec:\n  interval: \${3:1h}\n  url: \${4:https://charts.example.com}\n---\napiVersion: ${apiVersion('helm.toolkit.fluxcd.io', 'HelmRelease')}\nkind: HelmRelease\nmetadata:\n  name: \${5:app}\n  namespace: \${2:flux-system}\nspec:\n  interval: \${6:10m}\n  chart:\n    spec:\n      chart: \${7:app}\n      sourceRef:\n        kind: HelmRepository\n        name: \${1:charts}\n  values: {}\n`,
  },
  {
    label: 'Flux ImageRepository + ImagePolicy + ImageUpdateAutomation',
    detail: 'Scan an image, pick the latest tag, commit it back to Git',
    body: () => {
      const image = 'image.toolkit.fluxcd.io';
      return `apiVersion: ${apiVersion(image, 'ImageRepository')}\nkind: ImageRepository\nmetadata:\n  name: \${1:app}\n  namespace: \${2:flux-system}\nspec:\n  image: \${3:ghcr.io/org/app}\n  interval: \${4:5m}\n---\napiVersion: ${apiVersion(image, 'ImagePolicy')}\nkind: ImagePolicy\nmetadata:\n  name: \${1:app}\n  namespace: \${2:flux-system}\nspec:\n  imageRepositoryRef:\n    name: \${1:app}\n  policy:\n    semver:\n      range: '\${5:>=1.0.0}'\n---\napiVersion: ${apiVersion(image, 'ImageUpdateAutomation')}\nkind: ImageUpdateAutomation\nmetadata:\n  name: \${1:app}\n  namespace: \${2:flux-system}\nspec:\n  interval: \${6:30m}\n  sourceRef:\n    kind: GitRepository\n    name: \${7:flux-system}\n  git:\n    checkout:\n      ref:\n        branch: \${8:main}\n    commit:\n      author:\n        name: \${9:fluxcdbot}\n        email: \${10:fluxcdbot@users.noreply.github.com}\n    push:\n      branch: \${8:main}\n  update:\n    path: \${11:./}\n    strategy: Setters\n`;
    },
  },
];

/** Skeletons of common Flux objects, offered in an empty document. */
export function skeletonCompletion(ctx: PositionContext): CompletionItem[] {
  const cursor = cursorContext(ctx);
  if (!cursor || cursor.mode !== 'key' || !cursor.emptySection || cursor.column !== 0) return [];
  return SKELETONS.map((s, i) => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    textEdit: cursorEdit(cursor, s.body()),
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: String(i),
  }));
}
