import * as fs from 'node:fs';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../sim/files.js';
import { containersByLabels } from '../docker/containers.js';
import { installAddons } from './addons/install.js';
import { isAddonId } from './addons/names.js';
import { MIRROR_CONF_IN_NODE, mirrorsConf } from './cache-names.js';
import { renderKindConfig } from './config.js';
import type { CreateStep } from './context.js';
import { cachePresent, startCache } from './image-cache.js';
import { pickIngressPort } from './ingress-port.js';
import { kindStatusReporter, runKind } from './kind-cli.js';
import { renameKubeconfigContext } from './kubeconfig-file.js';
import { clusterName, KIND_CLUSTER_LABEL, kindContextName, labContextName } from './names.js';
import { ensureNodeImage } from './node-image.js';
import { writeKindLab } from './record.js';
import { waitForCrioNodes } from './verify.js';

/** Creating a kind lab, in order; any failure deletes what was made unless --retain. */
export const CREATE_STEPS: CreateStep[] = [
  {
    title: 'Preparing lab files',
    doneAt: 2,
    async run(c) {
      const existing = await containersByLabels(c.docker, { [KIND_CLUSTER_LABEL]: clusterName(c.spec.name) });
      if (existing.length > 0)
        throw new UserError(
          `a kind cluster called "${clusterName(c.spec.name)}" already exists (${existing.map((e) => e.name).join(', ')}), ` +
            'and clusterlab did not make it: it will not touch it',
          {
            fix: `kind delete cluster --name ${clusterName(c.spec.name)}  (if it is yours to delete), or choose another lab name`,
          },
        );
      const preferred = c.ingress.hostPort;
      c.ingress = await pickIngressPort(c.stateDir, c.ingress);
      c.record = {
        backend: 'kind',
        createdAt: new Date().toISOString(),
        labId: c.spec.labId,
        cluster: clusterName(c.spec.name),
        controlPlanes: c.spec.controlPlanes,
        workers: c.spec.workers,
        kubernetesVersion: c.spec.kubernetesVersion,
        podSubnet: c.spec.podSubnet,
        serviceSubnet: c.spec.serviceSubnet,
        addons: c.spec.addons ?? [],
        ingress: c.ingress,
        phase: 'creating',
      };
      writeKindLab(c.dir, c.record);
      const { listenAddress, hostPort } = c.ingress;
      return hostPort === preferred
        ? undefined
        : `ingress on ${listenAddress}:${hostPort} (${preferred} is taken)`;
    },
  },
  {
    title: 'Building the CRI-O node image',
    doneAt: 30,
    async run(c) {
      const r = await ensureNodeImage(
        c.docker,
        c.spec.kubernetesVersion,
        c.env,
        {
          line: (l) => {
            if (/^Step \d+\/\d+ :/.test(l)) c.log.info(`  ${l}`);
          },
          step: (done, total) => c.progress.percent(2 + (28 * done) / total),
        },
        c.signal,
        c.log,
      );
      c.image = r.image;
      c.record!.nodeImage = r.image;
      writeKindLab(c.dir, c.record!);
      return {
        env: `${r.image}, from CLUSTERLAB_KIND_NODE_IMAGE`,
        built: `built ${r.image}`,
        reused: `reused ${r.image}`,
      }[r.source];
    },
  },
  {
    title: 'Using the image cache',
    doneAt: 32,
    async run(c) {
      if (!(await cachePresent(c.docker)))
        return 'none here; nodes pull from the internet (clusterlab prefetch makes one)';
      const upstreams = await startCache(c.docker);
      writeFileAtomic(c.files.mirrorConf, mirrorsConf(upstreams), 0o644);
      c.usesImageCache = true;
      c.record!.usesImageCache = true;
      writeKindLab(c.dir, c.record!);
      return `pulls of ${upstreams.map((u) => u.registry).join(', ')} go through it`;
    },
  },
  {
    title: 'Writing the kind config',
    doneAt: 33,
    async run(c) {
      const text = renderKindConfig(c.spec, {
        ingress: c.ingress,
        mirrorConf: c.usesImageCache
          ? { hostPath: c.files.mirrorConf, containerPath: MIRROR_CONF_IN_NODE }
          : undefined,
      });
      writeFileAtomic(c.files.kindConfig, text, 0o644);
    },
  },
  {
    title: 'kind create cluster',
    doneAt: 75,
    ownPhases: true,
    async run(c) {
      const argv = [
        'create',
        'cluster',
        '--name',
        clusterName(c.spec.name),
        '--config',
        c.files.kindConfig,
        '--image',
        c.image!,
        '--kubeconfig',
        c.files.kubeconfig,
        '--wait',
        '5m',
        ...(c.retain ? ['--retain'] : []),
      ];
      const status = kindStatusReporter(c.progress, (f) => c.progress.percent(33 + 42 * f));
      c.kindRan = true;
      try {
        await runKind(argv, {
          bin: c.kindBin,
          env: c.env,
          signal: c.signal,
          onLine: (l) => {
            c.log.debug(`kind: ${l}`);
            status.line(l);
          },
        });
        status.close(true);
      } catch (err) {
        status.close(false);
        throw err;
      }
      if (!fs.existsSync(c.files.kubeconfig))
        throw new UserError(`kind create cluster succeeded but wrote no kubeconfig at ${c.files.kubeconfig}`);
      renameKubeconfigContext(c.files.kubeconfig, kindContextName(c.spec.name), labContextName(c.spec.name));
    },
  },
  {
    title: 'Waiting for the nodes to run CRI-O and be Ready',
    doneAt: 85,
    async run(c) {
      const expected = c.spec.controlPlanes + c.spec.workers;
      const nodes = await waitForCrioNodes(
        c.files.kubeconfig,
        { expected, image: c.image!, timeoutMs: c.readyTimeoutMs, signal: c.signal },
        (registered, ready) => c.progress.percent(75 + (10 * (registered + ready)) / (2 * expected)),
      );
      const runtimes = [...new Set(nodes.map((n) => n.runtime))].join(', ');
      return `${nodes.length} nodes on ${runtimes}`;
    },
  },
  {
    title: 'Installing addons',
    doneAt: 99,
    ownPhases: true,
    when: (c) => (c.spec.addons ?? []).length > 0,
    async run(c) {
      await installAddons((c.spec.addons ?? []).filter(isAddonId), {
        kubeconfig: c.files.kubeconfig,
        kubectl: c.kubectlBin ?? 'kubectl',
        env: c.env,
        progress: c.progress,
        signal: c.signal,
        root: c.root,
      });
    },
  },
  {
    title: 'Recording the lab',
    doneAt: 100,
    async run(c) {
      c.record!.phase = 'ready';
      writeKindLab(c.dir, c.record!);
    },
  },
];
