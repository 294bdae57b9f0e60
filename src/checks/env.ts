import type { PodExec } from '../kube/exec.js';
import type { WatchHandle, WatchKey } from '../kube/informers.js';
import type { Capability } from './types.js';

/** A node a probe can run commands on; the session makes these from the lab backend's handles. */
export interface ExecTarget {
  name: string;
  role: 'control-plane' | 'worker';
  exec(argv: string[]): Promise<{ stdout: string; stderr: string; exitCode: number }>;
}

export interface Reply {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * What the probes may use. The session builds it from a lab (its kubeconfig, its backend's node
 * handles and capabilities); tests build it from fakes. Nothing here names a backend.
 */
export interface ProbeEnv {
  watch(key: WatchKey, onChange: () => void): WatchHandle;
  nodes(): Promise<ExecTarget[]>;
  podExec: PodExec;
  /** A request to the lab's API server with its credentials. */
  apiRequest(
    method: string,
    path: string,
    o: { body?: string; headers?: Record<string, string>; timeoutMs: number },
  ): Promise<Reply>;
  /** A request to any URL from this machine. */
  fetch(
    url: string,
    o: { method: string; body?: string; headers?: Record<string, string>; timeoutMs: number },
  ): Promise<Reply>;
  capabilities: ReadonlySet<Capability>;
}

/** Plain fetch with a timeout, for http probes on absolute URLs. */
export async function fetchReply(
  url: string,
  o: { method: string; body?: string; headers?: Record<string, string>; timeoutMs: number },
): Promise<Reply> {
  const res = await fetch(url, {
    method: o.method,
    body: o.body,
    headers: o.headers,
    signal: AbortSignal.timeout(o.timeoutMs),
    redirect: 'manual',
  });
  const headers: Record<string, string> = {};
  res.headers.forEach((v, k) => {
    headers[k] = v;
  });
  return { status: res.status, body: await res.text(), headers };
}

/** Reject with a clear message when `p` takes longer than `ms`. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
