import type Docker from 'dockerode';
import { UserError } from '../../errors.js';
import { containersByLabels, imageExists } from '../docker/containers.js';
import {
  CACHE_PORT,
  CACHE_UPSTREAMS,
  type CacheUpstream,
  cacheLabels,
  cacheVolume,
  viaCache,
} from './cache-names.js';
import { CACHE_ROLE_LABEL, KIND_NETWORK } from './names.js';
import { REGISTRY_IMAGE } from './versions.js';

/** The cache's containers that exist, by upstream registry. */
export async function cacheContainers(docker: Docker) {
  const all = await containersByLabels(docker, {});
  return all.filter((c) => c.labels[CACHE_ROLE_LABEL] !== undefined);
}

/** Whether `prefetch` has made the cache on this machine. */
export async function cachePresent(docker: Docker): Promise<boolean> {
  return (await cacheContainers(docker)).length > 0;
}

/**
 * kind's network, made as kind makes it when no cluster has made it yet, so the cache can join
 * it before the nodes boot (they pull their images during `kind create`).
 */
export async function ensureKindNetwork(docker: Docker): Promise<void> {
  const nets = await docker.listNetworks({ filters: { name: [KIND_NETWORK] } });
  if (nets.some((n) => n.Name === KIND_NETWORK)) return;
  await docker.createNetwork({
    Name: KIND_NETWORK,
    Driver: 'bridge',
    Options: {
      'com.docker.network.bridge.enable_ip_masquerade': 'true',
      'com.docker.network.driver.mtu': '1500',
    },
  });
}

/** Start the cache's stopped containers and put each on kind's network. */
export async function startCache(docker: Docker): Promise<CacheUpstream[]> {
  await ensureKindNetwork(docker);
  const existing = await cacheContainers(docker);
  const started: CacheUpstream[] = [];
  for (const c of existing) {
    const u = CACHE_UPSTREAMS.find((x) => x.registry === c.labels[CACHE_ROLE_LABEL]);
    if (!u) continue;
    if (!c.running) await docker.getContainer(c.id).start();
    await connect(docker, c.id);
    started.push(u);
  }
  return started;
}

async function connect(docker: Docker, container: string): Promise<void> {
  const info = await docker.getContainer(container).inspect();
  if (info.NetworkSettings.Networks?.[KIND_NETWORK]) return;
  await docker.getNetwork(KIND_NETWORK).connect({ Container: container });
}

/**
 * Make the cache's containers that are missing (pulling the registry image once). `image` is
 * Docker's registry by default; a room with its own copy of it names that one
 * (`CLUSTERLAB_CACHE_REGISTRY_IMAGE`).
 */
export async function createCache(
  docker: Docker,
  onLine: (line: string) => void,
  signal?: AbortSignal,
  image: string = REGISTRY_IMAGE,
): Promise<void> {
  if (!(await imageExists(docker, image)))
    await pull(docker, image, onLine, signal).catch((e: Error) => {
      if (signal?.aborted) throw e;
      throw new UserError(`could not pull ${image}, which the image cache runs: ${e.message}`, {
        fix: `docker pull ${image}  (prefetch needs the internet once, before the workshop)`,
      });
    });
  const have = new Set((await cacheContainers(docker)).map((c) => c.labels[CACHE_ROLE_LABEL]));
  for (const u of CACHE_UPSTREAMS) {
    if (have.has(u.registry)) continue;
    onLine(`creating ${u.container} (a pull-through cache of ${u.registry})`);
    await docker.createContainer({
      name: u.container,
      Image: image,
      Labels: cacheLabels(u),
      Env: [`REGISTRY_PROXY_REMOTEURL=${u.remoteUrl}`, 'REGISTRY_STORAGE_DELETE_ENABLED=true'],
      ExposedPorts: { [`${CACHE_PORT}/tcp`]: {} },
      HostConfig: {
        PortBindings: { [`${CACHE_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(u.hostPort) }] },
        Binds: [`${cacheVolume(u)}:/var/lib/registry`],
        RestartPolicy: { Name: 'unless-stopped' },
      },
    });
  }
  await startCache(docker);
}

/** Pull an image, reporting Docker's progress lines ("Downloading", "Pull complete"). */
export async function pull(
  docker: Docker,
  ref: string,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<void> {
  const stream = await docker.pull(ref, { abortSignal: signal });
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err) => (err ? reject(err) : resolve()),
      (e: { status?: string; id?: string; error?: string }) => {
        if (e.error) reject(new Error(`docker pull ${ref}: ${e.error}`));
        else if (e.status && !/^(Downloading|Extracting|Waiting)/.test(e.status))
          onLine(`${e.id ? `${e.id}: ` : ''}${e.status}`);
      },
    );
  });
}

export interface PrefetchResult {
  cached: string[];
  failed: Array<{ image: string; error: string }>;
  /** Images from registries the cache has no proxy for (they are pulled from the internet). */
  skipped: string[];
}

/**
 * Pull one image through its registry's proxy, which keeps it; the host's own copy is removed
 * again (the nodes pull from the proxy, not from the host's Docker). False when no proxy
 * serves its registry.
 */
export async function cacheImage(
  docker: Docker,
  image: string,
  onLine: (line: string) => void,
  signal?: AbortSignal,
): Promise<boolean> {
  const through = viaCache(image);
  if (!through) return false;
  await pull(docker, through, onLine, signal);
  await docker
    .getImage(through)
    .remove()
    .catch(() => undefined);
  return true;
}
