import { STATUS_CODES } from 'node:http';
import type { HttpAnswer } from '../node/process/types.js';
import type { Dial } from './cluster-network.js';
import { type NetPeer, type Resolution, resolveFrom } from './peer.js';

/**
 * What `wget` and `curl` share: parsing a URL, resolving its host, connecting through the
 * cluster's data path and making one GET, with the time each failure costs the client (a
 * dropped SYN waits for the kernel's retries, 127 s with `tcp_syn_retries = 6`).
 */

/** 1 + 2 + 4 + 8 + 16 + 32 + 64 s: Linux gives up a connect after its 6 SYN retries. */
export const KERNEL_CONNECT_TIMEOUT_MS = 127_000;

export interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
}

export function parseUrl(raw: string): Url | undefined {
  const m = /^(?:(https?):\/\/)?([^/:?#]+)(?::(\d+))?([^#]*)$/.exec(raw);
  if (!m) return undefined;
  const scheme = m[1] ?? 'http';
  return {
    scheme,
    host: m[2]!,
    port: m[3] ? Number(m[3]) : scheme === 'https' ? 443 : 80,
    path: m[4] || '/',
  };
}

export type Fetch =
  | { kind: 'resolved-failed'; resolution: Exclude<Resolution, { ok: true }> }
  | { kind: 'dial-failed'; ip: string; dial: Exclude<Dial, { ok: true }> }
  | { kind: 'no-http'; ip: string }
  | { kind: 'response'; ip: string; answer: HttpAnswer };

export function fetchUrl(peer: NetPeer, url: Url): Fetch {
  const resolution = resolveFrom(peer, url.host);
  if (!resolution.ok) return { kind: 'resolved-failed', resolution };
  const ip = resolution.answer.addresses[0]!;
  const dial = peer.view.network.dial(peer.from, ip, url.port, 'TCP');
  if (!dial.ok) return { kind: 'dial-failed', ip, dial };
  const answer = dial.request(url.path.split('?')[0] || '/');
  if (!answer || answer.status === 0) return { kind: 'no-http', ip };
  return { kind: 'response', ip, answer };
}

export function statusLine(status: number): string {
  return `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
}

/** The headers the sim's servers send (enough for `-S`, `-I`, `-i`). */
export function responseHeaders(answer: HttpAnswer, now: number): string[] {
  return [
    statusLine(answer.status),
    `Date: ${new Date(now).toUTCString()}`,
    'Content-Type: text/html',
    `Content-Length: ${Buffer.byteLength(answer.body)}`,
    'Connection: close',
  ];
}
