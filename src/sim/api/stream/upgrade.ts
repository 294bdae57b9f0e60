import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ApiError } from '../errors.js';
import type { ResourceRequest } from '../request-info.js';
import type { ApiServices } from '../services.js';
import type { UpgradeRequest } from './session.js';

/**
 * Connection upgrades (WebSocket, SPDY) reach the API server outside its request handler:
 * Node hands them over with the raw socket. A handler either takes the socket over
 * (`serveRemoteCommand`) or refuses with a `Status`, which clients print as the reason.
 */

export interface UpgradeContext extends UpgradeRequest {
  url: URL;
  /** The resource request (`pods/exec` of a pod), undefined for the sim's own paths. */
  info: ResourceRequest | undefined;
  services: ApiServices;
}

export type UpgradeHandler = (ctx: UpgradeContext) => void | Promise<void>;

/** Which protocol the client asks to switch to: `websocket`, `spdy` (SPDY/3.1), or another. */
export function upgradeKind(ctx: UpgradeRequest): 'websocket' | 'spdy' | 'other' {
  const u = String(ctx.req.headers.upgrade ?? '').toLowerCase();
  if (u === 'websocket') return 'websocket';
  if (u.startsWith('spdy/')) return 'spdy';
  return 'other';
}

/** Answer an upgrade request with an error Status instead of switching protocols. */
export function rejectUpgrade(socket: Duplex, err: ApiError): void {
  const body = JSON.stringify(err.toStatus());
  if (socket.destroyed) return;
  socket.end(
    `HTTP/1.1 ${err.code} ${STATUS_CODES[err.code] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      'Cache-Control: no-cache, private\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
