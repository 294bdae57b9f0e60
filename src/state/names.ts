/**
 * Lab names become directory names, kubeconfig contexts (`clusterlab-<name>`) and node names
 * (`<name>-control-plane`), so they must be DNS labels; 40 characters leaves room for the
 * longest node-name suffix within the 63 a label allows.
 */
export const MAX_LAB_NAME_LENGTH = 40;
export const DEFAULT_LAB_NAME = 'lab';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` cannot name a lab, or undefined when it can. */
export function labNameProblem(name: string): string | undefined {
  if (name === '') return 'a lab name cannot be empty';
  if (name.length > MAX_LAB_NAME_LENGTH)
    return `lab name "${name}" is ${name.length} characters long; at most ${MAX_LAB_NAME_LENGTH} are allowed`;
  if (DNS_LABEL.test(name)) return undefined;
  return (
    `lab name "${name}" is not valid: use lowercase letters, digits and '-', ` +
    `starting and ending with a letter or digit (like "lab", "cka-practice" or "team2")`
  );
}

/** A valid name close to `name` (lowercased, other characters turned into '-'), for error hints. */
export function suggestLabName(name: string): string {
  const cleaned = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_LAB_NAME_LENGTH)
    .replace(/^-+|-+$/g, '');
  return cleaned || DEFAULT_LAB_NAME;
}

/** A clusterlab command for one lab, leaving out `--name` for the default lab (what people type). */
export function labCommand(verb: string, name: string, rest = ''): string {
  const named = name === DEFAULT_LAB_NAME ? `clusterlab ${verb}` : `clusterlab ${verb} --name ${name}`;
  return rest ? `${named} ${rest}` : named;
}
