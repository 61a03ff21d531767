/** CodeLens on SOPS-encrypted files: "Edit decrypted", the recipients, and whether a local key can decrypt. */
import * as vscode from 'vscode';
import { keyAccess, type KeyAccess, type SopsIo } from '../../../server/src/sops';

function shortRecipient(r: string): string {
  return r.length > 20 ? `${r.slice(0, 10)}…${r.slice(-6)}` : r;
}

export class SopsCodeLensProvider implements vscode.CodeLensProvider {
  private readonly cache = new Map<string, { version: number; access: Promise<KeyAccess | undefined> }>();

  constructor(
    private readonly io: SopsIo,
    private readonly ageKeyFile: () => string | undefined,
  ) {}

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    // A cheap look for sops metadata (YAML `sops:`, JSON `"sops":`, dotenv `sops_…=`) before parsing.
    if (!/^sops:|^\s*"sops":|^sops_mac=/m.test(text)) return [];
    const key = document.uri.toString();
    let entry = this.cache.get(key);
    if (!entry || entry.version !== document.version) {
      entry = { version: document.version, access: keyAccess(document.uri.fsPath, text, this.io, this.ageKeyFile()) };
      this.cache.set(key, entry);
    }
    const range = new vscode.Range(0, 0, 0, 0);
    let access: KeyAccess | undefined;
    try {
      access = await entry.access;
    } catch (error) {
      return [new vscode.CodeLens(range, { title: `SOPS: ${(error as Error).message}`, command: '' })];
    }
    if (!access) return [];
    const recipients = access.recipients.map((g) => g.map(shortRecipient).join(', ')).join(' | ');
    return [
      new vscode.CodeLens(range, { title: '$(unlock) Edit decrypted', command: 'fluxGitops.sops.editFile', arguments: [document.uri] }),
      new vscode.CodeLens(range, { title: `Recipients: ${recipients}`, command: '', tooltip: access.recipients.flat().join('\n') }),
      new vscode.CodeLens(range, {
        title: access.canDecrypt ? '$(key) A local age key can decrypt' : '$(warning) No local age key can decrypt',
        command: '',
        tooltip: `Age keys looked for in: ${access.searched.join(', ')}`,
      }),
    ];
  }
}
