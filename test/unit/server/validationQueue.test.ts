// When the language server validates: once changes stop (server/src/lsp/validationQueue.ts). Event-loop
// turns are real (setImmediate); the clock and setTimeout are node:test's mock timers, and a
// validation "takes" time by moving the mock clock.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { ValidationQueue } from '../../../server/src/lsp/validationQueue';

/** A queue whose validations are recorded and take `cost` ms of mock time each. */
function queue(t: TestContext, cost: number): { queue: ValidationQueue; validated: string[] } {
  t.mock.timers.enable({ apis: ['Date', 'setTimeout'], now: 1_000_000 });
  const validated: string[] = [];
  const validate = (uri: string): void => {
    validated.push(uri);
    t.mock.timers.setTime(Date.now() + cost);
  };
  return { queue: new ValidationQueue(validate, (uri, error) => assert.fail(`${uri}: ${String(error)}`), () => Date.now()), validated };
}

async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Calls `each` once per event-loop turn, `count` times, as the JSON-RPC connection handles messages. */
function onConsecutiveTurns(count: number, each: () => void): Promise<void> {
  return new Promise((done) => {
    let calls = 0;
    const next = (): void => {
      each();
      if (++calls < count) setImmediate(next);
      else done();
    };
    setImmediate(next);
  });
}

test('changes on consecutive turns are validated once, after a turn without a change', async (t) => {
  const { queue: q, validated } = queue(t, 1);
  await onConsecutiveTurns(50, () => q.changed('a'));
  assert.deepEqual(validated, [], 'nothing validated while changes keep coming');
  await turns(2);
  assert.deepEqual(validated, ['a']);
  await turns(5);
  assert.deepEqual(validated, ['a'], 'nothing more to do');
});

test('an opened document (or one whose inputs changed) is validated on the next quiet turn', async (t) => {
  const { queue: q, validated } = queue(t, 1);
  q.request('a');
  q.request('a');
  await turns(1);
  assert.deepEqual(validated, ['a']);
});

test('a document that validates slowly waits for a pause in fast changes as long as its validation took', async (t) => {
  const { queue: q, validated } = queue(t, 400);
  q.changed('big');
  await turns(2);
  assert.deepEqual(validated, ['big'], 'the first change: at once');
  // Typed during that validation (it blocks the server): five changes handled on the turns after it.
  await onConsecutiveTurns(5, () => q.changed('big'));
  await turns(3);
  t.mock.timers.tick(399);
  await turns(3);
  assert.deepEqual(validated, ['big'], 'no validation until 400 ms without a change');
  t.mock.timers.tick(1);
  await turns(3);
  assert.deepEqual(validated, ['big', 'big'], 'validated 400 ms after the last change');
  // Edits each sent once the previous one's diagnostics arrived: each validated at once.
  for (let i = 0; i < 3; i++) {
    t.mock.timers.tick(5);
    q.changed('big');
    await turns(2);
  }
  assert.deepEqual(validated, ['big', 'big', 'big', 'big', 'big']);
});

test('a failing validation is reported and the queue goes on', async () => {
  const errors: string[] = [];
  const validated: string[] = [];
  const q = new ValidationQueue(
    (uri) => {
      if (uri === 'bad') throw new Error('boom');
      validated.push(uri);
    },
    (uri, error) => errors.push(`${uri}: ${(error as Error).message}`),
  );
  q.request('bad');
  q.request('good');
  await turns(1);
  assert.deepEqual(errors, ['bad: boom']);
  assert.deepEqual(validated, ['good']);
});

test('the first validation of an opened document, however slow, does not delay the first change', async (t) => {
  const { queue: q, validated } = queue(t, 400);
  q.request('big');
  await turns(1);
  q.changed('big');
  await turns(2);
  assert.deepEqual(validated, ['big', 'big']);
});

test('a request for the document being validated (its own change seen by that validation) adds no second validation', async (t) => {
  const validated: string[] = [];
  const q: ValidationQueue = new ValidationQueue(
    (uri) => {
      validated.push(uri);
      q.request(uri);
      if (uri === 'a') q.request('b');
    },
    (uri, error) => assert.fail(`${uri}: ${String(error)}`),
  );
  t.mock.timers.enable({ apis: ['setTimeout'] });
  q.changed('a');
  await turns(5);
  assert.deepEqual(validated, ['a', 'b'], 'b, whose input changed, is validated; a is not again');
});
