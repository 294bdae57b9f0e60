import * as https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';

/**
 * The one place that talks to a Kubernetes API: a lab's kubeconfig loaded with client-node,
 * raw JSON requests with its credentials, and (in the sibling modules) discovery, shared
 * informers and pod exec on top of it.
 */

export interface RawReply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export interface RequestOptions {
  body?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class KubeClient {
  private agent: https.Agent | undefined;
  private agentReady: Promise<https.RequestOptions> | undefined;

  constructor(readonly kc: KubeConfig) {}

  static fromFile(file: string): KubeClient {
    const kc = new KubeConfig();
    kc.loadFromFile(file);
    return new KubeClient(kc);
  }

  get server(): string {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    return cluster.server;
  }

  /** TLS and auth options from the kubeconfig, with one keep-alive agent for every request. */
  private options(): Promise<https.RequestOptions> {
    this.agentReady ??= (async () => {
      const opts: https.RequestOptions = {};
      await this.kc.applyToHTTPSOptions(opts);
      this.agent = new https.Agent({
        ca: opts.ca,
        cert: opts.cert,
        key: opts.key,
        rejectUnauthorized: opts.rejectUnauthorized,
        keepAlive: true,
        maxSockets: 16,
      });
      return opts;
    })();
    return this.agentReady;
  }

  /** One request to the API server; any status is returned (only a failure to connect rejects). */
  async request(method: string, path: string, o: RequestOptions = {}): Promise<RawReply> {
    const base = await this.options();
    // Tokens from exec plugins can expire: fetch the headers anew for every request.
    const auth: https.RequestOptions = {};
    await this.kc.applyToHTTPSOptions(auth);
    const url = new URL(this.server.replace(/\/$/, '') + path);
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...(auth.headers as Record<string, string> | undefined),
      ...o.headers,
    };
    if (o.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      headers['content-length'] = String(Buffer.byteLength(o.body));
    }
    return new Promise((resolve, reject) => {
      const req = https.request(
        url,
        { method, headers, agent: this.agent, auth: base.auth, timeout: o.timeoutMs ?? 15_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const flat: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) flat[k] = String(v);
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).toString('utf8'),
              headers: flat,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`no answer from ${url.origin} within ${o.timeoutMs ?? 15_000} ms`)),
      );
      req.on('error', reject);
      if (o.body !== undefined) req.write(o.body);
      req.end();
    });
  }

  /** GET a JSON document, failing with the API's own message on an error status. */
  async getJson<T = unknown>(path: string): Promise<T> {
    const r = await this.request('GET', path);
    if (r.status >= 400)
      throw new ApiError(r.status, statusMessage(r.body) ?? `GET ${path} answered ${r.status}`);
    return JSON.parse(r.body) as T;
  }

  close(): void {
    this.agent?.destroy();
  }
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The `message` of a Kubernetes Status body, if it is one. */
export function statusMessage(body: string): string | undefined {
  try {
    const s = JSON.parse(body) as { kind?: string; message?: string };
    return s.kind === 'Status' && s.message ? s.message : undefined;
  } catch {
    return undefined;
  }
}
