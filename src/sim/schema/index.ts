import type { OpenApiProvider } from '../api/server.js';
import type { ObjectDecoder } from '../api/services.js';
import type { Registry } from '../kinds/registry.js';
import type { ObjectStore } from '../store/store.js';

// PLACEHOLDER (being replaced in this session): decoding without a schema.
export interface SchemaServices {
  models: unknown;
  decoder: ObjectDecoder;
  openapi: OpenApiProvider;
  start(): void;
}

export function schemaServices(_registry: Registry, _store: ObjectStore): SchemaServices {
  return {
    models: {},
    decoder: { decode: (_t, obj) => ({ object: obj, unknownFields: [], typeErrors: [] }) },
    openapi: { v3Index: () => ({ paths: {} }), v3Document: () => undefined },
    start() {},
  };
}
