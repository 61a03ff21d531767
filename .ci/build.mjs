// Bundles the three entry points (extension client, language server, CLI) to CommonJS for Node 20.
// ESM-only dependencies (@kubernetes/client-node 1.x, age-encryption) are bundled in, so the .vsix
// ships without node_modules. Generated data (built-in Kubernetes schemas) is produced first.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const generators = join(root, 'server', 'scripts');
if (existsSync(generators)) {
  for (const file of readdirSync(generators).filter((f) => f.startsWith('gen-')).sort()) {
    execFileSync(process.execPath, ['--import', 'tsx', join(generators, file)], { cwd: root, stdio: 'inherit' });
  }
}

/**
 * The yaml parser reads `process.env.LOG_TOKENS` (a debugging switch) once per token: process.env is
 * an exotic object whose every read calls into the runtime, about a fifth of the parse of a large
 * file. Bundled, that switch is off.
 */
const yamlTokenLogOff = {
  name: 'yaml-token-log-off',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]yaml[\\/]dist[\\/]parse[\\/]parser\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const patched = source.replace('if (node_process.env.LOG_TOKENS)', 'if (false)');
      if (patched === source) throw new Error(`${args.path}: the LOG_TOKENS check to switch off was not found (yaml upgraded?)`);
      return { contents: patched, loader: 'js' };
    });
  },
};

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  plugins: [yamlTokenLogOff],
};
const entries = [
  { in: 'client/src/extension.ts', out: 'dist/client.js', external: ['vscode'] },
  { in: 'server/src/server.ts', out: 'dist/server.js', external: [] },
  { in: 'server/src/cli.ts', out: 'dist/cli.js', external: [], banner: '#!/usr/bin/env node' },
];
await Promise.all(
  entries
    .filter((e) => existsSync(join(root, e.in)))
    .map((e) =>
      build({
        ...common,
        entryPoints: [e.in],
        outfile: e.out,
        external: e.external,
        banner: e.banner ? { js: e.banner } : undefined,
      }),
    ),
);
