import { CACHE_ROLE_LABEL, OWNER_LABEL, OWNER_VALUE } from './names.js';

/**
 * The image cache: one pull-through registry proxy per upstream registry, each a container on
 * kind's network (so CRI-O on the nodes reaches it by name) with its port on the host's loopback
 * (so `prefetch` can pull through it). A proxy keeps manifests by digest and by tag, so images
 * pinned by digest (Knative's) come from the cache too, and it serves what it has when the
 * upstream cannot be reached.
 */
export interface CacheUpstream {
  /** The registry as image names spell it. */
  registry: string;
  /** What the proxy pulls from. */
  remoteUrl: string;
  /** Container name on kind's network, and its port on 127.0.0.1. */
  container: string;
  hostPort: number;
}

export const CACHE_UPSTREAMS: CacheUpstream[] = [
  {
    registry: 'docker.io',
    remoteUrl: 'https://registry-1.docker.io',
    container: 'clusterlab-cache-docker-io',
    hostPort: 5101,
  },
  {
    registry: 'registry.k8s.io',
    remoteUrl: 'https://registry.k8s.io',
    container: 'clusterlab-cache-registry-k8s-io',
    hostPort: 5102,
  },
  { registry: 'gcr.io', remoteUrl: 'https://gcr.io', container: 'clusterlab-cache-gcr-io', hostPort: 5103 },
  {
    registry: 'ghcr.io',
    remoteUrl: 'https://ghcr.io',
    container: 'clusterlab-cache-ghcr-io',
    hostPort: 5104,
  },
  {
    registry: 'quay.io',
    remoteUrl: 'https://quay.io',
    container: 'clusterlab-cache-quay-io',
    hostPort: 5105,
  },
];

/** The port the registry listens on inside its container. */
export const CACHE_PORT = 5000;

export const cacheVolume = (u: CacheUpstream) => `${u.container}-data`;

export const cacheLabels = (u: CacheUpstream) => ({
  [OWNER_LABEL]: OWNER_VALUE,
  [CACHE_ROLE_LABEL]: u.registry,
});

/** Where the nodes mount the mirrors drop-in (CRI-O reads registries.conf.d at start). */
export const MIRROR_CONF_IN_NODE = '/etc/containers/registries.conf.d/50-clusterlab-cache.conf';

/**
 * The registries.conf drop-in that sends each upstream's pulls to its proxy first; CRI-O falls
 * back to the upstream itself when the proxy fails.
 */
export function mirrorsConf(upstreams: CacheUpstream[]): string {
  const blocks = upstreams.map(
    (u) =>
      `[[registry]]\nprefix = "${u.registry}"\nlocation = "${u.registry}"\n\n` +
      `[[registry.mirror]]\nlocation = "${u.container}:${CACHE_PORT}"\ninsecure = true\n`,
  );
  return `# Made by clusterlab: pulls go through the local image cache (clusterlab prefetch).\n\n${blocks.join('\n')}`;
}

/**
 * An image reference split into registry and the rest, as CRI-O with
 * unqualified-search-registries = ["docker.io"] reads it: `nginx:1.27` is
 * docker.io/library/nginx:1.27.
 */
export function splitImage(ref: string): { registry: string; path: string } {
  const first = ref.split('/')[0]!;
  const hasRegistry =
    ref.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) return { registry: 'docker.io', path: ref.includes('/') ? ref : `library/${ref}` };
  return { registry: first, path: ref.slice(first.length + 1) };
}

/** The reference that pulls `ref` through its proxy from the host, or undefined when no proxy serves it. */
export function viaCache(ref: string): string | undefined {
  const { registry, path } = splitImage(ref);
  const u = CACHE_UPSTREAMS.find((x) => x.registry === registry);
  if (!u) return undefined;
  const withTag = path.includes('@') || /:[^/]+$/.test(path) ? path : `${path}:latest`;
  return `127.0.0.1:${u.hostPort}/${withTag}`;
}
