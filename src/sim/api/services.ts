import type { Clock } from '../clock.js';
import type { Registry } from '../kinds/registry.js';
import type { KindContext, ResourceType } from '../kinds/types.js';
import type { ObjectStore } from '../store/store.js';
import type { KubeObject } from '../store/types.js';

/** `fieldValidation` query parameter values. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodeResult {
  /** The object as the server stores it: unknown fields dropped for typed kinds. */
  object: KubeObject;
  /** Unknown or duplicate fields, as upstream names them (`unknown field "spec.foo"`). */
  unknownFields: string[];
  /** Wrong types, which fail whatever the validation mode (`json: cannot unmarshal …`). */
  typeErrors: string[];
}

/**
 * Decoding against a kind's schema, as the API server's typed decoders do: values of the
 * wrong type are rejected, unknown fields reported (Strict/Warn) and dropped.
 */
export interface ObjectDecoder {
  decode(type: ResourceType, obj: KubeObject): DecodeResult;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface PatchRequest {
  type: PatchType;
  /** The patch document, already decoded from JSON/YAML. */
  patch: unknown;
  fieldManager?: string;
  force?: boolean;
  /** `status` (or another subresource) when the patch targets one. */
  subresource?: string;
}

/** Applies the four patch types to an object (current is undefined for a create-by-apply). */
export interface Patcher {
  apply(type: ResourceType, current: KubeObject | undefined, req: PatchRequest): KubeObject;
}

export type ManagedOperation = 'Apply' | 'Update';

/** Keeps `metadata.managedFields` as the API server does for server-side apply. */
export interface FieldManager {
  /** Record that `manager` wrote `obj` (by update, create or patch). */
  update(
    type: ResourceType,
    obj: KubeObject,
    old: KubeObject | undefined,
    manager: string,
    operation: ManagedOperation,
    subresource: string | undefined,
    now: Date,
  ): void;
}

export type { Clock } from '../clock.js';

export interface ApiServices {
  store: ObjectStore;
  registry: Registry;
  kindContext: KindContext;
  clock: Clock;
  decoder: ObjectDecoder;
  patcher: Patcher;
  fieldManager: FieldManager;
  watch: {
    bookmarkIntervalMs: number;
    /**
     * Watches without `timeoutSeconds` end after a random time between this and twice this,
     * as upstream's `--min-request-timeout` (1800 s) makes them; clients then resume.
     */
    minRequestTimeoutMs: number;
  };
}
