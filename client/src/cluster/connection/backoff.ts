/** Exponential reconnect delays with jitter, reset after a success. Randomness is passed in. */
export interface BackoffOptions {
  readonly initialMs: number;
  readonly maxMs: number;
  /** Returns a number in [0, 1); the delay is spread over [delay/2, delay). */
  readonly random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, random: Math.random };

export class Backoff {
  private attempt = 0;
  constructor(private readonly options: BackoffOptions = DEFAULT_BACKOFF) {}

  next(): number {
    const ceiling = Math.min(this.options.maxMs, this.options.initialMs * 2 ** this.attempt);
    this.attempt++;
    return Math.round(ceiling / 2 + (ceiling / 2) * this.options.random());
  }

  reset(): void {
    this.attempt = 0;
  }
}
