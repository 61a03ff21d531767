import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../../../client/src/cluster/connection/backoff';

test('doubles up to the cap, spread by jitter over the upper half', () => {
  const low = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => low.next()), [50, 100, 200, 400, 500, 500]);
  const high = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0.999999 });
  assert.deepEqual([1, 2, 3].map(() => high.next()), [100, 200, 400]);
});

test('reset starts over', () => {
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => 0 });
  b.next();
  b.next();
  b.reset();
  assert.equal(b.next(), 50);
});
