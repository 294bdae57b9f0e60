import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Kubectl } from '../helpers/kubectl.js';

/** Helpers the CRD suites share. */

/** Forget kubectl's cached discovery, as a new machine (or an expired cache) would. */
export function dropDiscoveryCache(kubeconfig: string): void {
  fs.rmSync(path.join(path.dirname(kubeconfig), 'kubectl-home', 'cache'), { recursive: true, force: true });
}

/** Run kubectl until its output matches, for state the sim's controllers reach asynchronously. */
export async function eventually(
  kubectl: Kubectl,
  args: string[],
  accept: (stdout: string) => boolean,
  timeoutMs = 10_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const r = await kubectl(args, { allowFail: true });
    last = r.stdout + r.stderr;
    if (r.code === 0 && accept(r.stdout)) return r.stdout;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`kubectl ${args.join(' ')} never gave the expected output; last:\n${last}`);
}
