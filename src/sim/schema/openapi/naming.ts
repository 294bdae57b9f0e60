import { goTypeName, type Models } from '../models.js';

/** How upstream names things in its OpenAPI documents. */

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** `api/v1`, `apis/apps/v1`: the key of a group-version in the /openapi/v3 index. */
export const groupVersionPath = (group: string, version: string) =>
  group ? `apis/${group}/${version}` : `api/${version}`;

/** `V1Pod` → `io.k8s.api.core.v1.Pod`: components are named after Go package and type. */
export const componentName = (models: Models, model: string) =>
  `${models.packageOf(model)}.${goTypeName(model)}`;

/** Custom resources are named after the reversed group: `com.example.stable.v1.CronTab`. */
export const customComponentName = (gvk: GroupVersionKind) =>
  `${gvk.group.split('.').reverse().join('.')}.${gvk.version}.${gvk.kind}`;

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
export const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
export const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
export const TIME = `${META}.Time`;
export const MICRO_TIME = `${META}.MicroTime`;
export const RAW_EXTENSION = 'io.k8s.apimachinery.pkg.runtime.RawExtension';
export const PATCH = `${META}.Patch`;
export const STATUS = `${META}.Status`;
export const DELETE_OPTIONS = `${META}.DeleteOptions`;

export const ref = (component: string) => ({ $ref: `#/components/schemas/${component}` });

/** `CoreV1`, `AppsV1`, `RbacAuthorizationV1`, `StableExampleComV1`: operation id infixes. */
export function operationGroup(group: string, version: string): string {
  const words = group === '' ? ['core'] : group.replace(/\.k8s\.io$/, '').split(/[.-]/);
  const title = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
  return words.map(title).join('') + title(version);
}

/** `core_v1`, `apps_v1`, `rbacAuthorization_v1`: operation tags. */
export function operationTag(group: string, version: string): string {
  const g = operationGroup(group, version);
  const prefix = g.slice(0, g.length - version.length);
  return `${prefix.charAt(0).toLowerCase()}${prefix.slice(1)}_${version}`;
}
