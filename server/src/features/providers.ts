import type { CodeAction, CompletionItem, Hover } from 'vscode-languageserver';
import type { CodeActionContextParams, PositionContext, Rule } from './context';

/** Adds completion items at a position (all providers' items are merged). */
export type CompletionProvider = (ctx: PositionContext) => CompletionItem[];
/** Hover at a position; the first provider returning one wins (more specific providers first). */
export type HoverProvider = (ctx: PositionContext) => Hover | undefined;
/** Code actions for a range and the diagnostics the client sends with it. */
export type CodeActionProvider = (ctx: CodeActionContextParams) => CodeAction[];

/** Rules and providers, each list in the order the engine uses it. */
export interface FeatureTable {
  readonly rules: readonly Rule[];
  readonly completionProviders: readonly CompletionProvider[];
  readonly hoverProviders: readonly HoverProvider[];
  readonly codeActionProviders: readonly CodeActionProvider[];
}
