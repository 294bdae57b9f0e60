import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlFor, kubectlVersions } from '../helpers/kubectl.js';
import { type KubeletLab, skipReason, startKubeletLab } from './kubelet-support.js';

/**
 * `kubectl exec` through the real kubectl: stdin, exit codes, the container's shell and its
 * files, the errors for a wrong container; kubectl 1.30–1.33 over WebSocket v5, and the
 * refusal older ones get (they speak SPDY only).
 */

const pod = (name: string, extra: object = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels: { app: name } },
  spec: {
    nodeName: 'lab-worker',
    containers: [{ name: 'box', image: 'busybox:1.37', command: ['sh', '-c', 'sleep 3600'] }],
    ...extra,
  },
});

describe.skipIf(skipReason)('kubectl exec', () => {
  let t: KubeletLab;
  beforeAll(async () => {
    t = await startKubeletLab();
    await t.apply(pod('shell'));
    await t.until(() => t.pod('shell')?.status?.phase === 'Running', 'Running');
  }, 60_000);
  afterAll(() => t?.stop());

  it('passes stdin through and reports the exit code as kubectl prints it', async () => {
    const r = await t.k(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; exit 3'], {
      input: 'hi\n',
      allowFail: true,
    });
    expect(r.stdout).toBe('hi\n');
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('command terminated with exit code 3');
  });

  it('runs pipelines, redirections, && and || in the container, with its files', async () => {
    const script =
      'echo one > /tmp/f && echo two >> /tmp/f; cat /tmp/f | wc -l; ls /nope 2>/dev/null || echo missing; hostname; echo "$((6*7))"';
    const r = await t.k(['exec', 'shell', '--', 'sh', '-c', script]);
    expect(r.stdout).toBe('2\nmissing\nshell\n42\n');
  });

  it('shows the mounts kubelet and CRI-O make, and refuses writes to read-only ones', async () => {
    const mounts = (await t.k(['exec', 'shell', '--', 'mount'])).stdout;
    expect(mounts).toMatch(/^overlay on \/ type overlay \(rw,/m);
    expect(mounts).toMatch(/^\/dev\/sda1 on \/etc\/hosts type ext4 \(rw,relatime\)$/m);
    expect(mounts).toMatch(/on \/dev\/termination-log type/m);
    expect(mounts).toMatch(/^tmpfs on \/var\/run\/secrets\/kubernetes.io\/serviceaccount type tmpfs \(ro,/m);
    const ro = await t.k(
      ['exec', 'shell', '--', 'touch', '/var/run/secrets/kubernetes.io/serviceaccount/x'],
      {
        allowFail: true,
      },
    );
    expect(ro.code).toBe(1);
    expect(ro.stderr).toContain('Read-only file system');
    const token = await t.k(['exec', 'shell', '--', 'ls', '/var/run/secrets/kubernetes.io/serviceaccount']);
    expect(token.stdout).toBe('ca.crt\nnamespace\ntoken\n');
  });

  it('shows the environment with the Service variables, and the user', async () => {
    const env = (await t.k(['exec', 'shell', '--', 'env'])).stdout;
    expect(env).toMatch(/^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m);
    expect(env).toMatch(/^HOSTNAME=shell$/m);
    expect((await t.k(['exec', 'shell', '--', 'id'])).stdout).toBe(
      'uid=0(root) gid=0(root) groups=0(root),10(wheel)\n',
    );
  });

  it('says when the command does not exist and when the container is wrong', async () => {
    const missing = await t.k(['exec', 'shell', '--', 'nosuchcmd'], { allowFail: true });
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('executable file not found in $PATH');
    const wrong = await t.k(['exec', 'shell', '-c', 'nope', '--', 'true'], { allowFail: true });
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain('container nope is not valid for pod shell');
  });

  it('refuses port-forward, saying how to reach the pod instead', async () => {
    const r = await t.k(['port-forward', 'pod/shell', '18080:80'], { allowFail: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('port-forward is not available on the simulated cluster');
    expect(r.stderr).toContain('kubectl exec shell -- wget -qO- localhost:PORT');
  });

  const others = kubectlVersions(27).filter((v) => v.label !== 'PATH');
  for (const v of others) {
    const minor = Number(v.label.split('.')[1]);
    it(`kubectl ${v.label} ${minor >= 30 ? 'execs over WebSocket' : 'is told to use a newer kubectl'}`, async () => {
      const k = kubectlFor(v.bin, t.lab.kubeconfig, v.label);
      const r = await k(['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; exit 4'], {
        input: 'v\n',
        allowFail: true,
      });
      if (minor >= 30) {
        expect(r.stdout).toBe('v\n');
        expect(r.code).toBe(4);
        expect(r.stderr).toContain('command terminated with exit code 4');
      } else {
        expect(r.code).not.toBe(0);
        expect(r.stderr).toContain('Error from server (BadRequest): the simulated cluster serves exec');
        expect(r.stderr).toContain('use kubectl 1.30 or newer');
      }
    });
  }

  const v129 = others.find((v) => v.label === '1.29');
  it.skipIf(!v129)('kubectl 1.29 execs over WebSocket when asked to', async () => {
    const home = path.join(path.dirname(t.lab.kubeconfig), 'kubectl-home');
    // The sim serves from this process: kubectl must run without blocking it.
    const child = spawn(v129!.bin, ['exec', '-i', 'shell', '--', 'sh', '-c', 'cat; exit 2'], {
      env: {
        ...process.env,
        KUBECONFIG: t.lab.kubeconfig,
        HOME: home,
        KUBECTL_REMOTE_COMMAND_WEBSOCKETS: 'true',
      },
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stdin.end('ws\n');
    const status = await new Promise<number | null>((r) => child.on('exit', r));
    expect(out).toBe('ws\n');
    expect(status).toBe(2);
  });
});
