/**
 * The addons a lab definition may declare (`addons: [serverless]`). Only the kind backend
 * installs them; the sim has their equivalents built in, and a kubeconfig lab uses what its
 * cluster has.
 */
export const ADDON_IDS = ['local-path', 'serverless', 'memcached-crd'] as const;

export type AddonId = (typeof ADDON_IDS)[number];

export const isAddonId = (id: string): id is AddonId => (ADDON_IDS as readonly string[]).includes(id);
