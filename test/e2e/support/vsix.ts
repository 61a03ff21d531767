// Packages the built extension with @vscode/vsce, as `npm run package` does, into a folder of the
// caller's; the bundles in dist/ come from the build that `npm test` runs first.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from './paths';

const run = promisify(execFile);

export async function packageExtension(outDir: string): Promise<string> {
  for (const bundle of ['dist/client.js']) {
    if (!existsSync(join(projectRoot, bundle))) throw new Error(`${bundle} is missing: run npm run build first`);
  }
  const out = join(outDir, 'flux-gitops.vsix');
  const vsce = join(projectRoot, 'node_modules/.bin/vsce');
  await run(vsce, ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', out], {
    cwd: projectRoot,
    timeout: 120_000,
  });
  return out;
}
