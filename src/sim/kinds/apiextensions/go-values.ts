/**
 * Upstream prints a CRD's `spec.versions` in some field errors with Go's `%#v`, e.g.
 * `spec.versions: Invalid value: []apiextensions.CustomResourceDefinitionVersion{…}: must have
 * exactly one version marked as storage version`. This renders the same shape (pointers show
 * as a fixed address, since the real one is a memory location).
 */

const POINTER = '0xc000a3e0c0';

const str = (v: unknown) => JSON.stringify(typeof v === 'string' ? v : '');
const ptr = (type: string, v: unknown) =>
  v === undefined || v === null ? `(${type})(nil)` : `(${type})(${POINTER})`;
const slice = (type: string, v: unknown, item: (x: any) => string) =>
  Array.isArray(v) && v.length > 0 ? `[]${type}{${v.map(item).join(', ')}}` : `[]${type}(nil)`;

const column = (c: any) =>
  `apiextensions.CustomResourceColumnDefinition{Name:${str(c?.name)}, Type:${str(c?.type)}, Format:${str(c?.format)}, Description:${str(c?.description)}, Priority:${Number(c?.priority ?? 0)}, JSONPath:${str(c?.jsonPath)}}`;
const selectable = (f: any) => `apiextensions.SelectableField{JSONPath:${str(f?.jsonPath)}}`;

function version(v: any): string {
  const fields = [
    `Name:${str(v?.name)}`,
    `Served:${v?.served === true}`,
    `Storage:${v?.storage === true}`,
    `Deprecated:${v?.deprecated === true}`,
    `DeprecationWarning:${ptr('*string', v?.deprecationWarning)}`,
    `Schema:${ptr('*apiextensions.CustomResourceValidation', v?.schema)}`,
    `Subresources:${ptr('*apiextensions.CustomResourceSubresources', v?.subresources)}`,
    `AdditionalPrinterColumns:${slice('apiextensions.CustomResourceColumnDefinition', v?.additionalPrinterColumns, column)}`,
    `SelectableFields:${slice('apiextensions.SelectableField', v?.selectableFields, selectable)}`,
  ];
  return `apiextensions.CustomResourceDefinitionVersion{${fields.join(', ')}}`;
}

export function goVersionsValue(versions: unknown): string {
  if (!Array.isArray(versions) || versions.length === 0)
    return '[]apiextensions.CustomResourceDefinitionVersion(nil)';
  return `[]apiextensions.CustomResourceDefinitionVersion{${versions.map(version).join(', ')}}`;
}
