import type { ColumnDefinition, ResourceType, TableSpec } from '../kinds/types.js';
import type { KubeObject } from '../store/types.js';

/**
 * Server-side printing: `kubectl get` asks for `Table`s so that the server, which knows the
 * kind, decides the columns. Without them kubectl falls back to NAME and AGE only.
 */

export const AGE_COLUMN = 'Age';

/** The columns upstream's API server uses for a kind it has no printer for (and for CRDs without printer columns). */
export const DEFAULT_TABLE: TableSpec = {
  columns: [
    col('Name', 'string', 'name', 'Name must be unique within a namespace.'),
    col(
      'Created At',
      'date',
      '',
      'CreationTimestamp is a timestamp representing the server time when this object was created.',
    ),
  ],
  row: (o) => [o.metadata.name, o.metadata.creationTimestamp],
};

export function col(
  name: string,
  type: ColumnDefinition['type'],
  format: string,
  description: string,
  priority = 0,
): ColumnDefinition {
  return { name, type, format, description, priority };
}

export const nameColumn = () =>
  col(
    'Name',
    'string',
    'name',
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated.',
  );
export const ageColumn = () =>
  col(
    AGE_COLUMN,
    'string',
    '',
    'CreationTimestamp is a timestamp representing the server time when this object was created.',
  );

/** A duration as kubectl prints ages: `45s`, `3m12s`, `17m`, `5h3m`, `3d4h`, `120d`, `2y30d`. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const d = Math.floor(hours / 24) % 365;
    return d === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${d}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** `Age` cell for a timestamp, `<unknown>` when there is none. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>';
  return humanDuration(now - Date.parse(timestamp));
}

export type RowObjectMode = 'None' | 'Metadata' | 'Object';

export function partialObjectMetadata(obj: KubeObject, metaVersion = 'v1'): KubeObject {
  const { managedFields: _mf, ...metadata } = obj.metadata;
  return {
    kind: 'PartialObjectMetadata',
    apiVersion: `meta.k8s.io/${metaVersion}`,
    metadata,
  };
}

export function buildTable(
  type: ResourceType,
  objects: KubeObject[],
  options: {
    now: number;
    includeObject: RowObjectMode;
    metaVersion: string;
    resourceVersion?: string;
    continueToken?: string;
    remainingItemCount?: number;
    noHeaders?: boolean;
  },
): KubeObject {
  const spec = type.table ?? DEFAULT_TABLE;
  const rows = objects.map((o) => {
    let cells: unknown[];
    try {
      cells = spec.row(o, options.now);
    } catch {
      cells = spec.columns.map((_, i) => (i === 0 ? o.metadata.name : '<error>'));
    }
    const row: Record<string, unknown> = { cells };
    if (options.includeObject === 'Object') row.object = o;
    else if (options.includeObject === 'Metadata') row.object = partialObjectMetadata(o, options.metaVersion);
    return row;
  });
  const metadata: Record<string, unknown> = {};
  if (options.resourceVersion !== undefined) metadata.resourceVersion = options.resourceVersion;
  if (options.continueToken) metadata.continue = options.continueToken;
  if (options.remainingItemCount !== undefined) metadata.remainingItemCount = options.remainingItemCount;
  const table: KubeObject = {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${options.metaVersion}`,
    metadata,
    columnDefinitions: options.noHeaders ? null : spec.columns,
    rows,
  };
  return table;
}
