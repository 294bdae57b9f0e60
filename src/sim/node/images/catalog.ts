import { createHash } from 'node:crypto';
import { APP_IMAGES } from './catalog-apps.js';
import { SYSTEM_IMAGES } from './catalog-system.js';
import { type ImageReference, repositoryOf } from './reference.js';

/**
 * The images a simulated node can pull and run. Each entry says what the registry would
 * serve (which tags exist, the image's size and config) and how its main program behaves
 * (`program`, interpreted by `node/process/launch.ts`). `docs/images.md` describes them for
 * learners and scenario authors; an image that is not here fails to pull as it would from a
 * registry that does not have it.
 */

/** What `/bin/sh` is in the image, if anything: exec probes and shell commands need one. */
export type ImageShell = 'busybox' | 'dash' | 'none';

export type ProgramKind =
  | 'nginx'
  | 'stress'
  | 'memcached'
  | 'hello'
  | 'pause'
  | 'coredns'
  | 'etcd'
  | 'kube-apiserver'
  | 'kube-controller-manager'
  | 'kube-scheduler'
  | 'kube-proxy'
  | 'kindnetd'
  | 'local-path-provisioner';

export interface ImageVariant {
  sizeBytes: number;
  shell: ImageShell;
}

export interface CatalogImage {
  /** Where the image lives: `docker.io/library/nginx`. */
  repository: string;
  /** Other repositories that serve the same image (`gcr.io/knative-samples/helloworld-go`). */
  aliases?: string[];
  /** Which tags the registry has; every tag when absent. */
  tags?: RegExp;
  /** The tags in words, for the docs. */
  tagsDoc: string;
  /** Uncompressed size as CRI-O reports it, and the shell, per tag (Alpine variants differ). */
  variant(tag: string | undefined): ImageVariant;
  /** The image config's ENTRYPOINT and CMD. */
  entrypoint: string[];
  cmd: string[];
  /** The image config's ENV. */
  env: Record<string, string>;
  /** The image config's STOPSIGNAL (CRI-O sends it on stop; nginx's is SIGQUIT). */
  stopSignal: 'SIGTERM' | 'SIGQUIT';
  /** Executable basename → the behaviour that runs when the container executes it. */
  programs: Record<string, ProgramKind>;
  /** Tags present on every node when the lab starts (what a kind node has loaded). */
  preloaded?: string[];
  /** One line for the docs. */
  summary: string;
}

export const CATALOG: readonly CatalogImage[] = [...APP_IMAGES, ...SYSTEM_IMAGES];

const byRepository = new Map<string, CatalogImage>();
for (const image of CATALOG) {
  byRepository.set(image.repository, image);
  for (const alias of image.aliases ?? []) byRepository.set(alias, image);
}

export type CatalogLookup =
  | { found: true; image: CatalogImage; variant: ImageVariant }
  | { found: false; reason: 'repository' | 'tag' };

/** Whether the registry has this reference, and what it is. */
export function lookupImage(ref: ImageReference): CatalogLookup {
  const image = byRepository.get(repositoryOf(ref));
  if (!image) return { found: false, reason: 'repository' };
  if (ref.tag && image.tags && !image.tags.test(ref.tag)) return { found: false, reason: 'tag' };
  return { found: true, image, variant: image.variant(ref.tag) };
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The manifest digest the registry serves for a tag: stable across labs and restarts, so an
 * `imageID` a learner copies stays valid (`docker.io/library/nginx@sha256:…`).
 */
export function manifestDigest(ref: ImageReference): string {
  if (ref.digest) return ref.digest;
  return `sha256:${sha256(`clusterlab-sim manifest ${repositoryOf(ref)}:${ref.tag}`)}`;
}

/** The image ID (config digest) `crictl images` shows. */
export function imageId(ref: ImageReference): string {
  return sha256(`clusterlab-sim config ${repositoryOf(ref)}@${manifestDigest(ref)}`);
}
