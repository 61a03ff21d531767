import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from '../lsp/startServer';
import { UsageError, type CliCommand } from './command';

/** `flux-gitops lsp --stdio`: the same language server as dist/server.js, on stdin/stdout. */
export const lspCommand: CliCommand = {
  summary: 'run the language server on stdio (for Neovim, Helix, ...)',
  usage: 'usage: flux-gitops lsp --stdio',
  async run(args, io) {
    if (args.length !== 1 || args[0] !== '--stdio') throw new UsageError('only --stdio is supported');
    startServer(createConnection(ProposedFeatures.all, io.stdin, io.stdout));
    // The server lives until its connection closes (the LSP exit notification ends the process).
    return -1;
  },
};
