// The packaged extension installs into real VS Code (code-server), activates on the example fleet
// workspace, and its command runs from the command palette.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fleetExample } from './support/paths';
import { startSession, type Session } from './support/session';

let session: Session;
before(async () => {
  session = await startSession({ flow: 'activation', workspaceFrom: fleetExample });
});
after(async () => {
  await session?.close();
});

test('"Flux: Show Output" runs from the command palette and shows the extension log', { timeout: 180_000 }, async () => {
  const { workbench } = session;
  await workbench.shot('workbench');
  await workbench.command('Flux: Show Output');
  const panel = workbench.page.locator('.part.panel');
  assert.equal(await panel.locator('select.monaco-select-box').first().inputValue(), 'Flux GitOps');
  // The extension has written to its log (it reports where it looked for a kubeconfig).
  const log = panel.locator('.monaco-editor .view-lines');
  await log.filter({ hasText: 'kubeconfig' }).waitFor();
  await workbench.shot('flux-output');
  assert.doesNotMatch(await log.innerText(), /\[error\]/);
});
