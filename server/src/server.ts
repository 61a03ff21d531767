/**
 * Entry point of dist/server.js, which the VS Code client starts over IPC: the transport comes
 * from the command line (--node-ipc, --stdio, --socket). The server itself is lsp/startServer.ts.
 */
import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './lsp/startServer';

startServer(createConnection(ProposedFeatures.all));
