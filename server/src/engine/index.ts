/** The engine's public entry: every host (language server, lint CLI, tests) imports it from here. */
export { Engine, type EngineOptions, type SkippedFileListener, type StaleListener } from './engine';
