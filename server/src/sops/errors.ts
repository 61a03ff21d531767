/**
 * Every failure of the SOPS engine. `kind` says what went wrong; `exitCode` is the code the real
 * `sops` exits with for the same failure, so the CLI can mirror it. Messages never hold plaintext.
 */
export type SopsErrorKind =
  | 'format' // not a SOPS file / not YAML / unsupported layout
  | 'unsupported-format' // dotenv, JSON, binary
  | 'metadata-not-found'
  | 'already-encrypted'
  | 'no-identity' // no key could decrypt the data key
  | 'unsupported-key' // ssh, plugin, pgp, kms…
  | 'mac-mismatch'
  | 'tampered'
  | 'config'
  | 'value';

const EXIT_CODES: Record<SopsErrorKind, number> = {
  format: 1,
  'unsupported-format': 1,
  'metadata-not-found': 1,
  'already-encrypted': 203,
  'no-identity': 128,
  'unsupported-key': 128,
  'mac-mismatch': 51,
  tampered: 25,
  config: 61,
  value: 23,
};

export class SopsError extends Error {
  readonly exitCode: number;
  constructor(
    readonly kind: SopsErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'SopsError';
    this.exitCode = EXIT_CODES[kind];
  }
}
