import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipReason } from './kubelet-support.js';
import { inPod, type NodeViewLab, startNodeViewLab } from './nodeview-support.js';

/**
 * Pod-to-pod and pod-to-Service traffic as a kind cluster with kindnet carries it: a busybox
 * pod reaches nginx by pod IP and by the Service's DNS name; a deny-all NetworkPolicy makes
 * the same request time out; allowing the client's label brings it back, for that client only.
 */

const pod = (
  name: string,
  node: string,
  labels: Record<string, string>,
  image: string,
  command?: string[],
) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, labels },
  spec: { nodeName: node, containers: [{ name: 'main', image, ...(command ? { command } : {}) }] },
});

describe.skipIf(skipReason)('network: pods, Services, DNS and NetworkPolicy', () => {
  let lab: NodeViewLab;
  let webIP: string;
  beforeAll(async () => {
    lab = await startNodeViewLab();
    const web = await lab.runPod(pod('web', 'lab-worker', { app: 'web' }, 'nginx:1.27'));
    webIP = web.status.podIP;
    await lab.runPod(pod('client', 'lab-worker2', { role: 'client' }, 'busybox:1.37', ['sleep', '3600']));
    await lab.runPod(pod('other', 'lab-worker2', { role: 'other' }, 'busybox:1.37', ['sleep', '3600']));
    await lab.apply({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web' },
      spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] },
    });
    await lab.until(
      () =>
        !!lab.lab.sim.cluster.store.get('core/endpoints', 'default', 'web')?.subsets?.[0]?.addresses?.length,
      'the Service has an endpoint',
    );
  });
  afterAll(async () => lab?.stop());

  /** What `kubectl exec <from> -- wget -qO- -T 2 <url>` shows. */
  const get = (from: string, url: string) => inPod(lab, from, `wget -qO- -T 2 ${url}`);

  it('reaches a pod by IP and a Service by its DNS names', async () => {
    const byIP = await get('client', `http://${webIP}/`);
    expect(byIP.exitCode).toBe(0);
    expect(byIP.stdout).toContain('<title>Welcome to nginx!</title>');
    for (const name of ['web', 'web.default', 'web.default.svc.cluster.local']) {
      const r = await get('client', `http://${name}/`);
      expect(r.stderr).toBe('');
      expect(r.stdout).toContain('Welcome to nginx!');
    }
    const { stdout: svc } = await lab.k(['get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}']);
    const ns = await inPod(lab, 'client', 'nslookup web');
    expect(ns.stdout).toContain('Server:\t\t10.96.0.10');
    expect(ns.stdout).toContain(`Name:\tweb.default.svc.cluster.local\nAddress: ${svc}`);
    const missing = await inPod(lab, 'client', 'wget -qO- -T 2 http://nosuch/');
    expect(missing.exitCode).toBe(1);
    expect(missing.stderr).toContain("wget: bad address 'nosuch'\n");
    const curl = await inPod(lab, 'web', "curl -s -o /dev/null -w '%{http_code}' http://web.default/");
    expect(curl).toMatchObject({ exitCode: 0, stdout: '200' });
    const ping = await inPod(lab, 'client', `ping -c 2 ${webIP}`);
    expect(ping.stdout).toContain('2 packets transmitted, 2 packets received, 0% packet loss');
    const closed = await get('client', `http://${webIP}:8080/`);
    expect(closed.stderr).toContain(`wget: can't connect to remote host (${webIP}): Connection refused\n`);
  });

  it('times out after a deny-all policy and works again for the label a policy allows', async () => {
    await lab.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'deny-all' },
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    });
    for (const url of [`http://${webIP}/`, 'http://web/']) {
      const r = await get('client', url);
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toContain('wget: download timed out\n');
      expect(r.stdout).toBe('');
    }
    await lab.apply({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'allow-client' },
      spec: {
        podSelector: { matchLabels: { app: 'web' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 80 }] }],
      },
    });
    // From another node: only the pod's own node gets past a policy.
    const curl = await lab.onNode('lab-worker2', `curl -sS --connect-timeout 2 http://${webIP}/`);
    expect(curl.exitCode).toBe(28);
    expect(curl.stderr).toBe(
      `curl: (28) Failed to connect to ${webIP} port 80 after 2001 ms: Timeout was reached\n`,
    );
    expect(
      (await lab.onNode('lab-worker', `curl -s -o /dev/null -w '%{http_code}' http://${webIP}/`)).stdout,
    ).toBe('200');
    const allowed = await get('client', 'http://web/');
    expect(allowed.exitCode).toBe(0);
    expect(allowed.stdout).toContain('Welcome to nginx!');
    const denied = await get('other', 'http://web/');
    expect(denied.stderr).toContain('wget: download timed out\n');
    await lab.k(['delete', 'networkpolicy', 'deny-all', 'allow-client']);
    expect((await get('other', 'http://web/')).exitCode).toBe(0);
  });

  it('shows the pod side of the veth pair and ptp routes', async () => {
    const client = lab.pod('client')!;
    const ip = client.status.podIP;
    const addr = await inPod(lab, 'client', 'ip addr');
    expect(addr.stdout).toMatch(/2: eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500/);
    expect(addr.stdout).toContain(`inet ${ip}/24 brd 10.244.2.255 scope global eth0`);
    const route = await inPod(lab, 'client', 'ip route');
    expect(route.stdout).toBe(
      `default via 10.244.2.1 dev eth0 \n10.244.2.0/24 via 10.244.2.1 dev eth0 src ${ip} \n10.244.2.1 dev eth0 scope link src ${ip} \n`,
    );
    expect((await inPod(lab, 'client', 'hostname -i')).stdout).toBe(`${ip}\n`);
    const node = await lab.onNode('lab-worker', 'ip route');
    expect(node.stdout).toContain('10.244.2.0/24 via 172.18.0.4 dev eth0');
  });
});
