import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cycleEdges } from '../../../server/src/flux/cycles';

const graph = (spec: Record<string, string[]>) => new Map(Object.entries(spec));

test('no cycles in a DAG', () => {
  assert.deepEqual(cycleEdges(graph({ a: ['b', 'c'], b: ['c'], c: [] })), []);
});

test('every edge of a three-cycle is reported with the whole cycle', () => {
  const edges = cycleEdges(graph({ apps: ['configs'], configs: ['controllers'], controllers: ['apps'], other: ['apps'] }));
  assert.deepEqual(edges.map((e) => `${e.from}>${e.to}`).sort(), ['apps>configs', 'configs>controllers', 'controllers>apps']);
  const first = edges.find((e) => e.from === 'apps')!;
  assert.deepEqual(first.cycle, ['apps', 'configs', 'controllers', 'apps']);
});

test('self-dependency and two-cycles', () => {
  assert.deepEqual(cycleEdges(graph({ a: ['a'] })).map((e) => e.cycle), [['a', 'a']]);
  assert.deepEqual(cycleEdges(graph({ a: ['b'], b: ['a'], c: ['b'] })).map((e) => e.cycle.join('>')).sort(), ['a>b>a', 'b>a>b']);
});

test('edges to unknown nodes are ignored', () => {
  assert.deepEqual(cycleEdges(graph({ a: ['missing'] })), []);
});
