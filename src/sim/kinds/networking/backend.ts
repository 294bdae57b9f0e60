import { type FieldError, invalidValue, required } from '../../api/errors.js';
import { nameProblems } from '../../api/validation/names.js';

/**
 * Ingress backends and the port names they use, validated with upstream's messages
 * (`validateIngressBackend`, `IsValidPortName`, `IsValidPortNum`).
 */

export function portNameProblems(name: string): string[] {
  const out: string[] = [];
  if (name.length > 15) out.push('must be no more than 15 characters');
  if (!/^[-a-z0-9]+$/.test(name))
    out.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(name)) out.push('must contain at least one letter (a-z)');
  if (name.includes('--')) out.push('must not contain consecutive hyphens');
  if (name.startsWith('-') || name.endsWith('-')) out.push('must not begin or end with a hyphen');
  return out;
}

export const PORT_RANGE = 'must be between 1 and 65535, inclusive';

export function validateIngressBackend(backend: any, path: string): FieldError[] {
  const hasResource = backend?.resource !== undefined && backend?.resource !== null;
  const hasService = backend?.service !== undefined && backend?.service !== null;
  if (hasResource && hasService)
    return [invalidValue(path, '', 'cannot set both resource and service backends')];
  if (hasResource) {
    const errs: FieldError[] = [];
    if (!backend.resource.kind) errs.push(required(`${path}.resource.kind`));
    if (!backend.resource.name) errs.push(required(`${path}.resource.name`));
    return errs;
  }
  if (!hasService) return [invalidValue(path, '', 'resource or service backend is required')];
  const errs: FieldError[] = [];
  const svc = backend.service;
  if (!svc.name) errs.push(required(`${path}.service.name`));
  else
    for (const m of nameProblems(svc.name, 'dns1035'))
      errs.push(invalidValue(`${path}.service.name`, svc.name, m));
  const portName: string = svc.port?.name ?? '';
  const portNumber: number = svc.port?.number ?? 0;
  if (portName && portNumber) errs.push(invalidValue(path, '', 'cannot set both port name & port number'));
  else if (portName) {
    for (const m of portNameProblems(portName))
      errs.push(invalidValue(`${path}.service.port.name`, portName, m));
  } else if (portNumber) {
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) {
      errs.push(invalidValue(`${path}.service.port.number`, portNumber, PORT_RANGE));
    }
  } else {
    errs.push({ ...required(path), message: 'Required value: port name or number is required' });
  }
  return errs;
}
