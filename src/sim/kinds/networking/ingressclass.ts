import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';

const MAX_CONTROLLER_LENGTH = 250;
const SCOPES = ['Cluster', 'Namespace'];

/** `example.com/ingress-nginx`: a DNS subdomain, a slash and a path (`IsDomainPrefixedPath`). */
function controllerProblems(controller: string): string[] {
  const slash = controller.indexOf('/');
  if (slash <= 0) return ['must be a domain-prefixed path (such as "acme.io/foo")'];
  const host = controller.slice(0, slash);
  const out = nameProblems(host, 'subdomain');
  const rest = controller.slice(slash + 1);
  if (!/^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(rest))
    out.push('path must not be empty or contain invalid characters');
  return out;
}

function parametersCell(o: KubeObject): string {
  const p = o.spec?.parameters;
  if (!p) return '<none>';
  return `${p.kind}${p.apiGroup ? `.${p.apiGroup}` : ''}/${p.name}`;
}

function validateParameters(p: any): FieldError[] {
  if (!p) return [];
  const path = 'spec.parameters';
  const errs: FieldError[] = [];
  if (!p.kind) errs.push(required(`${path}.kind`));
  if (!p.name) errs.push(required(`${path}.name`));
  if (!SCOPES.includes(p.scope)) errs.push(notSupported(`${path}.scope`, p.scope ?? '', SCOPES));
  if (p.scope === 'Namespace' && !p.namespace) {
    errs.push({
      ...required(`${path}.namespace`),
      message: 'Required value: `parameters.scope` is set to "Namespace"',
    });
  }
  return errs;
}

/** networking.k8s.io/v1 IngressClasses: which controller serves which Ingresses. */
export const ingressClass = defineKind({
  group: 'networking.k8s.io',
  version: 'v1',
  kind: 'IngressClass',
  plural: 'ingressclasses',
  namespaced: false,
  schema: 'V1IngressClass',
  generation: true,
  table: {
    columns: [
      nameColumn(),
      col('Controller', 'string', '', 'Controller that is responsible for handling this class'),
      col('Parameters', 'string', '', 'A reference to a resource with additional parameters'),
      ageColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      o.spec?.controller ?? '',
      parametersCell(o),
      age(o.metadata.creationTimestamp, now),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    if (obj.spec.parameters) obj.spec.parameters.scope ??= 'Cluster';
  },
  validate(obj, old) {
    const errs: FieldError[] = [];
    const controller: string = obj.spec?.controller ?? '';
    if (!controller) errs.push(required('spec.controller'));
    else {
      for (const m of controllerProblems(controller))
        errs.push(invalidValue('spec.controller', controller, m));
      if (controller.length > MAX_CONTROLLER_LENGTH) {
        errs.push({
          type: 'FieldValueTooLong',
          field: 'spec.controller',
          message: `Too long: may not be more than ${MAX_CONTROLLER_LENGTH} bytes`,
        });
      }
    }
    errs.push(...validateParameters(obj.spec?.parameters));
    if (old && (old.spec?.controller ?? '') !== controller) {
      errs.push(invalidValue('spec.controller', controller, 'field is immutable'));
    }
    return errs;
  },
});
