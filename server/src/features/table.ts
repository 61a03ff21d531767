import type { CodeActionProvider, CompletionProvider, HoverProvider } from './providers';
import { quickFixActions } from './quickFix';

/** Completion providers; every provider's items are merged. Add one with one line. */
export const COMPLETION_PROVIDERS: readonly CompletionProvider[] = [];

/** Hover providers, most specific first: the first that answers wins. */
export const HOVER_PROVIDERS: readonly HoverProvider[] = [];

export const CODE_ACTION_PROVIDERS: readonly CodeActionProvider[] = [quickFixActions];
