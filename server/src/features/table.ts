import type { CodeActionProvider, CompletionProvider, HoverProvider } from './providers';
import { keyCompletion } from './completion/keys';
import { skeletonCompletion } from './completion/skeletons';
import { valueCompletion } from './completion/values';
import { schemaHover } from './hover';
import { quickFixActions } from './quickFix';

/** Completion providers; every provider's items are merged. Add one with one line. */
export const COMPLETION_PROVIDERS: readonly CompletionProvider[] = [keyCompletion, valueCompletion, skeletonCompletion];

/** Hover providers, most specific first: the first that answers wins. */
export const HOVER_PROVIDERS: readonly HoverProvider[] = [schemaHover];

export const CODE_ACTION_PROVIDERS: readonly CodeActionProvider[] = [quickFixActions];
