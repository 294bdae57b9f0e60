import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { type WebSocket, WebSocketServer } from 'ws';
import { InputStream } from './input.js';
import {
  CHANNEL,
  errorStatus,
  exitCodeStatus,
  pickProtocol,
  type RemoteCommandProtocol,
  statusIsJson,
  successStatus,
  type TerminalSize,
} from './protocol.js';

/**
 * One remote-command session over WebSocket (`kubectl exec`, `attach`, a node shell): it
 * negotiates the subprotocol, demultiplexes stdin and resize messages, hands the runner its
 * streams, and when the runner returns reports the outcome on the error channel as kubelet
 * does, then closes the connection normally. The runner never sees the framing.
 */

/** What a runner gets: the client's streams, as the request asked for them. */
export interface RemoteCommandIO {
  readonly protocol: RemoteCommandProtocol;
  readonly tty: boolean;
  /** The client's input; undefined unless the request had `stdin=true`. */
  readonly stdin: InputStream | undefined;
  /** Output. With a tty, `\n` goes out as `\r\n` (the terminal's ONLCR), and stderr is stdout. */
  stdout(text: string): void;
  stderr(text: string): void;
  /** The terminal's size so far (a tty sends it at start and on every change). */
  readonly size: TerminalSize | undefined;
  onResize(listener: (size: TerminalSize) => void): void;
  /** Aborted when the client goes away; the runner should stop what it does. */
  readonly signal: AbortSignal;
}

/** How a session ended: an exit code, or a message for a command that could not run. */
export type RemoteCommandOutcome = number | { error: string };

export type RemoteCommandRunner = (io: RemoteCommandIO) => Promise<RemoteCommandOutcome>;

export interface RemoteCommandOptions {
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
  /** The command, for the NonZeroExitCode message (`error executing command [sh -c …]`). */
  argv: string[];
}

/** The upgrade request as Node's `upgrade` event delivers it. */
export interface UpgradeRequest {
  req: IncomingMessage;
  socket: Duplex;
  head: Buffer;
}

const wss = new WebSocketServer({
  noServer: true,
  // kubectl waits for a pong at most 61 s; ws answers pings by itself.
  handleProtocols: (offered) => pickProtocol(offered) ?? false,
  perMessageDeflate: false,
});

/** Read the exec/attach query (`stdin=true&tty=true&command=sh&command=-c…`). */
export function remoteCommandOptions(query: URLSearchParams): RemoteCommandOptions {
  const flag = (n: string) => query.get(n) === 'true' || query.get(n) === '1';
  return {
    stdin: flag('stdin'),
    stdout: flag('stdout'),
    stderr: flag('stderr'),
    tty: flag('tty'),
    argv: query.getAll('command'),
  };
}

export function serveRemoteCommand(
  upgrade: UpgradeRequest,
  opts: RemoteCommandOptions,
  runner: RemoteCommandRunner,
): void {
  wss.handleUpgrade(upgrade.req, upgrade.socket, upgrade.head, (ws) => {
    void runSession(ws, opts, runner);
  });
}

async function runSession(
  ws: WebSocket,
  opts: RemoteCommandOptions,
  runner: RemoteCommandRunner,
): Promise<void> {
  const protocol = pickProtocol(ws.protocol ? [ws.protocol] : []) ?? 'channel.k8s.io';
  const abort = new AbortController();
  const stdin = opts.stdin ? new InputStream() : undefined;
  const decoder = new StringDecoder('utf8');
  const resizeListeners: Array<(s: TerminalSize) => void> = [];
  let size: TerminalSize | undefined;
  const send = (channel: number, text: string) => {
    if (ws.readyState !== ws.OPEN || text === '') return;
    ws.send(Buffer.concat([Buffer.of(channel), Buffer.from(text, 'utf8')]));
  };
  const onlcr = (t: string) => (opts.tty ? t.replace(/\r?\n/g, '\r\n') : t);

  ws.on('message', (data: Buffer, isBinary) => {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
    if (!isBinary || buf.length === 0) return;
    const channel = buf[0];
    const body = buf.subarray(1);
    if (channel === CHANNEL.stdin) stdin?.push(decoder.write(body));
    else if (channel === CHANNEL.resize) {
      try {
        const r = JSON.parse(body.toString('utf8')) as { Width?: number; Height?: number };
        size = { width: Number(r.Width) || 0, height: Number(r.Height) || 0 };
        for (const l of resizeListeners) l(size);
      } catch {
        // A malformed resize is ignored, as kubelet's handler logs and goes on.
      }
    } else if (channel === CHANNEL.close && body[0] === CHANNEL.stdin) stdin?.end();
  });
  ws.on('close', () => {
    stdin?.end();
    abort.abort();
  });
  ws.on('error', () => abort.abort());

  const io: RemoteCommandIO = {
    protocol,
    tty: opts.tty,
    stdin,
    stdout: (t) => {
      if (opts.stdout) send(CHANNEL.stdout, onlcr(t));
    },
    stderr: (t) => {
      if (opts.tty) {
        if (opts.stdout) send(CHANNEL.stdout, onlcr(t));
      } else if (opts.stderr) send(CHANNEL.stderr, t);
    },
    get size() {
      return size;
    },
    onResize: (l) => resizeListeners.push(l),
    signal: abort.signal,
  };

  let outcome: RemoteCommandOutcome;
  try {
    outcome = await runner(io);
  } catch (err) {
    outcome = { error: `error executing command in container: ${(err as Error).message}` };
  }
  if (ws.readyState !== ws.OPEN) return;
  if (statusIsJson(protocol)) {
    const status =
      typeof outcome === 'number'
        ? outcome === 0
          ? successStatus()
          : exitCodeStatus(opts.argv, outcome)
        : errorStatus(outcome.error);
    send(CHANNEL.error, JSON.stringify(status));
  } else if (typeof outcome !== 'number') send(CHANNEL.error, outcome.error);
  else if (outcome !== 0)
    send(CHANNEL.error, `command terminated with non-zero exit code: exit code ${outcome}`);
  ws.close(1000);
}
