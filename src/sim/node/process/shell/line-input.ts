/**
 * A shell's input, line by line. Through a terminal (`kubectl exec -it`) it is what the
 * kernel's line discipline does in cooked mode: typed characters are echoed, Backspace
 * erases, Ctrl-U kills the line, Enter ends it, Ctrl-C interrupts what runs, Ctrl-D on an
 * empty line is the end of input. Without a terminal it is the raw bytes split at newlines.
 */

export interface TextSource {
  /** The next chunk, or undefined at the end. */
  read(): Promise<string | undefined>;
}

export class LineInput {
  private buffer = '';
  private readonly lines: Array<string | undefined> = [];
  private waiters: Array<() => void> = [];
  private ended = false;
  private pumping = false;
  private readonly interruptListeners = new Set<() => void>();

  constructor(
    private readonly source: TextSource | undefined,
    private readonly tty: boolean,
    private readonly echo: (text: string) => void,
  ) {
    if (!source) this.ended = true;
  }

  /** Run `fn` on every Ctrl-C until the returned function is called. */
  onInterrupt(fn: () => void): () => void {
    this.interruptListeners.add(fn);
    this.pump();
    return () => this.interruptListeners.delete(fn);
  }

  /** One line without its newline; undefined at the end of input. */
  async readLine(): Promise<string | undefined> {
    this.pump();
    while (this.lines.length === 0 && !(this.ended && !this.buffer)) await this.wait();
    if (this.lines.length) return this.lines.shift();
    return undefined;
  }

  /** Everything until the end of input, as the command reading it sees it. */
  async readAll(): Promise<string> {
    let out = '';
    for (let l = await this.readLine(); l !== undefined; l = await this.readLine()) out += `${l}\n`;
    if (!this.tty && this.buffer) {
      out += this.buffer;
      this.buffer = '';
    }
    // Later readers see the end of input too.
    this.lines.push(undefined);
    return out;
  }

  private wait(): Promise<void> {
    return new Promise((r) => this.waiters.push(r));
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private pump(): void {
    if (this.pumping || !this.source) return;
    this.pumping = true;
    void (async () => {
      for (let chunk = await this.source!.read(); chunk !== undefined; chunk = await this.source!.read()) {
        if (this.tty) this.cooked(chunk);
        else this.raw(chunk);
        this.wake();
      }
      this.ended = true;
      if (!this.tty && this.buffer) {
        this.lines.push(this.buffer);
        this.buffer = '';
      }
      this.lines.push(undefined);
      this.wake();
    })();
  }

  private raw(chunk: string): void {
    const parts = (this.buffer + chunk).split('\n');
    this.buffer = parts.pop()!;
    this.lines.push(...parts);
  }

  private cooked(chunk: string): void {
    for (const ch of chunk) {
      if (ch === '\r' || ch === '\n') {
        this.echo('\r\n');
        this.lines.push(this.buffer);
        this.buffer = '';
      } else if (ch === '\x7f' || ch === '\b') {
        if (this.buffer) {
          this.buffer = this.buffer.slice(0, -1);
          this.echo('\b \b');
        }
      } else if (ch === '\x15') {
        this.echo('\b \b'.repeat(this.buffer.length));
        this.buffer = '';
      } else if (ch === '\x03') {
        this.echo('^C\r\n');
        this.buffer = '';
        for (const l of [...this.interruptListeners]) l();
      } else if (ch === '\x04') {
        if (this.buffer === '') this.lines.push(undefined);
      } else if (ch === '\x1b') {
        // Escape sequences (arrow keys) are not line editing this terminal knows: dropped.
      } else if (ch >= ' ' || ch === '\t') {
        this.buffer += ch;
        this.echo(ch);
      }
    }
  }
}
