import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selects } from '../../../server/src/flux/labelSelector';

test('matchLabels and matchExpressions', () => {
  const labels = { app: 'web', tier: 'front' };
  assert.equal(selects(undefined, labels), true);
  assert.equal(selects({}, labels), true);
  assert.equal(selects({ matchLabels: { app: 'web' } }, labels), true);
  assert.equal(selects({ matchLabels: { app: 'api' } }, labels), false);
  assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels), true);
  assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels), false);
  assert.equal(selects({ matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels), false);
  assert.equal(selects({ matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] }, labels), true);
  assert.equal(selects({ matchExpressions: [{ key: 'env', operator: 'Bogus' }] }, labels), false);
});
