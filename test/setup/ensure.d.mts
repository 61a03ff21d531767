// Types of ensure.mjs (plain JavaScript so that test/run.mjs can use it before tsx is loaded).
export declare const SETUP_OF_SUITE: Readonly<Record<string, readonly string[]>>;
export declare function setupsFor(suites: Iterable<string>): string[];
export declare function ensureSetup(names: readonly string[]): Promise<void>;
