import { age } from '../../api/table.js';
import { compileJsonPath, formatJsonPathValue, type JsonPath, JsonPathError } from '../common/jsonpath.js';
import type { CellType, ColumnDefinition, TableSpec } from '../types.js';

/**
 * The Table of a custom resource version, as upstream's table convertor builds it from the CRD's
 * `additionalPrinterColumns`: NAME, then each column in order; a CRD without printer columns
 * gets an AGE column of type `date`.
 */

const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const CREATION_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

/** What upstream serves for a version that declares no printer columns. */
export const DEFAULT_PRINTER_COLUMNS: PrinterColumn[] = [
  { name: 'Age', type: 'date', description: CREATION_DESCRIPTION, jsonPath: '.metadata.creationTimestamp' },
];

export function printerColumnsTable(declared: PrinterColumn[] | undefined): TableSpec {
  const columns = declared?.length ? declared : DEFAULT_PRINTER_COLUMNS;
  const headers: ColumnDefinition[] = [
    { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 },
  ];
  const paths: Array<JsonPath | undefined> = [];
  for (const c of columns) {
    try {
      paths.push(compileJsonPath(c.jsonPath));
    } catch (e) {
      // Upstream falls back to the columns it could parse; the cell stays empty.
      if (!(e instanceof JsonPathError)) throw e;
      paths.push(undefined);
    }
    headers.push({
      name: c.name,
      type: c.type as CellType,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    });
  }
  return {
    columns: headers,
    row(obj, now) {
      const cells: unknown[] = [obj.metadata.name];
      for (const [i, path] of paths.entries()) {
        const found = path?.find(obj) ?? [];
        cells.push(found.length === 0 ? null : cellFor(columns[i]!.type, found[0], now));
      }
      return cells;
    },
  };
}

function cellFor(type: string, value: unknown, now: number): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      return formatJsonPathValue(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : age(value, now);
    default:
      return null;
  }
}
