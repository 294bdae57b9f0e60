import { createHash } from 'node:crypto';
import type { OpenApiProvider } from '../../api/server.js';
import type { Registry } from '../../kinds/registry.js';
import type { ResourceType } from '../../kinds/types.js';
import type { Models } from '../models.js';
import { ComponentBuilder, type Schema } from './components.js';
import { groupVersionDocument } from './document.js';
import { groupVersionPath } from './naming.js';
import { noPatchMeta, type PatchMetaLookup } from './patch-meta.js';
import { emptyOpenApiV2 } from './v2.js';

interface CachedDocument {
  fingerprint: string;
  doc: Schema;
  hash: string;
}

/**
 * The sim's OpenAPI documents: the /openapi/v3 index with one content-hashed URL per served
 * group-version, the documents themselves, and the (empty) v2 protobuf document. Documents
 * are built on first request and rebuilt only when the types a group-version serves change
 * (a CRD added, updated or removed), so kubectl's cache keyed by the hash stays valid.
 */
export class OpenApiDocs implements OpenApiProvider {
  private readonly components: ComponentBuilder;
  private readonly cache = new Map<string, CachedDocument>();
  private patchMeta: PatchMetaLookup = noPatchMeta;
  private v2: Buffer | undefined;

  constructor(
    private readonly registry: Registry,
    private readonly models: Models,
    private readonly kubernetesVersion = 'v1.33.1',
  ) {
    this.components = new ComponentBuilder(models, () => this.patchMeta);
  }

  /** Publish strategic-merge metadata from the sim's patch engine (see patch-meta.ts). */
  setPatchMeta(lookup: PatchMetaLookup): void {
    this.patchMeta = lookup;
    this.cache.clear();
    this.components.clear();
  }

  v3Index(): unknown {
    const paths: Record<string, { serverRelativeURL: string }> = {};
    for (const { name, versions } of this.registry.groups()) {
      for (const version of versions) {
        const key = groupVersionPath(name, version);
        const cached = this.document(name, version);
        if (cached) paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${cached.hash}` };
      }
    }
    return { paths };
  }

  v3Document(groupVersionPathText: string): unknown | undefined {
    const m = /^(?:api\/([^/]+)|apis\/([^/]+)\/([^/]+))$/.exec(groupVersionPathText);
    if (!m) return undefined;
    const [group, version] = m[1] !== undefined ? ['', m[1]] : [m[2]!, m[3]!];
    return this.document(group, version)?.doc;
  }

  v2Protobuf(): Buffer {
    this.v2 ??= emptyOpenApiV2(this.kubernetesVersion);
    return this.v2;
  }

  /** Drop every document whose group-version no longer serves what it was built from. */
  refresh(): void {
    for (const key of [...this.cache.keys()]) {
      const [group, version] = key.split('\n') as [string, string];
      const cached = this.cache.get(key)!;
      if (cached.fingerprint !== fingerprint(this.registry.inGroupVersion(group, version)))
        this.cache.delete(key);
    }
  }

  private document(group: string, version: string): CachedDocument | undefined {
    const types = this.registry.inGroupVersion(group, version);
    if (types.length === 0) return undefined;
    const key = `${group}\n${version}`;
    const print = fingerprint(types);
    const cached = this.cache.get(key);
    if (cached?.fingerprint === print) return cached;
    const doc = groupVersionDocument(types, this.models, this.components, this.kubernetesVersion);
    const hash = createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
    const fresh = { fingerprint: print, doc, hash };
    this.cache.set(key, fresh);
    return fresh;
  }
}

/** What a group-version's document is built from. */
function fingerprint(types: ResourceType[]): string {
  return JSON.stringify(
    types
      .map((t) => [
        t.plural,
        t.kind,
        t.listKind,
        t.namespaced,
        t.verbs,
        t.schema ?? null,
        t.subresources ?? [],
        t.custom ? [t.custom.schema ?? null, t.custom.preserveUnknownFields] : null,
      ])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
}
