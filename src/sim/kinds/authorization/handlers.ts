import { badRequest, type FieldError, invalid } from '../../api/errors.js';
import type { Handler, HandlerRequest } from '../../api/handlers/context.js';
import { decodeVirtualBody } from '../../api/handlers/virtual-body.js';
import type { ApiServices } from '../../api/services.js';
import type { KubeObject } from '../../store/types.js';
import { requestUser, type UserInfo } from '../authentication/identity.js';
import { type Attributes, aggregateErrors, authorize, type RbacStore, rulesFor } from '../rbac/authorizer.js';

/** The authorization.k8s.io/v1 reviews: answered from the stored RBAC objects, never stored. */

const rbacStore = (svc: ApiServices): RbacStore => ({
  list: (storage, ns) => svc.store.list(storage, ns),
  get: (storage, ns, name) => svc.store.get(storage, ns, name),
});

/** A Go-printed nil pointer in a field error reads `"null"`. */
const invalidNull = (field: string, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  message: `Invalid value: "null": ${detail}`,
});

function validateAttributes(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  if (spec?.resourceAttributes && spec?.nonResourceAttributes) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.nonResourceAttributes',
      message: `Invalid value: ${JSON.stringify(spec.nonResourceAttributes)}: cannot be specified in combination with resourceAttributes`,
    });
  }
  if (!spec?.resourceAttributes && !spec?.nonResourceAttributes) {
    errs.push(
      invalidNull(
        'spec.resourceAttributes',
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      ),
    );
  }
  return errs;
}

/** Review objects carry no metadata (a namespace at most, for local reviews). */
function metadataUsed(meta: KubeObject['metadata'], allowNamespace: boolean): boolean {
  return Object.entries(meta ?? {}).some(
    ([k, v]) =>
      k !== 'managedFields' &&
      !(allowNamespace && k === 'namespace') &&
      v !== null &&
      v !== '' &&
      !(typeof v === 'object' && Object.keys(v as object).length === 0),
  );
}

function metadataError(obj: KubeObject, allowNamespace: boolean): FieldError[] {
  if (!metadataUsed(obj.metadata, allowNamespace)) return [];
  const detail = allowNamespace ? 'must be empty except for namespace' : 'must be empty';
  return [
    {
      type: 'FieldValueInvalid',
      field: 'metadata',
      message: `Invalid value: ${JSON.stringify(obj.metadata)}: ${detail}`,
    },
  ];
}

function attributesOf(user: UserInfo, spec: any): Attributes {
  return spec.resourceAttributes
    ? { user, resource: spec.resourceAttributes }
    : { user, nonResource: spec.nonResourceAttributes };
}

function reviewed(svc: ApiServices, obj: KubeObject, user: UserInfo) {
  const decision = authorize(rbacStore(svc), attributesOf(user, obj.spec));
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  const { metadata, ...rest } = obj;
  return {
    code: 201,
    body: { ...rest, metadata: { ...metadata, creationTimestamp: null }, status },
  };
}

function check(req: HandlerRequest, errs: FieldError[]): void {
  if (errs.length > 0) throw invalid(req.type, '', errs);
}

const selfSubjectAccessReview: Handler = async (svc, req) => {
  const { object, warnings } = decodeVirtualBody(svc, req);
  check(req, [...validateAttributes(object.spec), ...metadataError(object, false)]);
  return { ...reviewed(svc, object, requestUser(req.headers)), warnings };
};

function specUser(spec: any): UserInfo {
  const user: UserInfo = { username: spec?.user ?? '', groups: spec?.groups ?? [] };
  if (spec?.uid) user.uid = spec.uid;
  if (spec?.extra) user.extra = spec.extra;
  return user;
}

function validateSubjectSpec(spec: any): FieldError[] {
  const errs = validateAttributes(spec);
  if (!spec?.user && (spec?.groups ?? []).length === 0) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.user',
      message: `Invalid value: "": at least one of user or group must be specified`,
    });
  }
  return errs;
}

const subjectAccessReview: Handler = async (svc, req) => {
  const { object, warnings } = decodeVirtualBody(svc, req);
  check(req, [...validateSubjectSpec(object.spec), ...metadataError(object, false)]);
  return { ...reviewed(svc, object, specUser(object.spec)), warnings };
};

const localSubjectAccessReview: Handler = async (svc, req) => {
  const { object, warnings } = decodeVirtualBody(svc, req);
  const namespace = req.info.namespace ?? '';
  if (object.metadata.namespace && object.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  object.metadata.namespace = namespace;
  const errs = [...validateSubjectSpec(object.spec), ...metadataError(object, true)];
  const attrs = object.spec?.resourceAttributes;
  if (attrs && (attrs.namespace ?? '') !== namespace) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.resourceAttributes.namespace',
      message: `Invalid value: ${JSON.stringify(attrs.namespace ?? '')}: must match metadata.namespace`,
    });
  }
  if (object.spec?.nonResourceAttributes) {
    errs.push({
      type: 'FieldValueInvalid',
      field: 'spec.nonResourceAttributes',
      message: `Invalid value: ${JSON.stringify(object.spec.nonResourceAttributes)}: disallowed on this kind of request`,
    });
  }
  check(req, errs);
  return { ...reviewed(svc, object, specUser(object.spec)), warnings };
};

const selfSubjectRulesReview: Handler = async (svc, req) => {
  const { object, warnings } = decodeVirtualBody(svc, req);
  const namespace = object.spec?.namespace;
  if (!namespace) throw badRequest('no namespace on request');
  const { rules, errors } = rulesFor(rbacStore(svc), requestUser(req.headers), namespace);
  const status: Record<string, unknown> = {
    resourceRules: rules
      .filter((r) => (r.resources ?? []).length > 0)
      .map((r) => withLists({ verbs: r.verbs ?? [] }, r, ['apiGroups', 'resources', 'resourceNames'])),
    nonResourceRules: rules
      .filter((r) => (r.nonResourceURLs ?? []).length > 0)
      .map((r) => withLists({ verbs: r.verbs ?? [] }, r, ['nonResourceURLs'])),
    incomplete: false,
  };
  if (errors.length > 0) status.evaluationError = aggregateErrors(errors);
  const body = {
    kind: 'SelfSubjectRulesReview',
    apiVersion: 'authorization.k8s.io/v1',
    metadata: { creationTimestamp: null },
    spec: {},
    status,
  };
  return { code: 201, body, warnings };
};

/** Copy the non-empty lists (upstream omits empty ones). */
function withLists(into: Record<string, unknown>, from: any, keys: string[]) {
  for (const k of keys) if ((from[k] ?? []).length > 0) into[k] = from[k];
  return into;
}

/** Handlers by `<group>/<resource>`, for the create-only routing in the API server. */
export const AUTHORIZATION_HANDLERS: Record<string, Handler> = {
  'authorization.k8s.io/selfsubjectaccessreviews': selfSubjectAccessReview,
  'authorization.k8s.io/subjectaccessreviews': subjectAccessReview,
  'authorization.k8s.io/localsubjectaccessreviews': localSubjectAccessReview,
  'authorization.k8s.io/selfsubjectrulesreviews': selfSubjectRulesReview,
};
