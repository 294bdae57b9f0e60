import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContextImage } from '../../src/backends/docker/build.js';
import { scenarioImages } from '../../src/backends/kind/image-list.js';
import { SHELL_IMAGE } from '../../src/backends/kubeconfig/names.js';
import { installPaths } from '../../src/state/install.js';
import { harness } from '../scenario/cli-harness.js';
import { dockerOrSkip, ensureTestImage } from './helpers/docker.js';

/**
 * `clusterlab prefetch` against the real Docker engine, with a stand-in for the CRI-O node
 * image: it has a `kubeadm` that lists the control-plane images and kind's manifests under
 * /kind/manifests, which is what prefetch reads from the real one.
 */
const { docker, skip } = await dockerOrSkip();

const KUBEADM_IMAGES = [
  'registry.k8s.io/coredns/coredns:v1.12.0',
  'registry.k8s.io/etcd:3.5.21-0',
  'registry.k8s.io/kube-apiserver:v1.33.1',
  'registry.k8s.io/kube-controller-manager:v1.33.1',
  'registry.k8s.io/kube-proxy:v1.33.1',
  'registry.k8s.io/kube-scheduler:v1.33.1',
  'registry.k8s.io/pause:3.10',
];
const KIND_MANIFEST_IMAGES = [
  'docker.io/kindest/kindnetd:v20250512-df8de77b',
  'docker.io/kindest/local-path-provisioner:v20250214-acbabc1a',
];

describe.skipIf(!!skip)('clusterlab prefetch, against the real Docker engine', () => {
  const h = harness();
  let nodeImage = '';
  let dir = '';

  beforeAll(async () => {
    const base = await ensureTestImage(docker!);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-node-standin-'));
    // kubeadm prints the list for the version it is given, as `kubeadm config images list` does.
    const kubeadm = `#!/bin/sh\n[ "$4" = --kubernetes-version ] || exit 2\nfor i in ${KUBEADM_IMAGES.map((i) => i.replace('v1.33.1', '$5')).join(' ')}; do echo "$i"; done\n`;
    fs.writeFileSync(path.join(dir, 'kubeadm'), kubeadm, { mode: 0o755 });
    fs.mkdirSync(path.join(dir, 'manifests'));
    fs.writeFileSync(
      path.join(dir, 'manifests', 'default-cni.yaml'),
      `kind: DaemonSet\nspec:\n  template:\n    spec:\n      containers:\n      - name: kindnet-cni\n        image: ${KIND_MANIFEST_IMAGES[0]}\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'manifests', 'default-storage.yaml'),
      `kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${KIND_MANIFEST_IMAGES[1]}\n          name: local-path-provisioner\n`,
    );
    fs.writeFileSync(
      path.join(dir, 'Dockerfile'),
      `FROM ${base}\nCOPY kubeadm /bin/kubeadm\nCOPY manifests/ /kind/manifests/\n`,
    );
    nodeImage = (
      await buildContextImage(docker!, {
        contextDir: dir,
        repository: 'clusterlab-test/node-standin',
        tagPrefix: 't',
      })
    ).image;
    h.env.CLUSTERLAB_KIND_NODE_IMAGE = nodeImage;
  }, 120_000);
  afterAll(async () => {
    h.cleanup();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    if (nodeImage)
      await docker
        ?.getImage(nodeImage)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('--list names every image a kind lab needs: the nodes’ first-boot pulls, its own, the scenarios’', async () => {
    const r = await h.run(['prefetch', '--lab', 'kind', '--list', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    const scenarios = scenarioImages(path.join(installPaths().root, 'scenarios'));
    expect(report.images).toEqual(
      [...new Set([...KUBEADM_IMAGES, ...KIND_MANIFEST_IMAGES, SHELL_IMAGE, ...scenarios])].sort(),
    );
    expect(report.nodeImages).toEqual([nodeImage]);
    expect(report.cached).toEqual([]);
    // Listing pulls nothing and starts no cache.
    expect(r.stderr).not.toContain('Starting the image cache');
    const plain = await h.run(['prefetch', '--lab', 'kind', '--list']);
    expect(plain.stdout.trim().split('\n')).toEqual(report.images);
  });

  it('refuses a lab that does not run on kind', async () => {
    const r = await h.run(['prefetch', '--lab', 'shared-cluster']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'lab "shared-cluster" runs on the kubeconfig backend; prefetch prepares the images of kind labs',
    );
  });

  it('says what the cache could not get, and the command that gets it', async () => {
    // An image no registry has: fails the same way offline (here) and online (a laptop).
    const missing = 'clusterlab-test/no-such-registry:0';
    const r = await h.run(['prefetch', '--lab', 'kind'], {
      env: { CLUSTERLAB_CACHE_REGISTRY_IMAGE: missing },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('✗ Starting the image cache');
    expect(r.stderr).toContain(`could not pull ${missing}, which the image cache runs`);
    expect(r.stderr).toContain(
      `fix: docker pull ${missing}  (prefetch needs the internet once, before the workshop)`,
    );
  });
});
