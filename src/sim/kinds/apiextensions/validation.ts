import { type FieldError, forbiddenField, invalidValue, notSupported } from '../../api/errors.js';
import { nameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { goVersionsValue } from './go-values.js';
import { crdNameOf, isConditionTrue } from './helpers.js';
import { requiredMsg, validateVersion } from './version-validation.js';

/** Validation of CustomResourceDefinitions, with upstream's field paths and messages. */

/** IsDNS1035Label / IsDNS1123Subdomain messages, joined as upstream joins them. */
function dnsProblems(value: string, rule: 'dns1035' | 'subdomain'): string {
  return nameProblems(value, rule)
    .filter((m) => !m.startsWith('may not'))
    .join(',');
}

export function validateCrd(crd: KubeObject, old: KubeObject | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const spec = crd.spec ?? {};
  const name = crd.metadata.name ?? '';
  if (name && name !== crdNameOf(crd)) {
    errs.push(invalidValue('metadata.name', name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(spec));
  if (old) errs.push(...validateSpecUpdate(spec, old.spec ?? {}, isConditionTrue(old, 'Established')));
  errs.push(...validateStoredVersions(crd.status?.storedVersions ?? [], spec.versions ?? []));
  if (spec.preserveUnknownFields === true && old?.spec?.preserveUnknownFields !== true) {
    errs.push(
      invalidValue(
        'spec.preserveUnknownFields',
        true,
        'cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead',
      ),
    );
  }
  return errs;
}

function validateSpec(spec: any): FieldError[] {
  const errs: FieldError[] = [];
  const group: string = spec.group ?? '';
  if (!group) errs.push(requiredMsg('spec.group', ''));
  else if (dnsProblems(group, 'subdomain'))
    errs.push(invalidValue('spec.group', group, dnsProblems(group, 'subdomain')));
  else if (group.split('.').length < 2)
    errs.push(invalidValue('spec.group', group, 'should be a domain with at least one dot'));

  if (!spec.scope) errs.push(requiredMsg('spec.scope', ''));
  else if (spec.scope !== 'Cluster' && spec.scope !== 'Namespaced')
    errs.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));

  const versions: any[] = Array.isArray(spec.versions) ? spec.versions : [];
  if (versions.length === 0)
    errs.push(requiredMsg('spec.versions', 'must have exactly one version marked as storage version'));
  for (const [i, v] of versions.entries()) {
    if (!v?.schema?.openAPIV3Schema)
      errs.push(requiredMsg(`spec.versions[${i}].schema.openAPIV3Schema`, 'schemas are required'));
  }
  const seen = new Set<string>();
  let unique = true;
  let storageCount = 0;
  for (const [i, v] of versions.entries()) {
    const p = `spec.versions[${i}]`;
    if (v?.storage === true) storageCount++;
    if (seen.has(v?.name)) unique = false;
    seen.add(v?.name);
    const bad = dnsProblems(v?.name ?? '', 'dns1035');
    if (bad) errs.push(invalidValue(`${p}.name`, v?.name ?? '', bad));
    errs.push(...validateVersion(v ?? {}, p));
  }
  if (!unique)
    errs.push(
      invalidValueRaw('spec.versions', goVersionsValue(versions), 'must contain unique version names'),
    );
  if (versions.length > 0 && storageCount !== 1) {
    errs.push(
      invalidValueRaw(
        'spec.versions',
        goVersionsValue(versions),
        'must have exactly one version marked as storage version',
      ),
    );
  }

  const names = spec.names ?? {};
  for (const f of ['plural', 'singular', 'kind', 'listKind']) {
    if (!names[f]) errs.push(requiredMsg(`spec.names.${f}`, ''));
  }
  errs.push(...validateNames(names, 'spec.names'));
  errs.push(...validateConversion(spec.conversion));
  return errs;
}

/** A field.Invalid whose value is already rendered (Go struct dumps). */
function invalidValueRaw(field: string, rendered: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field, message: `Invalid value: ${rendered}: ${detail}` };
}

export function validateNames(names: any, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, value: unknown, mixedCase = false) => {
    if (typeof value !== 'string' || value.length === 0) return;
    const bad = dnsProblems(mixedCase ? value.toLowerCase() : value, 'dns1035');
    if (bad)
      errs.push(
        invalidValue(
          `${p}.${field}`,
          value,
          mixedCase ? `may have mixed case, but should otherwise match: ${bad}` : bad,
        ),
      );
  };
  label('plural', names.plural);
  label('singular', names.singular);
  label('kind', names.kind, true);
  label('listKind', names.listKind, true);
  for (const [i, s] of (names.shortNames ?? []).entries()) {
    const bad = dnsProblems(String(s), 'dns1035');
    if (bad) errs.push(invalidValue(`${p}.shortNames[${i}]`, s, bad));
  }
  if (names.kind && names.kind === names.listKind)
    errs.push(invalidValue(`${p}.listKind`, names.listKind, 'kind and listKind may not be the same'));
  for (const [i, c] of (names.categories ?? []).entries()) {
    const bad = dnsProblems(String(c), 'dns1035');
    if (bad) errs.push(invalidValue(`${p}.categories[${i}]`, c, bad));
  }
  return errs;
}

function validateConversion(conversion: any): FieldError[] {
  if (!conversion) return [];
  const errs: FieldError[] = [];
  const p = 'spec.conversion';
  if (!conversion.strategy) errs.push(requiredMsg(`${p}.strategy`, ''));
  else if (conversion.strategy !== 'None' && conversion.strategy !== 'Webhook')
    errs.push(notSupported(`${p}.strategy`, conversion.strategy, ['None', 'Webhook']));
  if (conversion.strategy === 'Webhook') {
    if (!conversion.webhook?.clientConfig)
      errs.push(requiredMsg(`${p}.webhookClientConfig`, 'required when strategy is set to Webhook'));
    if (!conversion.webhook?.conversionReviewVersions?.length)
      errs.push(requiredMsg(`${p}.conversionReviewVersions`, ''));
  } else if (conversion.webhook) {
    errs.push(
      forbiddenField(`${p}.webhookClientConfig`, 'should not be set when strategy is not set to Webhook'),
    );
  }
  return errs;
}

function validateSpecUpdate(spec: any, oldSpec: any, established: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const immutable = (field: string, now: unknown, before: unknown) => {
    if (now !== before) errs.push(invalidValue(field, now ?? '', 'field is immutable'));
  };
  if (established) {
    immutable('spec.scope', spec.scope, oldSpec.scope);
    immutable('spec.names.kind', spec.names?.kind, oldSpec.names?.kind);
  }
  immutable('spec.group', spec.group, oldSpec.group);
  immutable('spec.names.plural', spec.names?.plural, oldSpec.names?.plural);
  return errs;
}

function validateStoredVersions(stored: string[], versions: any[]): FieldError[] {
  const p = 'status.storedVersions';
  const goStrings = `[]string{${stored.map((v) => JSON.stringify(v)).join(', ')}}`;
  if (stored.length === 0)
    return [invalidValueRaw(p, '[]string(nil)', 'must have at least one stored version')];
  const errs: FieldError[] = [];
  const names = new Set(versions.map((v) => v?.name));
  for (const v of versions) {
    if (v?.storage === true && !stored.includes(v.name))
      errs.push(invalidValueRaw(p, goStrings, `must have the storage version ${v.name}`));
  }
  for (const [i, s] of stored.entries()) {
    if (!names.has(s)) {
      errs.push(
        invalidValue(
          `${p}[${i}]`,
          s,
          `missing from spec.versions; ${s} was previously a storage version, and must remain in spec.versions until a storage migration ensures no data remains persisted in ${s} and removes ${s} from status.storedVersions`,
        ),
      );
    }
  }
  return errs;
}
