/**
 * A stream of text a client sends (a remote command's stdin): chunks queue up until someone
 * reads them, and `end()` marks the end of input (v5's CLOSE signal, or the client going).
 * Readers wait without polling.
 */
export class InputStream implements AsyncIterable<string> {
  private readonly chunks: string[] = [];
  private ended = false;
  private waiters: Array<() => void> = [];

  push(text: string): void {
    if (this.ended || text === '') return;
    this.chunks.push(text);
    this.wake();
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.wake();
  }

  get isEnded(): boolean {
    return this.ended && this.chunks.length === 0;
  }

  /** The next chunk, or undefined at the end of input. */
  async read(): Promise<string | undefined> {
    while (this.chunks.length === 0 && !this.ended) await new Promise<void>((r) => this.waiters.push(r));
    return this.chunks.shift();
  }

  /** Everything until the end of input. */
  async readAll(): Promise<string> {
    let out = '';
    for (let c = await this.read(); c !== undefined; c = await this.read()) out += c;
    return out;
  }

  /** Put text back in front (a reader took more than it needed). */
  unshift(text: string): void {
    if (text) this.chunks.unshift(text);
  }

  async *[Symbol.asyncIterator](): AsyncIterator<string> {
    for (let c = await this.read(); c !== undefined; c = await this.read()) yield c;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
}
