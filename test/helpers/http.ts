import * as https from 'node:https';
import type { TestLab } from './sim.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json(): any;
}

/** One request to a lab's API server, trusting the lab's CA; `token: null` sends none. */
export function apiRequest(
  lab: Pick<TestLab, 'server' | 'token' | 'caCert'>,
  method: string,
  path: string,
  opts: {
    body?: string | Buffer;
    headers?: Record<string, string>;
    token?: string | null;
    timeoutMs?: number;
  } = {},
): Promise<RawResponse> {
  const url = new URL(path, lab.server);
  const token = opts.token === undefined ? lab.token : opts.token;
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (opts.body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(opts.body));
  }
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method, headers, ca: lab.caCert, timeout: opts.timeoutMs ?? 15_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in time`)));
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}
