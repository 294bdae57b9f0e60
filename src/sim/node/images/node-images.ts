import type { Clock } from '../../clock.js';
import { CATALOG, type CatalogImage, type ImageVariant, lookupImage, manifestDigest } from './catalog.js';
import { type ImageReference, parseImageReference, qualifiedName, repositoryOf } from './reference.js';

/**
 * The images on one node and its pulls, as CRI-O's image service sees them. Pulls run one at a
 * time (kubelet's default `serializeImagePulls: true`), so a pull queued behind another reports
 * its waiting time. Durations are simulated from the image size.
 */

export interface PresentImage {
  ref: ImageReference;
  image: CatalogImage;
  variant: ImageVariant;
  /** `docker.io/library/nginx@sha256:…`: what kubelet reports as a container's imageID. */
  imageRef: string;
  pulledAt: number;
}

export type PullResult =
  | { ok: true; present: PresentImage; pullMs: number; totalMs: number }
  | { ok: false; message: string; pullMs: number; totalMs: number };

/** Time to reach the registry and read the manifest. */
const REGISTRY_ROUND_TRIP_MS = 350;
/** Download and unpack speed of a simulated pull. */
const PULL_BYTES_PER_MS = 80_000;

/** Registries a kind node can reach; any other host does not resolve. */
const KNOWN_REGISTRIES = new Set([
  'docker.io',
  'registry.k8s.io',
  'ghcr.io',
  'gcr.io',
  'quay.io',
  'k8s.gcr.io',
  'mcr.microsoft.com',
  'public.ecr.aws',
]);

interface PullJob {
  ref: ImageReference;
  queuedAt: number;
  done: (r: PullResult) => void;
}

export class NodeImages {
  private readonly present = new Map<string, PresentImage>();
  private readonly queue: PullJob[] = [];
  private pulling = false;

  constructor(private readonly clock: Clock) {
    for (const image of CATALOG) {
      for (const tag of image.preloaded ?? []) {
        const parsed = parseImageReference(`${image.repository}:${tag}`);
        if (parsed.ok) this.add(parsed.ref, 0);
      }
    }
  }

  /** The image if the node has it. */
  find(ref: ImageReference): PresentImage | undefined {
    return this.present.get(qualifiedName(ref));
  }

  /** Record an image as present (rebuilding the node's images from the pods in the store). */
  add(ref: ImageReference, at: number): PresentImage | undefined {
    const found = lookupImage(ref);
    if (!found.found) return undefined;
    const present: PresentImage = {
      ref,
      image: found.image,
      variant: found.variant,
      imageRef: `${repositoryOf(ref)}@${manifestDigest(ref)}`,
      pulledAt: at,
    };
    this.present.set(qualifiedName(ref), present);
    return present;
  }

  list(): PresentImage[] {
    return [...this.present.values()];
  }

  /** Pull an image; `done` is called (on the sim's clock) when it has finished or failed. */
  pull(ref: ImageReference, done: (r: PullResult) => void): void {
    this.queue.push({ ref, queuedAt: this.clock.now().getTime(), done });
    this.next();
  }

  private next(): void {
    if (this.pulling) return;
    const job = this.queue.shift();
    if (!job) return;
    this.pulling = true;
    const startedAt = this.clock.now().getTime();
    const outcome = this.outcome(job.ref);
    this.clock.setTimeout(() => {
      this.pulling = false;
      const finished = startedAt + outcome.ms;
      const timing = { pullMs: outcome.ms, totalMs: finished - job.queuedAt };
      if (outcome.error) job.done({ ok: false, message: outcome.error, ...timing });
      else job.done({ ok: true, present: this.add(job.ref, finished)!, ...timing });
      this.next();
    }, outcome.ms);
  }

  private outcome(ref: ImageReference): { ms: number; error?: string } {
    const repo = repositoryOf(ref);
    if (!KNOWN_REGISTRIES.has(ref.domain)) {
      return {
        ms: REGISTRY_ROUND_TRIP_MS,
        error: `pinging container registry ${ref.domain}: Get "https://${ref.domain}/v2/": dial tcp: lookup ${ref.domain.split(':')[0]} on 172.18.0.1:53: no such host`,
      };
    }
    const found = lookupImage(ref);
    const what = ref.tag ?? ref.digest;
    if (!found.found) {
      const why =
        found.reason === 'repository' && ref.domain === 'docker.io'
          ? 'requested access to the resource is denied'
          : 'manifest unknown';
      return { ms: REGISTRY_ROUND_TRIP_MS, error: `reading manifest ${what} in ${repo}: ${why}` };
    }
    if (this.find(ref)) return { ms: REGISTRY_ROUND_TRIP_MS };
    return { ms: REGISTRY_ROUND_TRIP_MS + Math.round(found.variant.sizeBytes / PULL_BYTES_PER_MS) };
  }
}
