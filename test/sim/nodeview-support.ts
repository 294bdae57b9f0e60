import { execOnNode } from '../../src/backends/sim/node-exec-client.js';
import { type KubeletLab, startKubeletLab } from './kubelet-support.js';

/**
 * What the node view suites share: a kubelet lab on a virtual clock, a way to run a command
 * on a node through the sim's node exec route (as `clusterlab node exec` does), and pods
 * that are waited for until they run.
 */

export interface NodeViewLab extends KubeletLab {
  /** Run `sh -c script` on a node; the virtual clock moves on while the command waits. */
  onNode(node: string, script: string): Promise<{ stdout: string; stderr: string; exitCode: number }>;
  /** Create a pod and wait until it runs; returns the stored pod. */
  runPod(pod: object): Promise<any>;
}

export async function startNodeViewLab(): Promise<NodeViewLab> {
  const base = await startKubeletLab();
  const ep = { server: base.lab.server, token: base.lab.token, caCert: base.lab.caCert };
  return {
    ...base,
    async onNode(node, script) {
      let out = '';
      let err = '';
      let done = false;
      const run = execOnNode(ep, node, ['sh', '-c', script], {
        stdout: (b) => (out += b.toString()),
        stderr: (b) => (err += b.toString()),
      }).finally(() => (done = true));
      // Commands that wait (timeouts) wait on the sim's clock: move it while they run.
      for (let i = 0; i < 2000 && !done; i++) {
        await new Promise((r) => setTimeout(r, 5));
        if (!done) await base.clock.advance(250);
      }
      const exitCode = await run;
      return { stdout: out, stderr: err, exitCode };
    },
    async runPod(pod: any) {
      await base.apply(pod);
      const ns = pod.metadata.namespace ?? 'default';
      await base.until(
        () => base.pod(pod.metadata.name, ns)?.status?.containerStatuses?.every((c: any) => c.ready) === true,
        `pod ${pod.metadata.name} ready`,
      );
      return base.pod(pod.metadata.name, ns);
    },
  };
}

export { startKubeletLab };

/**
 * `kubectl exec POD -- sh -c script` with the real kubectl, moving the virtual clock while it
 * runs (a command that waits, waits on the sim's clock). kubectl passes the exit code through
 * and adds `command terminated with exit code N` to stderr.
 */
export async function inPod(
  lab: NodeViewLab,
  pod: string,
  script: string,
  opts: { namespace?: string; container?: string } = {},
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const args = ['exec', '-n', opts.namespace ?? 'default', pod];
  if (opts.container) args.push('-c', opts.container);
  let done = false;
  const run = lab.k([...args, '--', 'sh', '-c', script], { allowFail: true }).finally(() => (done = true));
  for (let i = 0; i < 4000 && !done; i++) {
    await new Promise((r) => setTimeout(r, 5));
    if (!done) await lab.clock.advance(250);
  }
  const r = await run;
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.code };
}
