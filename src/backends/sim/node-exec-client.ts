import WebSocket from 'ws';

/**
 * The client side of the sim's node exec route (`/apis/sim.clusterlab.dev/v1/nodes/{name}/exec`):
 * the remote-command WebSocket protocol kubectl exec speaks (`v5.channel.k8s.io`: a channel
 * byte per message; 0 stdin, 1 stdout, 2 stderr, 3 the final Status, 4 resize, 255 close),
 * authenticated with the lab's token and CA.
 */

export interface SimEndpoint {
  server: string;
  token: string;
  caCert: string;
}

export interface NodeExecStreams {
  /** Input to send (a string is sent whole, then closed). */
  stdin?: string | NodeJS.ReadableStream;
  tty?: boolean;
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** The terminal's size now and whenever it changes (tty only). */
  size?: () => { width: number; height: number } | undefined;
  onResize?: (listener: () => void) => () => void;
}

export class NodeExecError extends Error {}

function exitCodeOf(status: any): number {
  if (status?.status === 'Success') return 0;
  const cause = status?.details?.causes?.find((c: any) => c.reason === 'ExitCode');
  if (status?.reason === 'NonZeroExitCode' && cause) return Number(cause.message);
  throw new NodeExecError(status?.message ?? 'the node exec ended without a status');
}

export function nodeExecUrl(
  server: string,
  node: string,
  argv: string[],
  o: { stdin: boolean; tty: boolean },
): string {
  const q = new URLSearchParams();
  for (const a of argv) q.append('command', a);
  q.set('stdout', 'true');
  q.set('stderr', String(!o.tty));
  q.set('stdin', String(o.stdin));
  q.set('tty', String(o.tty));
  return `${server.replace(/^http/, 'ws')}/apis/sim.clusterlab.dev/v1/nodes/${encodeURIComponent(node)}/exec?${q}`;
}

/** Run argv on the node; resolves with its exit code. */
export function execOnNode(
  ep: SimEndpoint,
  node: string,
  argv: string[],
  streams: NodeExecStreams,
): Promise<number> {
  const tty = !!streams.tty;
  const url = nodeExecUrl(ep.server, node, argv, { stdin: streams.stdin !== undefined, tty });
  return new Promise<number>((resolve, reject) => {
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: ep.caCert,
      headers: { Authorization: `Bearer ${ep.token}` },
    });
    let status: any;
    const cleanups: Array<() => void> = [];
    const send = (channel: number, data: Buffer | string) => {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(Buffer.concat([Buffer.of(channel), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
    };
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => {
        let message = `the sim refused the node exec (HTTP ${res.statusCode})`;
        try {
          message = JSON.parse(body).message ?? message;
        } catch {
          // Not a Status: keep the HTTP code.
        }
        reject(new NodeExecError(message));
      });
    });
    ws.on('open', () => {
      const resize = () => {
        const s = streams.size?.();
        if (s) send(4, JSON.stringify({ Width: s.width, Height: s.height }));
      };
      if (tty) {
        resize();
        const off = streams.onResize?.(resize);
        if (off) cleanups.push(off);
      }
      const input = streams.stdin;
      if (typeof input === 'string') {
        send(0, input);
        send(255, Buffer.of(0));
      } else if (input) {
        const onData = (d: Buffer | string) => send(0, Buffer.isBuffer(d) ? d : Buffer.from(d));
        const onEnd = () => send(255, Buffer.of(0));
        input.on('data', onData);
        input.on('end', onEnd);
        // Listeners first, then the flow: nothing typed before the connection opened is lost.
        input.resume();
        cleanups.push(() => {
          input.off('data', onData);
          input.off('end', onEnd);
        });
      }
    });
    ws.on('message', (data: Buffer) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (buf.length === 0) return;
      const body = buf.subarray(1);
      if (buf[0] === 1) streams.stdout(body);
      else if (buf[0] === 2) streams.stderr(body);
      else if (buf[0] === 3) {
        try {
          status = JSON.parse(body.toString('utf8'));
        } catch {
          status = { status: 'Failure', message: body.toString('utf8') };
        }
      }
    });
    ws.on('error', (err) => reject(new NodeExecError(err.message)));
    ws.on('close', () => {
      for (const c of cleanups) c();
      try {
        resolve(exitCodeOf(status));
      } catch (e) {
        reject(e);
      }
    });
  });
}
