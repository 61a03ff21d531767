/**
 * When the language server validates open documents (and publishes their diagnostics): once the
 * changes to them stop, not once per change. The JSON-RPC connection handles one message per
 * event-loop turn, so changes that queued up (a burst of keystrokes, or typing during a long
 * validation) arrive on consecutive turns: validation waits for a turn without any change, then
 * runs once, on the latest text. When a document's validation is slow (a large file) and its
 * changes come faster than that (typing), it also waits for a pause in them as long as its last
 * validation took (up to MAX_DELAY_MS), so typing stays fluid. A change that comes after the
 * previous one was validated (so later than a validation takes) is validated on the next quiet turn.
 */

/** Validations after a change faster than this leave the document validated on the next quiet turn. */
const FAST_MS = 100;
/** The longest a large document waits after its latest change. */
const MAX_DELAY_MS = 1000;

export class ValidationQueue {
  /** Documents to validate, with the time their pause starts (-Infinity: no pause to wait for). */
  private readonly pending = new Map<string, number>();
  /** When each document last changed. */
  private readonly lastChange = new Map<string, number>();
  /** How long each document's last validation after a change took (a first one, whole, says little). */
  private readonly costs = new Map<string, number>();
  /** Documents changed since their last validation. */
  private readonly edited = new Set<string>();
  private changes = 0;
  /** `changes` at the previous turn: a change since means more may be queued behind it. */
  private changesAtLastTurn = 0;
  private turnScheduled = false;
  /** The document being validated now. */
  private validating: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Validates one document and publishes the result; errors are passed to `onError`. */
    private readonly validate: (uri: string) => void,
    private readonly onError: (uri: string, error: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The document changed: validate it once changes stop. */
  changed(uri: string): void {
    this.changes++;
    const now = this.now();
    const previous = this.lastChange.get(uri) ?? Number.NEGATIVE_INFINITY;
    this.lastChange.set(uri, now);
    this.edited.add(uri);
    this.pending.set(uri, now - previous < this.delay(uri) ? now : Number.NEGATIVE_INFINITY);
    this.scheduleTurn();
  }

  /** Validate the document on the next quiet turn (opened, or something it reads changed). */
  request(uri: string): void {
    // Asked while it is being validated: by what that validation read first (its own latest text).
    if (uri === this.validating) return;
    if (!this.pending.has(uri)) this.pending.set(uri, Number.NEGATIVE_INFINITY);
    this.scheduleTurn();
  }

  /** The document closed: nothing to validate. */
  forget(uri: string): void {
    this.pending.delete(uri);
    this.costs.delete(uri);
    this.lastChange.delete(uri);
    this.edited.delete(uri);
  }

  private scheduleTurn(): void {
    if (this.turnScheduled) return;
    this.turnScheduled = true;
    setImmediate(() => this.turn());
  }

  private turn(): void {
    this.turnScheduled = false;
    if (this.changes !== this.changesAtLastTurn) {
      this.changesAtLastTurn = this.changes;
      this.scheduleTurn();
      return;
    }
    let wait = Number.POSITIVE_INFINITY;
    for (const [uri, pauseFrom] of [...this.pending]) {
      const remaining = pauseFrom + this.delay(uri) - this.now();
      if (remaining > 0) {
        wait = Math.min(wait, remaining);
        continue;
      }
      this.pending.delete(uri);
      const start = this.now();
      this.validating = uri;
      try {
        this.validate(uri);
      } catch (error) {
        this.onError(uri, error);
      } finally {
        this.validating = undefined;
      }
      if (this.edited.delete(uri)) this.costs.set(uri, this.now() - start);
    }
    if (wait === Number.POSITIVE_INFINITY) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.scheduleTurn(), wait);
  }

  private delay(uri: string): number {
    const cost = this.costs.get(uri) ?? 0;
    return cost < FAST_MS ? 0 : Math.min(cost, MAX_DELAY_MS);
  }
}
