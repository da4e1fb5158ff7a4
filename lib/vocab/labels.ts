// Kubernetes label, annotation and taint syntax, and the labels and annotations the library writes
// and the engine reads. Pure (no cdk8s), so both sides use the same keys.

/** Node label (and pod node selector) naming a dedicated pool. */
export const POOL_LABEL = 'cdk8s-secure.io/node-pool';
/** Node label with the pool's sensitivity. */
export const POOL_SENSITIVITY_LABEL = 'cdk8s-secure.io/pool-sensitivity';
/** Pod label with the workload's declared sensitivity. */
export const SENSITIVITY_LABEL = 'cdk8s-secure.io/sensitivity';
/** The label every namespace carries with its own name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';
/** Pod template annotation naming the log shipper container (written by LogShipper). */
export const LOG_SHIPPER_ANNOTATION = 'cdk8s-secure.io/log-shipper';
/** Pod template annotation listing what a pod must reach to work (written by LogShipper, EventShipper). */
export const REQUIRED_EGRESS_ANNOTATION = 'cdk8s-secure.io/required-egress';

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** A DNS label (RFC 1123) as Kubernetes names take it: lowercase letters, digits and "-" (the length, at most 63, is the caller's). */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS subdomain (RFC 1123): DNS labels joined by "." (the length, at most 253, is the caller's). */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label (or taint) key, or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  if (typeof key !== 'string' || key === '') return 'it is empty';
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return `its prefix "${prefix}" must be a lowercase DNS subdomain of at most 253 characters`;
  }
  if (name.length > 63 || !NAME.test(name)) {
    return `its name "${name}" must be 1-63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit`;
  }
  return undefined;
}

/** Why `value` is not a valid label (or taint) value, or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (typeof value !== 'string') return 'it is not a string';
  if (value === '') return undefined;
  if (value.length > 63 || !NAME.test(value)) {
    return 'it must be at most 63 characters of letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}
