/** A reconciler that runs inside the sim and writes through the internal client. */
export interface Controller {
  readonly name: string;
  start(): void;
  stop(): void;
  /** Resolves when the controller has nothing left to do right now (tests). */
  idle(): Promise<void>;
}
