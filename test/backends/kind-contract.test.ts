import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CACHE_UPSTREAMS,
  cacheLabels,
  MIRROR_CONF_IN_NODE,
  mirrorsConf,
} from '../../src/backends/kind/cache-names.js';
import { KIND_CLUSTER_LABEL, KIND_NETWORK } from '../../src/backends/kind/names.js';
import { labNodes } from '../../src/backends/labs.js';
import { silentLogger } from '../../src/backends/types.js';
import { BIN, type CliHome, cliHome, eventually, ROOT, requireBuild } from '../cli/helpers/cli.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { dockerOrSkip, ensureTestImage, hasDockerCli, removeLabelled } from './helpers/docker.js';

/**
 * `clusterlab up --backend kind` end to end, with a fake `kind` on PATH that records how it is
 * called, starts node containers with kind's labels in the real Docker engine, and hands back
 * the kubeconfig of a running sim lab, so every step after `kind create` meets a real API.
 */
const { docker, skip: noDocker } = await dockerOrSkip();
const skip = noDocker ?? (hasDockerCli() ? undefined : 'the docker CLI is missing (the fake kind runs it)');
const FAKE_KIND_DIR = path.join(ROOT, 'test', 'fixtures', 'kind');
/** Each test runs the CLI several times; a loaded 2-core machine needs the room. */
const SLOW = 150_000;

interface KindCall {
  argv: string[];
  config?: string;
}

describe.skipIf(!!skip)(
  'the kind backend with a fake kind, against a sim lab and the real Docker engine',
  () => {
    let home: CliHome;
    let sim: TestLab;
    let log: string;
    const labs: string[] = [];
    /** Each test its own lab (and kind cluster) name, so one failure leaves nothing in the next one's way. */
    const newLab = () => {
      labs.push(`kc${randomBytes(3).toString('hex')}`);
      return labs.at(-1)!;
    };
    /** What kind was asked to do (`kind version`, from the preflight, aside). */
    const calls = (): KindCall[] =>
      fs.existsSync(log)
        ? fs
            .readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as KindCall)
            .filter((c) => c.argv[0] !== 'version')
        : [];
    const nodeContainers = async (lab: string) =>
      (await docker!.listContainers({ all: true, filters: { label: [`${KIND_CLUSTER_LABEL}=${lab}`] } }))
        .map((c) => c.Names[0]!.slice(1))
        .sort();
    const labPath = (lab: string, ...p: string[]) => path.join(home.dir, 'labs', lab, ...p);

    beforeAll(async () => {
      requireBuild();
      const image = await ensureTestImage(docker!);
      sim = await startTestLab({ name: 'kind-contract', nodes: 3 });
      home = cliHome();
      log = path.join(home.dir, '..', 'kind-calls.jsonl');
      Object.assign(home.env, {
        PATH: `${FAKE_KIND_DIR}${path.delimiter}${process.env.PATH}`,
        FAKE_KIND_LOG: log,
        FAKE_KIND_KUBECONFIG: sim.kubeconfig,
        FAKE_KIND_NODE_IMAGE: image,
        CLUSTERLAB_KIND_NODE_IMAGE: image,
        CLUSTERLAB_KIND_READY_TIMEOUT: '60',
      });
    }, 120_000);
    afterAll(async () => {
      await home?.cleanup();
      await sim?.stop();
      for (const lab of labs) if (docker) await removeLabelled(docker, `${KIND_CLUSTER_LABEL}=${lab}`);
    }, SLOW);

    it(
      'creates the lab with kind: argv, generated config, CRI-O check, addons, status, node exec, down',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const up = await home.ok(['up', '--name', lab, '--lab', 'kind']);
        expect(up.stdout).toContain(
          `Lab "${lab}" is up: 3 nodes (1 control plane, 2 workers), Kubernetes v1.33.1, kind backend.`,
        );
        expect(up.stderr).toContain('kind: Starting control-plane');
        expect(up.stderr).toMatch(
          /✓ Waiting for the nodes to run CRI-O and be Ready — 3 nodes on cri-o:\/\/1\.33\.2/,
        );
        expect(up.stderr).toContain('✓ Addon local-path: StorageClass "standard" is the default');

        const [create, ...rest] = calls();
        expect(rest).toEqual([]);
        expect(create!.argv).toEqual([
          'create',
          'cluster',
          '--name',
          lab,
          '--config',
          labPath(lab, 'kind-config.yaml'),
          '--image',
          home.env.CLUSTERLAB_KIND_NODE_IMAGE,
          '--kubeconfig',
          labPath(lab, 'kubeconfig'),
          '--wait',
          '5m',
        ]);
        const config = parse(create!.config!);
        expect(config).toMatchObject({ kind: 'Cluster', apiVersion: 'kind.x-k8s.io/v1alpha4', name: lab });
        expect(config.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
        expect(config.nodes.map((n: { role: string }) => n.role)).toEqual([
          'control-plane',
          'worker',
          'worker',
        ]);
        for (const node of config.nodes) {
          const patches = node.kubeadmConfigPatches.map((p: string) => parse(p));
          const kinds = patches.map((p: { kind: string }) => p.kind);
          expect(kinds).toEqual(
            node.role === 'control-plane'
              ? ['InitConfiguration', 'JoinConfiguration']
              : ['JoinConfiguration'],
          );
          for (const p of patches)
            expect(p.nodeRegistration.criSocket).toBe('unix:///var/run/crio/crio.sock');
        }
        expect(config.nodes[0].extraPortMappings).toEqual([
          { containerPort: 31080, hostPort: 8080, listenAddress: '127.0.0.1', protocol: 'TCP' },
        ]);
        expect(config.nodes[1].extraPortMappings).toBeUndefined();

        // The kubeconfig is the lab's own, renamed to clusterlab's context, private, and it works.
        const kc = (await home.ok(['kubeconfig', '--name', lab])).stdout.trim();
        expect(kc).toBe(labPath(lab, 'kubeconfig'));
        expect(fs.statSync(kc).mode & 0o777).toBe(0o600);
        expect(parse(fs.readFileSync(kc, 'utf8'))['current-context']).toBe(`clusterlab-${lab}`);
        const status = JSON.parse((await home.ok(['status', '--name', lab, '--json'])).stdout);
        expect(status).toMatchObject({
          name: lab,
          backend: 'kind',
          status: 'running',
          nodes: 3,
          labId: 'kind',
        });

        // Nodes come from Docker's labels; a command runs in the node container.
        const nodes = await labNodes(lab, { stateDir: home.dir, log: silentLogger, env: home.env });
        expect(nodes.map((n) => `${n.name}/${n.role}`)).toEqual([
          `${lab}-control-plane/control-plane`,
          `${lab}-worker/worker`,
          `${lab}-worker2/worker`,
        ]);
        expect(await nodes[2]!.exec(['sh', '-c', 'echo on $(cat /etc/hostname); exit 4'])).toEqual({
          stdout: `on ${lab}-worker2\n`,
          stderr: '',
          exitCode: 4,
        });

        // up again: nothing to make.
        const again = await home.ok(['up', '--name', lab]);
        expect(again.stdout).toContain(`Lab "${lab}" is already running`);
        expect(calls()).toHaveLength(1);

        const down = await home.ok(['down', '--name', lab]);
        expect(down.stdout).toContain(`Lab "${lab}" was stopped and deleted.`);
        expect(calls().at(-1)!.argv).toEqual([
          'delete',
          'cluster',
          '--name',
          lab,
          '--kubeconfig',
          labPath(lab, 'kubeconfig'),
        ]);
        expect(await nodeContainers(lab)).toEqual([]);
        expect(fs.existsSync(labPath(lab))).toBe(false);
      },
      SLOW,
    );

    it(
      'deletes the half-made cluster when kind fails, and says what kind printed',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const r = await home.run(['up', '--name', lab, '--backend', 'kind'], {
          env: { FAKE_KIND_FAIL_AT: 'Starting control-plane' },
        });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain(`error: kind create cluster --name ${lab}`);
        expect(r.stderr).toContain('exited with code 1');
        expect(r.stderr).toContain('ERROR: failed to create cluster: failed to init node with kubeadm');
        expect(r.stderr).toContain('The half-made lab was deleted.');
        expect(r.stderr).toMatch(/✗ kind: Starting control-plane/);
        expect(calls().map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
          'create cluster',
          'delete cluster',
        ]);
        expect(await nodeContainers(lab)).toEqual([]);
        expect(fs.existsSync(labPath(lab))).toBe(false);
      },
      SLOW,
    );

    it(
      'keeps the half-made cluster with --retain, until down',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const r = await home.run(['up', '--name', lab, '--backend', 'kind', '--retain'], {
          env: { FAKE_KIND_FAIL_AT: 'Starting control-plane' },
        });
        expect(r.code).toBe(1);
        expect(r.stderr).toContain('The half-made lab was kept (--retain)');
        expect(calls().map((c) => c.argv)).toEqual([expect.arrayContaining(['create', '--retain'])]);
        expect(await nodeContainers(lab)).toEqual([
          `${lab}-control-plane`,
          `${lab}-worker`,
          `${lab}-worker2`,
        ]);
        const status = JSON.parse((await home.run(['status', '--name', lab, '--json'])).stdout);
        expect(status).toMatchObject({
          status: 'unresponsive',
          reason: 'its creation did not finish (kept with --retain)',
        });
        await home.ok(['down', '--name', lab]);
        expect(await nodeContainers(lab)).toEqual([]);
        expect(fs.existsSync(labPath(lab))).toBe(false);
      },
      SLOW,
    );

    it(
      'deletes the half-made cluster on Ctrl-C',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const child = spawn(process.execPath, [BIN, 'up', '--name', lab, '--backend', 'kind'], {
          env: { ...home.env, FAKE_KIND_HANG_AT: 'Installing CNI' },
        });
        let stderr = '';
        child.stderr.on('data', (d) => {
          stderr += d;
        });
        const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
        await eventually(() => stderr.includes('kind: Installing CNI') || undefined, 60_000);
        expect(await nodeContainers(lab)).toHaveLength(3);
        child.kill('SIGINT');
        expect(await exited).toBe(130);
        expect(stderr).toContain(`creating lab "${lab}" was interrupted; the half-made lab was deleted`);
        expect(calls().map((c) => c.argv.slice(0, 2).join(' '))).toEqual([
          'create cluster',
          'delete cluster',
        ]);
        expect(await nodeContainers(lab)).toEqual([]);
        expect(fs.existsSync(labPath(lab))).toBe(false);
      },
      SLOW,
    );

    it(
      'refuses to take over a kind cluster of the same name that it did not make',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const c = await docker!.createContainer({
          name: `${lab}-control-plane`,
          Image: home.env.FAKE_KIND_NODE_IMAGE,
          Cmd: ['sleep', '3600'],
          Labels: { [KIND_CLUSTER_LABEL]: lab, 'io.x-k8s.kind.role': 'control-plane' },
        });
        try {
          const r = await home.run(['up', '--name', lab, '--backend', 'kind']);
          expect(r.code).toBe(1);
          expect(r.stderr).toContain(
            `a kind cluster called "${lab}" already exists (${lab}-control-plane), and clusterlab did not make it`,
          );
          expect(calls()).toEqual([]);
          expect(await nodeContainers(lab)).toEqual([`${lab}-control-plane`]);
        } finally {
          await c.remove({ force: true });
        }
      },
      SLOW,
    );

    it(
      'uses the image cache when prefetch has made one, and says so',
      async () => {
        fs.rmSync(log, { force: true });
        const lab = newLab();
        const upstream = CACHE_UPSTREAMS[0]!;
        const hadNetwork = (await docker!.listNetworks({ filters: { name: [KIND_NETWORK] } })).some(
          (n) => n.Name === KIND_NETWORK,
        );
        const existing = await docker!.listContainers({ all: true, filters: { name: [upstream.container] } });
        // A stand-in for the registry proxy (a real one needs the registry image from Docker Hub).
        const made =
          existing.length === 0
            ? await docker!.createContainer({
                name: upstream.container,
                Image: home.env.FAKE_KIND_NODE_IMAGE,
                Cmd: ['sleep', '3600'],
                Labels: cacheLabels(upstream),
              })
            : undefined;
        try {
          const up = await home.ok(['up', '--name', lab, '--backend', 'kind']);
          expect(up.stderr).toMatch(
            /✓ Using the image cache — pulls of docker\.io(, [a-z.0-9]+)* go through it/,
          );
          const mirrors = labPath(lab, 'registries.conf.d', '50-clusterlab-cache.conf');
          expect(fs.readFileSync(mirrors, 'utf8')).toContain(
            mirrorsConf([upstream]).split('\n\n').slice(1).join('\n\n'),
          );
          const config = parse(calls()[0]!.config!);
          for (const node of config.nodes)
            expect(node.extraMounts).toEqual([
              { hostPath: mirrors, containerPath: MIRROR_CONF_IN_NODE, readOnly: true },
            ]);
          const cache = await docker!.getContainer(upstream.container).inspect();
          expect(cache.State.Running).toBe(true);
          expect(Object.keys(cache.NetworkSettings.Networks)).toContain(KIND_NETWORK);
          await home.ok(['down', '--name', lab]);
        } finally {
          if (made) await made.remove({ force: true });
          if (!hadNetwork)
            await docker!
              .getNetwork(KIND_NETWORK)
              .remove()
              .catch(() => undefined);
        }
      },
      SLOW,
    );
  },
);
