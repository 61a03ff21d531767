// Bundles the three entry points (extension client, language server, CLI) to CommonJS for Node 20.
// ESM-only dependencies (@kubernetes/client-node 1.x, age-encryption) are bundled in, so the .vsix
// ships without node_modules. Generated data (built-in Kubernetes schemas) is produced first.
import { build } from 'esbuild';
import { existsSync, readdirSync } from 'node:fs';
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
 * `yaml` is bundled from its ES module build (the one its package exports to non-Node platforms;
 * same sources and version). Bundled from its CommonJS build instead, every call into it (isMap,
 * isScalar, new Scalar...: millions per large file) goes through an export getter with a
 * megamorphic lookup, measured at a third of an edit's CPU. The ES build also has no per-token
 * `process.env.LOG_TOKENS` read (process.env is an exotic object; that read was a fifth of a parse).
 */
const yamlEsModules = {
  name: 'yaml-es-modules',
  setup(b) {
    const esBuild = join(root, 'node_modules', 'yaml', 'browser', 'index.js');
    if (!existsSync(esBuild)) throw new Error(`${esBuild} not found (yaml upgraded?)`);
    // Only the project's own imports: a dependency bundling its own yaml keeps the version it resolves.
    b.onResolve({ filter: /^yaml$/ }, (args) => (/[\\/]node_modules[\\/]/.test(args.importer) ? undefined : { path: esBuild }));
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
  plugins: [yamlEsModules],
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
