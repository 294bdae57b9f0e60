import * as fs from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import type { LabDefinition } from '../lab-definition.js';
import type { Logger, Progress } from '../types.js';
import { addonCatalog } from './addons/catalog.js';
import { cacheImage, createCache, type PrefetchResult } from './image-cache.js';
import { imagesInText, nodeBootImages, OWN_IMAGES, scenarioImages } from './image-list.js';
import { ensureNodeImage } from './node-image.js';
import { REGISTRY_IMAGE } from './versions.js';

export interface PrefetchRequest {
  docker: Docker;
  /** The kind lab definitions whose nodes and addons to prepare for. */
  labs: LabDefinition[];
  scenariosDir: string;
  root: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  progress: Progress;
  signal: AbortSignal;
  /** Only work out the images (for a mirror of one's own, or to look); no cache, no pulls. */
  listOnly?: boolean;
  /** Reads an addon manifest (a URL on the learner's machine, a file for the shipped ones). */
  fetchText?(source: string): Promise<string>;
}

export interface PrefetchReport extends PrefetchResult {
  images: string[];
  nodeImages: string[];
}

const fetchText = async (source: string): Promise<string> => {
  if (!/^https?:/.test(source)) return fs.readFileSync(source, 'utf8');
  const r = await fetch(source);
  if (!r.ok) throw new Error(`GET ${source} answered ${r.status}`);
  return r.text();
};

/**
 * `clusterlab prefetch`: build the node images, make the image cache, work out every image the
 * kind labs and the built-in scenarios need, and pull each through the cache, so a room with bad
 * Wi-Fi starts its labs from it.
 */
export async function prefetch(req: PrefetchRequest): Promise<PrefetchReport> {
  const { progress, signal } = req;
  const step = async <T>(title: string, fn: () => Promise<T>, note?: (v: T) => string): Promise<T> => {
    progress.start(title);
    try {
      const v = await fn();
      progress.end(true, note?.(v));
      return v;
    } catch (e) {
      progress.end(false);
      throw e;
    }
  };
  const versions = [...new Set(req.labs.map((l) => l.kubernetesVersion))];
  const nodeImages: string[] = [];
  for (const v of versions) {
    const r = await step(
      `Building the CRI-O node image for ${v}`,
      () =>
        ensureNodeImage(
          req.docker,
          v,
          req.env,
          {},
          signal,
          req.log,
          path.join(req.root, 'labs', 'kind', 'crio'),
        ),
      (r) => `${r.source} ${r.image}`,
    );
    nodeImages.push(r.image);
  }
  progress.percent(20);
  const images = new Set<string>(OWN_IMAGES);
  await step('Listing the images the nodes pull on first boot', async () => {
    for (const [i, image] of nodeImages.entries())
      for (const ref of await nodeBootImages(req.docker, image, versions[i]!)) images.add(ref);
  });
  const catalog = addonCatalog(req.root);
  const sources = [
    ...new Set(
      req.labs.flatMap((l) =>
        l.addons.flatMap((a) => catalog[a].steps.flatMap((s) => (s.kind === 'apply' ? [s.source] : []))),
      ),
    ),
  ];
  await step(`Reading ${sources.length} addon manifests`, async () => {
    for (const s of sources)
      for (const ref of imagesInText(await (req.fetchText ?? fetchText)(s))) images.add(ref);
  });
  for (const ref of scenarioImages(req.scenariosDir)) images.add(ref);
  const list = [...images].sort();
  const result: PrefetchResult = { cached: [], failed: [], skipped: [] };
  if (req.listOnly) return { ...result, images: list, nodeImages };
  await step('Starting the image cache', () =>
    createCache(
      req.docker,
      (l) => req.log.debug(l),
      signal,
      req.env.CLUSTERLAB_CACHE_REGISTRY_IMAGE || REGISTRY_IMAGE,
    ),
  );
  progress.percent(30);
  for (const [i, ref] of list.entries()) {
    signal.throwIfAborted();
    progress.start(`Caching ${ref} (${i + 1} of ${list.length})`);
    try {
      const cached = await cacheImage(req.docker, ref, (l) => req.log.debug(`${ref}: ${l}`), signal);
      (cached ? result.cached : result.skipped).push(ref);
      progress.end(true, cached ? undefined : 'no cache for its registry; nodes pull it from there');
    } catch (e) {
      progress.end(false, (e as Error).message);
      if (signal.aborted) throw e;
      result.failed.push({ image: ref, error: (e as Error).message });
    }
    progress.percent(30 + (70 * (i + 1)) / list.length);
  }
  return { ...result, images: list, nodeImages };
}
