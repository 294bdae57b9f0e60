/**
 * Image references as CRI-O reads them on a kind node whose registries.conf has
 * `unqualified-search-registries = ["docker.io"]`: a short name (`nginx:1.27`) resolves to
 * `docker.io/library/nginx:1.27`, `polinux/stress` to `docker.io/polinux/stress:latest`.
 * The grammar is the one of distribution/reference (lower-case path components, tags of up to
 * 128 word characters, `@sha256:` digests).
 */

export interface ImageReference {
  /** What the pod spec says, untouched (`nginx:1.27`): kubelet's events quote it. */
  raw: string;
  /** `docker.io`, `registry.k8s.io`, `ghcr.io`, … */
  domain: string;
  /** `library/nginx`, `coredns/coredns`, … */
  path: string;
  /** `1.27`; `latest` when the reference has neither tag nor digest. */
  tag?: string;
  /** `sha256:<64 hex>` when the reference pins a digest. */
  digest?: string;
}

export type ParsedReference = { ok: true; ref: ImageReference } | { ok: false; error: string };

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const DOMAIN =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$/;

const invalid = (raw: string, why = 'invalid reference format'): ParsedReference => ({
  ok: false,
  error: `couldn't parse image name ${JSON.stringify(raw)}: ${why}`,
});

/** Parse and normalise a reference the way `ParseNormalizedNamed` and CRI-O's short-name resolution do. */
export function parseImageReference(raw: string): ParsedReference {
  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return invalid(raw);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.indexOf(':', lastSlash + 1);
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return invalid(raw);
  }
  if (!rest) return invalid(raw);
  const parts = rest.split('/');
  let domain = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    if (!DOMAIN.test(first)) return invalid(raw);
    domain = first;
    parts.shift();
  }
  if (domain === 'index.docker.io') domain = 'docker.io';
  if (domain === 'docker.io' && parts.length === 1) parts.unshift('library');
  const path = parts.join('/');
  for (const p of parts) {
    if (COMPONENT.test(p)) continue;
    if (COMPONENT.test(p.toLowerCase()))
      return invalid(raw, `invalid reference format: repository name (${path}) must be lowercase`);
    return invalid(raw);
  }
  if (!tag && !digest) tag = 'latest';
  return { ok: true, ref: { raw, domain, path, tag, digest } };
}

/** `docker.io/library/nginx` */
export function repositoryOf(ref: ImageReference): string {
  return `${ref.domain}/${ref.path}`;
}

/** What CRI-O reports as a container's image: `docker.io/library/nginx:1.27` (or `…@sha256:…`). */
export function qualifiedName(ref: ImageReference): string {
  if (ref.tag) return `${repositoryOf(ref)}:${ref.tag}`;
  return `${repositoryOf(ref)}@${ref.digest}`;
}

/** The reference as Docker abbreviates it (`nginx:1.27`), as transports print it. */
export function familiarName(ref: ImageReference): string {
  let path = ref.path;
  if (ref.domain === 'docker.io' && path.startsWith('library/')) path = path.slice('library/'.length);
  const name = ref.domain === 'docker.io' ? path : `${ref.domain}/${path}`;
  return ref.tag ? `${name}:${ref.tag}` : `${name}@${ref.digest}`;
}
