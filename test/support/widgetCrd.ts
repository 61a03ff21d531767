// A one-CRD schema source for tests of CRD `pattern` checks: Widget (example.com/v1), each spec
// field a string with its own pattern.
import { Engine } from '../../server/src/engine';
import { memoryFileSystem } from './memoryFileSystem';

/** A CRD whose spec fields each carry one of `patterns`. */
export function widgetCrd(patterns: Record<string, string>): string {
  const fields = Object.entries(patterns)
    .map(([name, pattern]) => `                ${name}:\n                  type: string\n                  pattern: ${JSON.stringify(pattern)}\n`)
    .join('');
  return `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
${fields}`;
}

/** An engine with only that CRD. */
export async function engineWithWidgets(patterns: Record<string, string>): Promise<Engine> {
  const engine = new Engine({ fs: memoryFileSystem({ '/crds/widget.yaml': widgetCrd(patterns) }), log: (m) => { throw new Error(`engine logged: ${m}`); } });
  await engine.addCrdPaths(['/crds']);
  return engine;
}

/** A Widget with these spec values. */
export const widget = (spec: Record<string, string>): string =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n${Object.entries(spec).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`;
