import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerClient } from '../../src/backends/docker/client.js';
import { dockerFixes } from '../../src/backends/docker/fixes.js';
import { CACHE_UPSTREAMS, mirrorsConf, splitImage, viaCache } from '../../src/backends/kind/cache-names.js';
import { kindConfig } from '../../src/backends/kind/config.js';
import { gatherKindHostFacts } from '../../src/backends/kind/host-facts.js';
import { imagesInText } from '../../src/backends/kind/image-list.js';
import { pickIngressPort, portFree } from '../../src/backends/kind/ingress-port.js';
import { kindStatusReporter, parseKindVersion } from '../../src/backends/kind/kind-cli.js';
import { renameKubeconfigContext } from '../../src/backends/kind/kubeconfig-file.js';
import { nodeNames } from '../../src/backends/kind/names.js';
import { type KindHostFacts, kindPreflightIssues } from '../../src/backends/kind/preflight.js';
import { type KindLabRecord, writeKindLab } from '../../src/backends/kind/record.js';
import { crioError, notCrio } from '../../src/backends/kind/verify.js';
import { labNamespace, learnerSlug } from '../../src/backends/kubeconfig/names.js';
import { parseLabDefinition } from '../../src/backends/lab-definition.js';
import type { LabSpec, Progress } from '../../src/backends/types.js';
import { labDir } from '../../src/state/paths.js';

const GiB = 1024 ** 3;
const spec = (o: Partial<LabSpec> = {}): LabSpec => ({
  name: 'lab',
  labId: 'kind',
  controlPlanes: 1,
  workers: 2,
  kubernetesVersion: 'v1.33.1',
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/16',
  ...o,
});
const ingress = { nodePort: 31080, hostPort: 8080, listenAddress: '127.0.0.1' };

describe('kind names and config', () => {
  it('names nodes as kind does: the first of a role has no number', () => {
    expect(nodeNames('ab1', 1, 3).map((n) => n.name)).toEqual([
      'ab1-control-plane',
      'ab1-worker',
      'ab1-worker2',
      'ab1-worker3',
    ]);
    expect(nodeNames('lab', 1, 0)).toEqual([{ name: 'lab-control-plane', role: 'control-plane' }]);
  });

  it('gives nodes the labels of their role and of their own name, and mounts the cache mirrors on every node', () => {
    const config = kindConfig(
      spec({
        topology: { worker: { labels: { size: 'small' } }, byName: { worker2: { labels: { disk: 'ssd' } } } },
      }),
      {
        ingress,
        mirrorConf: { hostPath: '/s/m.conf', containerPath: '/etc/containers/registries.conf.d/50.conf' },
      },
    ) as { nodes: Array<{ labels?: Record<string, string>; extraMounts: unknown[] }> };
    expect(config.nodes.map((n) => n.labels)).toEqual([
      undefined,
      { size: 'small' },
      { size: 'small', disk: 'ssd' },
    ]);
    for (const n of config.nodes)
      expect(n.extraMounts).toEqual([
        { hostPath: '/s/m.conf', containerPath: '/etc/containers/registries.conf.d/50.conf', readOnly: true },
      ]);
  });

  it('a single-node lab is one control plane with both criSocket patches and the ingress port', () => {
    const config = kindConfig(spec({ workers: 0 }), { ingress }) as { nodes: Array<Record<string, unknown>> };
    expect(config.nodes).toHaveLength(1);
    expect((config.nodes[0]!.kubeadmConfigPatches as string[]).map((p) => parse(p).kind)).toEqual([
      'InitConfiguration',
      'JoinConfiguration',
    ]);
    expect(config.nodes[0]!.extraPortMappings).toHaveLength(1);
  });
});

describe('the ingress port of a new kind lab', () => {
  it('is 8080 unless something listens there or another kind lab has it; then the next free one', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (busy.address() as net.AddressInfo).port;
    const state = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-ingress-'));
    try {
      const preferred = { ...ingress, hostPort: port };
      // Another lab's port counts even when nothing listens (a stopped lab takes it back).
      writeKindLab(labDir(state, 'other'), {
        ...({} as KindLabRecord),
        backend: 'kind',
        cluster: 'other',
        ingress: { ...ingress, hostPort: port + 1 },
      });
      const picked = await pickIngressPort(state, preferred);
      expect(picked.hostPort).toBeGreaterThan(port + 1);
      expect(await portFree('127.0.0.1', picked.hostPort)).toBe(true);
      busy.close();
      expect(await pickIngressPort(state, preferred)).toEqual(preferred);
    } finally {
      busy.close();
      fs.rmSync(state, { recursive: true, force: true });
    }
  });
});

describe('kind preflight', () => {
  const facts = (o: Partial<KindHostFacts> = {}): KindHostFacts => ({
    platform: 'linux',
    arch: 'x64',
    docker: { ok: true, memoryBytes: 16 * GiB, cpus: 8 },
    kind: { path: '/usr/local/bin/kind', version: '0.29.0' },
    inotify: { maxUserWatches: 524288, maxUserInstances: 512 },
    freeDiskBytes: 100 * GiB,
    nodes: 3,
    ...o,
  });

  it('finds nothing on a host that has everything', () => {
    expect(kindPreflightIssues(facts())).toEqual([]);
  });

  it('says how to install kind on each platform', () => {
    const fix = (platform: NodeJS.Platform) => kindPreflightIssues(facts({ platform, kind: undefined }))[0]!;
    expect(fix('linux')).toMatchObject({
      problem: 'kind is not installed (clusterlab runs it to create the cluster)',
      blocking: true,
    });
    expect(fix('linux').fix).toBe(
      'curl -Lo ./kind https://kind.sigs.k8s.io/dl/v0.29.0/kind-linux-amd64 && chmod +x ./kind && sudo mv ./kind /usr/local/bin/kind',
    );
    expect(fix('darwin').fix).toBe('brew install kind');
    expect(fix('win32').fix).toBe('winget install -e --id Kubernetes.kind');
  });

  it('refuses a kind older than 0.20 and a Docker with one CPU; warns about memory, inotify and disk', () => {
    const issues = kindPreflightIssues(
      facts({
        kind: { path: '/k', version: '0.17.0' },
        docker: { ok: true, memoryBytes: 3 * GiB, cpus: 1 },
        inotify: { maxUserWatches: 8192, maxUserInstances: 128 },
        freeDiskBytes: 5 * GiB,
      }),
    );
    expect(issues.map((i) => [i.problem, i.blocking])).toEqual([
      ['Docker has 3.0 GiB of memory; a 3-node kind lab needs about 4.0 GiB', false],
      ["Docker has 1 CPU; kind's control plane needs 2", true],
      ['kind 0.17.0 is too old; clusterlab needs 0.20.0 or newer (tested with v0.29.0)', true],
      [
        'the inotify limits are low for a multi-node kind lab (max_user_watches 8192, max_user_instances 128): pods fail with "too many open files"',
        false,
      ],
      [
        'only 5.0 GiB of disk is free; the node image and the images the nodes pull need about 10.0 GiB',
        false,
      ],
    ]);
    expect(issues[3]!.fix).toBe(
      'sudo sysctl fs.inotify.max_user_watches=524288 fs.inotify.max_user_instances=512',
    );
  });

  it("passes on Docker's own complaint and fix", () => {
    const issues = kindPreflightIssues(
      facts({ docker: { ok: false, problem: 'Docker is not running', fix: 'open -a Docker' } }),
    );
    expect(issues).toEqual([{ problem: 'Docker is not running', fix: 'open -a Docker', blocking: true }]);
  });

  it('tells a Docker that is not installed from one that is not running', async () => {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-bin-'));
    const docker = dockerClient({ DOCKER_HOST: `unix://${path.join(bin, 'docker.sock')}` });
    try {
      const none = await gatherKindHostFacts(docker, { PATH: bin }, 3, bin);
      expect(none.docker).toEqual({
        ok: false,
        problem: 'Docker is not installed (kind runs its nodes as Docker containers)',
        fix: dockerFixes(process.platform).install,
      });
      fs.writeFileSync(path.join(bin, 'docker'), '#!/bin/sh\n', { mode: 0o755 });
      const stopped = await gatherKindHostFacts(docker, { PATH: bin }, 3, bin);
      expect(stopped.docker).toMatchObject({ ok: false, fix: dockerFixes(process.platform).start });
      expect((stopped.docker as { problem: string }).problem).toMatch(
        /^Docker is not running \(nothing answers on /,
      );
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe("kind's output", () => {
  it('reads its version', () => {
    expect(parseKindVersion('kind v0.29.0 go1.24.2 linux/amd64')).toBe('0.29.0');
    expect(parseKindVersion('kind version 0.20.0')).toBe('0.20.0');
  });

  it('turns its status lines into phases, without the emoji', () => {
    const events: string[] = [];
    const p: Progress = {
      start: (t) => events.push(`start ${t}`),
      end: (ok) => events.push(`end ${ok}`),
      percent() {},
    };
    const r = kindStatusReporter(p, () => undefined);
    for (const line of [
      'Creating cluster "lab" ...',
      ' • Ensuring node image (clusterlab/kind-node-crio:v1.33.1-abc) 🖼  ...',
      ' ✓ Ensuring node image (clusterlab/kind-node-crio:v1.33.1-abc) 🖼',
      ' • Starting control-plane 🕹️  ...',
      ' ✗ Starting control-plane 🕹️',
      'ERROR: failed to create cluster',
    ])
      r.line(line);
    r.close(false);
    expect(events).toEqual([
      'start kind: Ensuring node image (clusterlab/kind-node-crio:v1.33.1-abc)',
      'end true',
      'start kind: Starting control-plane',
      'end false',
    ]);
  });
});

describe('CRI-O verification', () => {
  it('names every node that does not run CRI-O', () => {
    const nodes = [
      { name: 'lab-control-plane', runtime: 'cri-o://1.33.2', ready: true },
      { name: 'lab-worker', runtime: 'containerd://2.1.1', ready: true },
    ];
    expect(notCrio(nodes).map((n) => n.name)).toEqual(['lab-worker']);
    expect(crioError(notCrio(nodes), 'img:1').message).toBe(
      "the lab's nodes must run CRI-O, but lab-worker: containerd://2.1.1. The node image (img:1) did not switch the kubelet to CRI-O",
    );
  });
});

describe('image cache', () => {
  it('reads image names as CRI-O with docker.io as its search registry does', () => {
    expect(splitImage('nginx:1.27')).toEqual({ registry: 'docker.io', path: 'library/nginx:1.27' });
    expect(splitImage('polinux/stress')).toEqual({ registry: 'docker.io', path: 'polinux/stress' });
    expect(splitImage('registry.k8s.io/pause:3.10')).toEqual({
      registry: 'registry.k8s.io',
      path: 'pause:3.10',
    });
    expect(splitImage('localhost:5000/x')).toEqual({ registry: 'localhost:5000', path: 'x' });
  });

  it("pulls through the proxy of the image's registry, keeping digests", () => {
    const port = (r: string) => CACHE_UPSTREAMS.find((u) => u.registry === r)!.hostPort;
    expect(viaCache('nginx')).toBe(`127.0.0.1:${port('docker.io')}/library/nginx:latest`);
    expect(viaCache('gcr.io/knative-releases/knative.dev/serving/cmd/controller@sha256:abc')).toBe(
      `127.0.0.1:${port('gcr.io')}/knative-releases/knative.dev/serving/cmd/controller@sha256:abc`,
    );
    expect(viaCache('mcr.microsoft.com/x:1')).toBeUndefined();
  });

  it('writes a registries.conf drop-in with one insecure mirror per upstream', () => {
    const conf = mirrorsConf(CACHE_UPSTREAMS.slice(0, 1));
    expect(conf).toContain(
      '[[registry]]\nprefix = "docker.io"\nlocation = "docker.io"\n\n[[registry.mirror]]\nlocation = "clusterlab-cache-docker-io:5000"\ninsecure = true\n',
    );
  });

  it("finds the images of manifests, kubectl commands and Knative's queue-proxy setting", () => {
    const text = [
      'spec:\n  containers:\n    - name: a\n      image: "gcr.io/knative-releases/x@sha256:1f"\n',
      '  - image: nginx:1.27 # the web tier\n',
      'kubectl -n shop create deployment web --image=nginx:1.27 --replicas=2\n',
      '  queue-sidecar-image: gcr.io/knative-releases/queue@sha256:2e\n',
      '  image: $(IMAGE)\n',
    ].join('');
    expect(imagesInText(text)).toEqual([
      'gcr.io/knative-releases/queue@sha256:2e',
      'gcr.io/knative-releases/x@sha256:1f',
      'nginx:1.27',
    ]);
  });
});

describe('kubeconfig of a kind lab', () => {
  it("renames kind's cluster, user and context to clusterlab's, mode 0600", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-')), 'kubeconfig');
    fs.writeFileSync(
      file,
      'apiVersion: v1\nclusters:\n- name: kind-lab\n  cluster: {server: "https://127.0.0.1:1"}\nusers:\n- name: kind-lab\n  user: {token: t}\ncontexts:\n- name: kind-lab\n  context: {cluster: kind-lab, user: kind-lab}\ncurrent-context: kind-lab\n',
    );
    renameKubeconfigContext(file, 'kind-lab', 'clusterlab-lab');
    const doc = parse(fs.readFileSync(file, 'utf8'));
    expect(doc['current-context']).toBe('clusterlab-lab');
    expect(doc.contexts).toEqual([
      { name: 'clusterlab-lab', context: { cluster: 'clusterlab-lab', user: 'clusterlab-lab' } },
    ]);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('names on a shared cluster', () => {
  it('gives each learner a namespace per lab, within a DNS label', () => {
    expect(labNamespace('ada', 'lab')).toBe('clusterlab-ada-lab');
    expect(learnerSlug('Ana María O’Neil')).toBe('ana-mar-a-o-neil');
    const long = labNamespace('a-very-long-learner-name-indeed', 'x'.repeat(40));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(long).toMatch(/^clusterlab-a-very-long-learner-x+-[0-9a-f]{8}$/);
    expect(labNamespace('a-very-long-learner-name-indeed', 'x'.repeat(40))).toBe(long);
    expect(labNamespace('a-very-long-learner-name-indeed', `${'x'.repeat(39)}y`)).not.toBe(long);
  });
});

describe('addons in lab definitions', () => {
  const def = (addons: string) =>
    `id: x\ntitle: X\nbackend: kind\nnodes: { controlPlanes: 1, workers: 1 }\naddons: ${addons}\n`;
  it('reads the list, and points at an unknown addon with what there is', () => {
    expect(parseLabDefinition(def('[local-path, serverless]'), 'labs/x.yaml').addons).toEqual([
      'local-path',
      'serverless',
    ]);
    expect(() => parseLabDefinition(def('[local-path, knative]'), 'labs/x.yaml')).toThrow(
      'labs/x.yaml:5:22: "addons": "knative" is not an addon; the addons are: local-path, serverless, memcached-crd',
    );
    expect(() => parseLabDefinition(def('serverless'), 'labs/x.yaml')).toThrow(
      'labs/x.yaml:5:9: "addons" is a list: [local-path, serverless, memcached-crd]',
    );
  });
});
