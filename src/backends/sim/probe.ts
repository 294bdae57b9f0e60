import * as fs from 'node:fs';
import * as https from 'node:https';
import { type EndpointInfo, labFiles } from '../../sim/files.js';

/** Where the sim of the lab in `dir` says it listens, or undefined before it has said so. */
export function readEndpoint(dir: string): EndpointInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(labFiles(dir).endpoint, 'utf8')) as EndpointInfo;
    return typeof info.pid === 'number' && typeof info.server === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

interface Reply {
  status: number;
  body: string;
}

/** GET over HTTPS, trusting only the lab's CA; no keep-alive, so nothing holds the CLI open. */
function get(url: string, ca: string, token: string | undefined, timeoutMs: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      {
        ca,
        agent: false,
        timeout: timeoutMs,
        headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Talks to one lab's API server the way a careful client would: its CA, its token. */
export class LabProbe {
  private readonly ca: string;
  private readonly token: string | undefined;

  constructor(
    private readonly server: string,
    dir: string,
    private readonly timeoutMs = 2_000,
  ) {
    const f = labFiles(dir);
    this.ca = fs.readFileSync(f.caCert, 'utf8');
    this.token = fs.existsSync(f.token) ? fs.readFileSync(f.token, 'utf8').trim() : undefined;
  }

  /** Whether `GET /readyz` answers `ok`. */
  async ready(): Promise<boolean> {
    try {
      const r = await get(`${this.server}/readyz`, this.ca, undefined, this.timeoutMs);
      return r.status === 200;
    } catch {
      return false;
    }
  }

  /** How many registered nodes report Ready=True. */
  async readyNodes(): Promise<{ ready: number; total: number }> {
    const r = await get(`${this.server}/api/v1/nodes`, this.ca, this.token, this.timeoutMs);
    if (r.status !== 200) throw new Error(`GET /api/v1/nodes answered ${r.status}: ${r.body.slice(0, 200)}`);
    const items = (JSON.parse(r.body).items ?? []) as Array<{
      status?: { conditions?: Array<{ type: string; status: string }> };
    }>;
    const ready = items.filter((n) =>
      n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ).length;
    return { ready, total: items.length };
  }
}

/** Probe the lab in `dir` if its endpoint file names `pid` (or any pid when not given). */
export async function labAnswers(dir: string, pid?: number): Promise<EndpointInfo | undefined> {
  const endpoint = readEndpoint(dir);
  if (!endpoint || (pid !== undefined && endpoint.pid !== pid)) return undefined;
  try {
    return (await new LabProbe(endpoint.server, dir).ready()) ? endpoint : undefined;
  } catch {
    return undefined;
  }
}
