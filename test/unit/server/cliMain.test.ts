import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { main } from '../../../server/src/cli';

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const [stdout, stderr] = [new PassThrough(), new PassThrough()];
  const [out, err]: Buffer[][] = [[], []];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd() });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

test('an unknown command (also one named like an Object property) exits 2 with the command list', async () => {
  for (const name of ['nope', 'toString', 'constructor', '__proto__']) {
    const r = await run(name);
    assert.equal(r.code, 2, name);
    assert.match(r.stderr, new RegExp(`unknown command '${name}'[\\s\\S]*\\n {2}sops `), name);
  }
});

test('help goes to stdout with exit 0; no command at all is a usage error', async () => {
  const help = await run('--help');
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^ {2}lint .*\n {2}lsp .*\n {2}sops /m);
  const none = await run();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^usage: flux-gitops <command>/);
});
