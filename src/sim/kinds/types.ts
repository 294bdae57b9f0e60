import type { FieldError } from '../api/errors.js';
import type { KubeObject } from '../store/types.js';

export type CellType = 'string' | 'integer' | 'number' | 'boolean' | 'date';

export interface ColumnDefinition {
  name: string;
  type: CellType;
  format: string;
  description: string;
  /** 0: always shown; 1: only with `-o wide`. */
  priority: number;
}

export interface TableSpec {
  columns: ColumnDefinition[];
  /** One row's cells, in column order. `now` is the server's time in ms. */
  row(obj: KubeObject, now: number): unknown[];
}

export interface SubresourceSpec {
  name: string;
  /** The kind the subresource reads and writes (`Scale` for scale, the parent kind for status). */
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** What a kind's hooks may use from the running cluster. */
export interface KindContext {
  now(): Date;
  /** Look up an object another kind's hook needs (e.g. the namespace of a new object). */
  get(storage: string, namespace: string | undefined, name: string): KubeObject | undefined;
  /** Objects of a resource (e.g. the StorageClasses a new claim may default to). */
  list(storage: string, namespace?: string): KubeObject[];
  /** Allocate cluster resources the API server hands out (Service ClusterIPs, NodePorts). */
  allocator: Allocator;
}

export interface Allocator {
  clusterIP(requested?: string): string;
  releaseClusterIP(ip: string): void;
  nodePort(requested?: number): number;
  releaseNodePort(port: number): void;
}

export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs: string[];
  subresources?: SubresourceSpec[];
  /** Key of this resource in the object store (stable across versions of the same resource). */
  storage: string;
  /** OpenAPI model used for strict decoding and `kubectl explain` (built-in kinds). */
  schema?: string;
  /** Writes to the main resource leave `.status` alone; `/status` writes only change status. */
  statusSubresource: boolean;
  /** Whether `metadata.generation` counts changes to everything but metadata and status. */
  generation: boolean;
  table?: TableSpec;
  /** Field selector keys besides metadata.name and metadata.namespace. */
  fieldSelectors?: Record<string, (o: any) => string | undefined>;
  /**
   * Fill in defaults, as upstream defaulting does (mutates `obj`). On updates `old` is the
   * stored object, so values the server allocated (a Service's clusterIP and nodePorts) can be
   * carried over when the client left them out, before validation runs.
   */
  defaults?(obj: KubeObject, ctx: KindContext, old?: KubeObject): void;
  /** Check a new or updated object; `old` is set for updates. */
  validate?(obj: KubeObject, old: KubeObject | undefined, ctx: KindContext): FieldError[];
  /** Last changes before a create is stored (initial status, allocations). May throw ApiError. */
  prepareCreate?(obj: KubeObject, ctx: KindContext): void;
  /** Last changes before an update is stored. May throw ApiError. */
  prepareUpdate?(obj: KubeObject, old: KubeObject, ctx: KindContext): void;
  /**
   * Seconds an object lingers after a delete request before it leaves the store (pods on a
   * node get their termination grace period); 0 or absent means at once.
   */
  gracePeriod?(obj: KubeObject, requested: number | undefined): number;
  /** Changes made when deletion starts (e.g. a namespace turns Terminating). */
  beginDelete?(obj: KubeObject, ctx: KindContext): void;
  /** Finalizers the server adds when deletion starts (CRDs: `customresourcecleanup.apiextensions.k8s.io`). */
  deleteFinalizers?: string[];
  /** Called after the object left the store (release allocations). */
  afterDelete?(obj: KubeObject, ctx: KindContext): void;
  /**
   * For a resource served in several shapes from one store (core/v1 and events.k8s.io/v1
   * Events): turn the stored form into this version's form, and back. Both must be
   * idempotent (applied to an object already in the target form they change nothing),
   * because handlers may see either form.
   */
  fromStorage?(obj: KubeObject): KubeObject;
  toStorage?(obj: KubeObject): KubeObject;
  /** Sent as a `Warning` header on every request to this resource (`v1 Endpoints is deprecated…`). */
  deprecationWarning?: string;
  /** For custom resources: the CRD that defines this type. */
  custom?: CustomResourceInfo;
}

export interface CustomResourceInfo {
  crdName: string;
  /** The version's openAPIV3Schema (structural). */
  schema?: any;
  scale?: { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string };
  preserveUnknownFields: boolean;
}

export const apiVersionOf = (t: { group: string; version: string }) =>
  t.group ? `${t.group}/${t.version}` : t.version;
export const storageKey = (group: string, plural: string) => `${group || 'core'}/${plural}`;
