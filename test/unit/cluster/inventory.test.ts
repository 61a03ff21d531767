import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiVersionOf, inventoryOf, parseInventoryId } from '../../../client/src/cluster/model/inventory';

test('namespaced object in the core group', () => {
  assert.deepEqual(parseInventoryId('default_podinfo__Service', 'v1'), { namespace: 'default', name: 'podinfo', group: '', kind: 'Service', version: 'v1' });
});

test('namespaced object in a named group', () => {
  assert.deepEqual(parseInventoryId('apps_podinfo_apps_Deployment', 'v1'), { namespace: 'apps', name: 'podinfo', group: 'apps', kind: 'Deployment', version: 'v1' });
});

test('cluster-scoped object with a colon in its name', () => {
  assert.deepEqual(parseInventoryId('_system__controller__podinfo_rbac.authorization.k8s.io_ClusterRole', 'v1'), {
    namespace: '',
    name: 'system:controller:podinfo',
    group: 'rbac.authorization.k8s.io',
    kind: 'ClusterRole',
    version: 'v1',
  });
});

test('a name with underscores that are not doubled keeps them', () => {
  assert.equal(parseInventoryId('ns_a_b_apps_Deployment')?.name, 'a_b');
});

test('malformed ids are rejected', () => {
  assert.equal(parseInventoryId('nounderscore'), undefined);
  assert.equal(parseInventoryId('ns_Kind'), undefined);
  assert.equal(parseInventoryId('ns__apps_'), undefined);
});

test('inventoryOf reads status.inventory.entries and skips junk', () => {
  const entries = inventoryOf({
    inventory: {
      entries: [
        { id: 'flux-system_apps_kustomize.toolkit.fluxcd.io_Kustomization', v: 'v1' },
        { id: 42 },
        { id: 'bad' },
        { id: '_podinfo__Namespace', v: 'v1' },
      ],
    },
  });
  assert.deepEqual(entries.map((e) => `${e.kind}/${e.namespace}/${e.name}@${apiVersionOf(e)}`), [
    'Kustomization/flux-system/apps@kustomize.toolkit.fluxcd.io/v1',
    'Namespace//podinfo@v1',
  ]);
  assert.deepEqual(inventoryOf(undefined), []);
  assert.deepEqual(inventoryOf({ inventory: null }), []);
});
