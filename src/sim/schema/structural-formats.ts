import { isIP } from 'node:net';
import { decodeBase64 } from './gocodecs.js';

/**
 * The string formats CRD schemas may name and the API server checks (kube-openapi's strfmt
 * registry, the ones left after apiextensions strips the unsupported). Unknown formats pass,
 * as upstream ignores them.
 */

const HEX = '[0-9a-fA-F]';
const UUID = new RegExp(`^${HEX}{8}-?${HEX}{4}-?${HEX}{4}-?${HEX}{4}-?${HEX}{12}$`);
const uuidVersion = (v: string) =>
  new RegExp(`^${HEX}{8}-?${HEX}{4}-?${v}${HEX}{3}-?[89abAB]${HEX}{3}-?${HEX}{12}$`);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?$/;
const DURATION =
  /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h|d|w))+$|^\d+\s*(?:ns|us|ms|s|m|h|d|w|[a-z]+s?)$/i;
const HOSTNAME =
  /^(?=.{1,255}$)[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const MAC = /^(?:[0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;

function validDate(v: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function validCidr(v: string): boolean {
  const [ip, bits, extra] = v.split('/');
  if (extra !== undefined || bits === undefined || !/^\d+$/.test(bits)) return false;
  const family = isIP(ip ?? '');
  return family !== 0 && Number(bits) <= (family === 4 ? 32 : 128);
}

const CHECKS: Record<string, (v: string) => boolean> = {
  'date-time': (v) => DATE_TIME.test(v),
  datetime: (v) => DATE_TIME.test(v),
  date: validDate,
  uuid: (v) => UUID.test(v),
  uuid3: (v) => uuidVersion('3').test(v),
  uuid4: (v) => uuidVersion('4').test(v),
  uuid5: (v) => uuidVersion('5').test(v),
  ipv4: (v) => isIP(v) === 4,
  ipv6: (v) => isIP(v) === 6,
  cidr: validCidr,
  hostname: (v) => HOSTNAME.test(v),
  email: (v) => EMAIL.test(v),
  mac: (v) => MAC.test(v),
  byte: (v) => !('error' in decodeBase64(v)),
  duration: (v) => DURATION.test(v),
  hexcolor: (v) => /^#?(?:[0-9a-fA-F]{3}){1,2}$/.test(v),
  rgbcolor: (v) => /^rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)$/.test(v),
};

export function checkFormat(format: string, value: string): boolean {
  const check = CHECKS[format];
  return check ? check(value) : true;
}
