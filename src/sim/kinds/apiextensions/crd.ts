import { defineKind } from '../define.js';
import { CLEANUP_FINALIZER, storageVersion, withCondition } from './helpers.js';
import { validateCrd } from './validation.js';

/**
 * `apiextensions.k8s.io/v1` CustomResourceDefinitions. The object only records what the user
 * asked for; the CRD controller accepts its names, establishes it and serves its resources.
 */
export const customResourceDefinition = defineKind({
  group: 'apiextensions.k8s.io',
  version: 'v1',
  kind: 'CustomResourceDefinition',
  plural: 'customresourcedefinitions',
  shortNames: ['crd', 'crds'],
  categories: ['api-extensions'],
  namespaced: false,
  schema: 'V1CustomResourceDefinition',
  statusSubresource: true,
  generation: true,
  // Without a table the API server prints NAME and CREATED AT, as upstream does for CRDs.
  defaults(obj, _ctx, old) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.names ??= {};
    const names = spec.names;
    if (!names.singular && names.kind) names.singular = String(names.kind).toLowerCase();
    if (!names.listKind && names.kind) names.listKind = `${names.kind}List`;
    spec.conversion ??= { strategy: 'None' };
    if (spec.conversion.strategy === 'Webhook' && spec.conversion.webhook?.clientConfig?.service) {
      spec.conversion.webhook.clientConfig.service.port ??= 443;
    }
    // On create the status a client sends is dropped (the controller fills it in); a new
    // storage version is recorded as stored as soon as it is chosen.
    if (!old) obj.status = { acceptedNames: { plural: '', kind: '' }, storedVersions: [] };
    obj.status ??= {};
    obj.status.storedVersions ??= [];
    const storage = storageVersion(obj);
    const stored: string[] = obj.status.storedVersions;
    if (storage && !stored.includes(storage)) stored.push(storage);
  },
  validate(obj, old) {
    return validateCrd(obj, old);
  },
  // The CRD stays until the controller has deleted every custom resource it serves.
  deleteFinalizers: [CLEANUP_FINALIZER],
  beginDelete(obj, ctx) {
    obj.status = {
      ...(obj.status ?? {}),
      conditions: withCondition(
        obj,
        {
          type: 'Terminating',
          status: 'True',
          reason: 'InstanceDeletionPending',
          message: 'CustomResourceDefinition marked for deletion; CustomResource deletion will begin soon',
        },
        ctx.now(),
      ),
    };
  },
});
