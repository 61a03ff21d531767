import type { CodeAction, CompletionItem, Hover } from 'vscode-languageserver';
import type { CodeActionContextParams, PositionContext } from './context';

/** Adds completion items at a position (all providers' items are merged). */
export type CompletionProvider = (ctx: PositionContext) => CompletionItem[];
/** Hover at a position; the first provider returning one wins (more specific providers first). */
export type HoverProvider = (ctx: PositionContext) => Hover | undefined;
/** Code actions for a range and the diagnostics the client sends with it. */
export type CodeActionProvider = (ctx: CodeActionContextParams) => CodeAction[];
