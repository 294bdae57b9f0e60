import { configMap } from './core/configmap.js';
import { namespace } from './core/namespace.js';
import { node } from './core/node.js';
import { pod } from './core/pod.js';
import type { Registry } from './registry.js';
import type { ResourceType } from './types.js';

/** Every built-in kind the sim serves. */
export const BUILTIN_KINDS: ResourceType[] = [namespace, node, pod, configMap];

export function registerBuiltins(registry: Registry): void {
  for (const k of BUILTIN_KINDS) registry.register(k);
}
