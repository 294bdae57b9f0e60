import type { OpenApiProvider } from '../api/server.js';
import type { ObjectDecoder } from '../api/services.js';
import type { Registry } from '../kinds/registry.js';
import type { ObjectStore } from '../store/store.js';
import { SchemaDecoder } from './decoder.js';
import { Models } from './models.js';
import { mergeKeyPatchMeta } from './openapi/merge-key-source.js';
import { OpenApiDocs } from './openapi/provider.js';

export type { PatchMeta, PatchMetaLookup } from './openapi/patch-meta.js';
export { validateCustomResource } from './structural.js';

export interface SchemaServices {
  models: Models;
  decoder: ObjectDecoder;
  openapi: OpenApiProvider & OpenApiDocs;
  /** Follow the registry, so OpenAPI documents drop what CRDs no longer serve. */
  start(): () => void;
}

/**
 * The schema side of the API server: decoding request bodies against the built-in types and
 * CRD schemas, and the OpenAPI documents kubectl reads (see docs/sim-openapi.md).
 */
export function schemaServices(
  registry: Registry,
  _store: ObjectStore,
  opts: { kubernetesVersion?: string } = {},
): SchemaServices {
  const models = Models.load();
  const openapi = new OpenApiDocs(registry, models, opts.kubernetesVersion);
  openapi.setPatchMeta(mergeKeyPatchMeta);
  return {
    models,
    decoder: new SchemaDecoder(models),
    openapi,
    start: () => registry.onChange(() => openapi.refresh()),
  };
}
