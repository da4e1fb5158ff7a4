// Prop validation of the Secure* workloads, as pure functions: each returns the first problem
// it finds (the error message, naming the prop, its value and the fix) or undefined, and throws
// nothing; the coordinator (pod-hardening.ts) throws what they return.
import * as kplus from '../kplus';
import { constructReasonProblem, PolicyEngine, quotedReason, Severity } from '../policy';
import { NodePool } from '../scheduling/node-pool';
import { parseImageReference } from '../vocab/image-reference';
import { POOL_LABEL } from '../vocab/labels';
import { parseQuantity, unboundedAmount, zeroMeaning } from '../vocab/quantity';
import { Sensitivity, sensitivityRank } from '../vocab/sensitivity';
import { DEFAULT_TOKEN_EXPIRATION, DEFAULT_USER } from './pod-render';
import { ContainerExemptions, Exemption, KubernetesApiAccess, SecureContainerProps, SecureResources, SecureWorkloadProps } from './props';
import type { SecureVolumeClaimTemplate } from './secure-stateful-set';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The shortest projected token the kubelet accepts. */
const MIN_TOKEN_SECONDS = 600;

/** Each container exemption and the rules it weakens. */
export const CONTAINER_EXEMPTION_RULES: { [K in keyof ContainerExemptions]-?: string[] } = {
  privileged: ['privileged-container', 'privilege-escalation'],
  hostPort: ['host-port'],
  cpuLimit: ['cpu-limits'],
  writableRootFilesystem: ['read-only-root-filesystem'],
  secretsInEnv: ['secret-env'],
  // A tag has no recorded build time, so its age is unknown too.
  tagOnlyImage: ['image-digest', 'image-max-age'],
  addCapabilities: [],
};
/** Rules checked on a container's props at construction, by the engine, before the pod exists. */
export const CONSTRUCTION_RULES = ['secret-env', 'env-credential-literal', 'host-port'];
/** The exemption that weakens each rule checked at construction, where one does. */
const CONSTRUCTION_EXEMPTIONS: { [ruleId: string]: string } = {
  'secret-env': 'secretsInEnv', 'host-port': 'hostPort', 'host-path-volume': 'hostPath',
};

export function reasonProblem(prop: string, exemption: Exemption | undefined): string | undefined {
  if (exemption === undefined) return undefined;
  const reason = exemption?.reason;
  const problem = constructReasonProblem(reason);
  return problem ? `'${prop}.reason' (${quotedReason(reason)}) ${problem}: say why the weakening is needed` : undefined;
}

/** The value of a quantity as the API server takes it (which refuses surrounding spaces), or undefined. */
function quantityValue(value: string): number | undefined {
  const n = typeof value === 'string' && value.trim() === value ? parseQuantity(value) : undefined;
  return n === undefined || n < 0 ? undefined : n;
}

function notQuantity(prop: string, value: string, example: string): string {
  return `'${prop}' (${JSON.stringify(value ?? null)}) is not a Kubernetes quantity; use e.g. "${example}"`;
}

// The checks below take the value as written and as parsed (quantityValue), so each is parsed once.

/** A quantity of bytes (memory, storage): "100m" would be a tenth of a byte, a slip for "100Mi". */
function bytesProblem(prop: string, value: string, n: number | undefined, example: string): string | undefined {
  if (n === undefined) return notQuantity(prop, value, example);
  if (Number.isInteger(n)) return undefined;
  return `'${prop}' (${JSON.stringify(value)}) is ${n} bytes, not a whole number of bytes ("m" means thousandths); use e.g. "${example}"`;
}

/** A size (of an emptyDir, a volume): a whole number of bytes above 0. */
export function sizeProblem(prop: string, value: string, example: string): string | undefined {
  const n = quantityValue(value);
  return bytesProblem(prop, value, n, example) ?? (n! > 0 ? undefined : `'${prop}' (${value}) must be larger than 0`);
}

/**
 * A resource request or limit: a quantity above 0, since Kubernetes takes a limit of 0 as no
 * limit and a request of 0 as none (the resource rules say the same of the manifest).
 */
function amountProblem(prop: string, value: string, n: number | undefined, example: string): string | undefined {
  if (n === 0 || (n === undefined && unboundedAmount(value) === 'zero')) {
    const meaning = zeroMeaning(prop.endsWith('.limit') ? 'limits' : 'requests');
    return `'${prop}' (${JSON.stringify(value)}) is 0, which Kubernetes takes as ${meaning}; use e.g. "${example}"`;
  }
  return n === undefined ? notQuantity(prop, value, example) : undefined;
}

/** A limit and its request: (of bytes: each whole bytes, then) each above 0, then the limit at least the request. */
function limitProblem(limitProp: string, limit: string, requestProp: string, request: string, example: string, ofBytes: boolean): string | undefined {
  const l = quantityValue(limit);
  const r = quantityValue(request);
  return (ofBytes ? bytesProblem(limitProp, limit, l, example) ?? bytesProblem(requestProp, request, r, example) : undefined)
    ?? amountProblem(limitProp, limit, l, example) ?? amountProblem(requestProp, request, r, example)
    ?? (l! < r! ? `'${limitProp}' (${limit}) must be at least '${requestProp}' (${request})` : undefined);
}

function portProblem(prop: string, port: number | undefined): string | undefined {
  if (port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65535)) return undefined;
  return `'${prop}' (${port}) must be a whole number from 1 to 65535`;
}

function idProblem(prop: string, value: number | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0 || value > 2147483647) return `'${prop}' (${value}) must be a whole number between 1 and 2147483647`;
  if (value === 0) return `'${prop}' (0) must not be 0: root is never allowed; use a numeric non-root id such as ${DEFAULT_USER}`;
  return undefined;
}

export function mountPathProblem(prop: string, path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    return `'${prop}' (${JSON.stringify(path ?? null)}) must be an absolute path such as "/var/cache/app"`;
  }
  if (normalMountPath(path) === '/' || path.split('/').includes('..')) {
    return `'${prop}' (${JSON.stringify(path)}) must be an absolute path below / without ".."`;
  }
  return undefined;
}

/** A valid mount path as the kubelet sees it: "/data/./" is "/data". */
export function normalMountPath(path: string): string {
  return '/' + path.split('/').filter(p => p !== '' && p !== '.').join('/');
}

/** Each of `props` named by `lists` is a list where given (iterating anything else would fail with a TypeError). */
export function listsProblem<T extends object>(props: T, lists: Array<keyof T & string>, prefix = ''): string | undefined {
  const prop = lists.find(key => props[key] !== undefined && !Array.isArray(props[key]));
  return prop && `'${prefix}${prop}' (${JSON.stringify(props[prop as keyof T] ?? null)}) must be a list`;
}

export function workloadIdsProblem(props: SecureWorkloadProps): string | undefined {
  return idProblem('user', props.user) ?? idProblem('group', props.group) ?? idProblem('fsGroup', props.fsGroup);
}

export function apiAccessProblem(access: KubernetesApiAccess): string | undefined {
  const seconds = (access.expiration ?? DEFAULT_TOKEN_EXPIRATION).toSeconds();
  if (seconds < MIN_TOKEN_SECONDS) {
    return `'kubernetesApiAccess.expiration' (${seconds}s) must be at least ${MIN_TOKEN_SECONDS}s; the kubelet refuses shorter projected tokens`;
  }
  if (access.audience !== undefined && (typeof access.audience !== 'string' || access.audience.trim() === '')) {
    return `'kubernetesApiAccess.audience' (${JSON.stringify(access.audience)}) must be a non-empty audience, or be left out for the API server`;
  }
  return undefined;
}

export function serviceAccountProblem(props: SecureWorkloadProps): string | undefined {
  const given = props.serviceAccount;
  if (props.exemptions?.defaultServiceAccount) {
    if (given && given.name !== 'default') return `'exemptions.defaultServiceAccount' contradicts 'serviceAccount' ("${given.name}"); remove one`;
  } else if (given?.name === 'default') {
    return `'serviceAccount' ("default") is the namespace's default ServiceAccount, which every pod without one of its own shares; `
      + `leave 'serviceAccount' out for a dedicated one, or set 'exemptions.defaultServiceAccount' with a reason`;
  }
  return undefined;
}

/** The node pool, sensitivity and the exemption from dedicated nodes, before the workload is placed. */
export function placementProblem(props: SecureWorkloadProps): string | undefined {
  const pool = props.nodePool;
  if (props.sensitivity !== undefined && sensitivityRank(props.sensitivity) < 0) {
    return `'sensitivity' (${JSON.stringify(props.sensitivity)}) must be one of ${Object.values(Sensitivity).join(', ')}`;
  }
  if (!pool) {
    if (props.exemptions?.sharedNodes) return undefined;
    return `'nodePool' is required: place the workload on a dedicated NodePool, or run it on shared nodes with 'exemptions.sharedNodes' and a reason`;
  }
  if (!NodePool.isNodePool(pool)) return `'nodePool' must be a NodePool`;
  if (props.exemptions?.sharedNodes) return `'exemptions.sharedNodes' contradicts 'nodePool' ("${pool.poolName}"); remove one`;
  return undefined;
}

/** A RuntimeClass of its own must run on the workload's pool. */
export function runtimeClassProblem(props: SecureWorkloadProps): string | undefined {
  const pool = props.nodePool;
  if (!props.runtimeClass || !pool || props.runtimeClass === pool.runtimeClass) return undefined;
  const selected = props.runtimeClass.nodeSelector?.[POOL_LABEL];
  if (!pool.runtimeClass && (selected === undefined || selected === pool.poolName)) return undefined;
  return `'runtimeClass' ("${props.runtimeClass.name}") does not run on node pool "${pool.poolName}"`
    + `${pool.runtimeClass ? `, whose workloads all use "${pool.runtimeClass.name}"` : ''}; `
    + "use the pool's sandbox, or a RuntimeClass whose nodes are the pool's";
}

export function containersListProblem(containers: SecureContainerProps[] | undefined): string | undefined {
  if (Array.isArray(containers) && containers.length > 0) return undefined;
  return `'containers' (${JSON.stringify(containers ?? null)}) must list at least one container`;
}

function imageProblem(image: string): string | undefined {
  if (typeof image !== 'string' || image === '') {
    return `'image' (${JSON.stringify(image ?? null)}) must be an image reference such as "registry.example.com/app:1.2.3"`;
  }
  try {
    parseImageReference(image);
    return undefined;
  } catch (e) {
    return `'image' (${JSON.stringify(image)}) ${(e as Error).message.replace(/^image reference "[^"]*" /, '')}`;
  }
}

function exemptionsProblem(ex: ContainerExemptions): string | undefined {
  for (const key of Object.keys(CONTAINER_EXEMPTION_RULES) as Array<keyof ContainerExemptions>) {
    const problem = reasonProblem(`exemptions.${key}`, ex[key]);
    if (problem) return problem;
  }
  if (!ex.addCapabilities) return undefined;
  const caps = ex.addCapabilities.capabilities ?? [];
  if (caps.length > 0 && caps.every(c => c === kplus.Capability.NET_BIND_SERVICE)) return undefined;
  return `'exemptions.addCapabilities.capabilities' (${JSON.stringify(caps)}) may only contain NET_BIND_SERVICE; `
    + 'every other capability stays dropped';
}

function resourcesProblem(r: SecureResources, ex: ContainerExemptions): string | undefined {
  if (!r || !r.cpu || !r.memory || !r.ephemeralStorage) {
    return `'resources' must set cpu, memory and ephemeralStorage, e.g. { cpu: { request: '100m', limit: '500m' }, `
      + `memory: { request: '128Mi', limit: '256Mi' }, ephemeralStorage: { limit: '256Mi' } }`;
  }
  const cpuLimit = r.cpu.limit === undefined
    ? (ex.cpuLimit ? undefined : `'resources.cpu.limit' is missing; set it, or leave it out with 'exemptions.cpuLimit' and a reason`)
    : limitProblem('resources.cpu.limit', r.cpu.limit, 'resources.cpu.request', r.cpu.request, '500m', false);
  const storage = r.ephemeralStorage;
  const storageLimit = quantityValue(storage.limit);
  return amountProblem('resources.cpu.request', r.cpu.request, quantityValue(r.cpu.request), '250m') ?? cpuLimit
    ?? limitProblem('resources.memory.limit', r.memory.limit, 'resources.memory.request', r.memory.request, '256Mi', true)
    ?? amountProblem('resources.ephemeralStorage.limit', storage.limit, storageLimit, '256Mi')
    ?? bytesProblem('resources.ephemeralStorage.limit', storage.limit, storageLimit, '256Mi')
    ?? (storage.request === undefined ? undefined
      : limitProblem('resources.ephemeralStorage.limit', storage.limit, 'resources.ephemeralStorage.request', storage.request, '256Mi', true));
}

function portsProblem(props: SecureContainerProps): string | undefined {
  const ports = props.ports ?? [];
  for (let i = 0; i < ports.length; i++) {
    const p = ports[i];
    const problem = portProblem(`ports[${i}].number`, p?.number)
      ?? (p?.number === undefined ? `'ports[${i}].number' is missing; give the port the container listens on` : undefined)
      ?? portProblem(`ports[${i}].hostPort`, p.hostPort === 0 ? undefined : p.hostPort);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * A secure container's props, in the pod so far: its container names and the pod-wide mount
 * paths (each with what is mounted there).
 */
export function containerProblem(name: string, props: SecureContainerProps, init: boolean, names: ReadonlySet<string>,
  mountPaths: ReadonlyMap<string, string>): string | undefined {
  if (!DNS_LABEL.test(name) || name.length > 63) {
    return `'name' (${JSON.stringify(name)}) must be a DNS label: lowercase letters, digits and "-", at most 63 characters`;
  }
  if (names.has(name)) return `'name' (${JSON.stringify(name)}) is already used in this pod; container names must be unique`;
  const lists = listsProblem(props, ['ports', 'volumeMounts', 'writablePaths', 'command', 'args']);
  if (lists) return lists;
  const ex = props.exemptions ?? {};
  const restartPolicy = props.restartPolicy !== undefined && !init
    ? `'restartPolicy' (${props.restartPolicy}) is only for init containers (native sidecars); regular containers follow the pod's restart policy`
    : undefined;
  return imageProblem(props.image) ?? idProblem('user', props.user) ?? idProblem('group', props.group)
    ?? exemptionsProblem(ex) ?? restartPolicy ?? resourcesProblem(props.resources, ex)
    ?? portProblem('portNumber', props.portNumber) ?? portsProblem(props)
    ?? volumeMountsProblem(props.volumeMounts ?? [], mountPaths);
}

function volumeMountsProblem(mounts: kplus.VolumeMount[], mountPaths: ReadonlyMap<string, string>): string | undefined {
  for (let i = 0; i < mounts.length; i++) {
    const prop = `volumeMounts[${i}].path`;
    const problem = mountPathProblem(prop, mounts[i]?.path);
    if (problem) return problem;
    const existing = mountPaths.get(normalMountPath(mounts[i].path));
    if (existing) return `'${prop}' (${JSON.stringify(mounts[i].path)}) collides with ${existing} mounted there; choose another path`;
  }
  return undefined;
}

/**
 * A plain cdk8s-plus container without complete resources (cdk8s-plus would default them
 * silently), or with a name the pod already has.
 */
export function plainContainerProblem(method: string, props: kplus.ContainerProps, names: ReadonlySet<string>): string | undefined {
  const name = props.name ?? 'main';
  const r = props.resources;
  const missing = [
    ['cpu.request', r?.cpu?.request], ['cpu.limit', r?.cpu?.limit], ['memory.request', r?.memory?.request],
    ['memory.limit', r?.memory?.limit], ['ephemeralStorage.limit', r?.ephemeralStorage?.limit],
  ].filter(([, v]) => v === undefined).map(([k]) => `'resources.${k}'`);
  if (missing.length) {
    return `${method}: container "${name}" must set ${missing.join(', ')}; cdk8s-plus would default them silently. `
      + 'Set them, or use addSecureContainer() which takes quantities and exemptions';
  }
  if (names.has(name)) return `${method}: container name "${name}" is already used in this pod; give the container a unique 'name'`;
  return undefined;
}

/**
 * The first finding of `rules` on what a container's props say so far (its env and ports),
 * found by the engine's own checks: the early error and the synth-time error agree.
 */
export function containerRulesProblem(name: string, props: Pick<kplus.ContainerProps, 'image' | 'envVariables' | 'ports'>, rules: string[],
  exemptionVia: string): string | undefined {
  const container = {
    name,
    image: props.image,
    env: Object.entries(props.envVariables ?? {}).map(([env, v]) => ({ name: env, value: v?.value, valueFrom: v?.valueFrom })),
    ports: (props.ports ?? []).map(p => ({ containerPort: p.number, hostPort: p.hostPort })),
  };
  return podRulesProblem({ containers: [container] }, rules, exemptionVia);
}

// One engine per set of rules (a few sets exist): every container added builds none.
const constructionEngines = new Map<string, PolicyEngine>();

/**
 * The first finding of `rules` on a pod spec made of what the props say so far, found by the
 * engine's own checks (so the early error and the synth-time one agree), with the exemption
 * that weakens it where there is one.
 */
export function podRulesProblem(spec: object, rules: string[], exemptionVia: string): string | undefined {
  const key = rules.join(',');
  let engine = constructionEngines.get(key);
  if (!engine) {
    const pack = { name: 'construction', description: 'Props at construction.', rules: Object.fromEntries(rules.map(r => [r, Severity.ERROR])) };
    engine = new PolicyEngine({ pack });
    constructionEngines.set(key, engine);
  }
  const [first] = engine.evaluate([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'construction' }, spec }]).errors;
  if (!first) return undefined;
  const exemption = CONSTRUCTION_EXEMPTIONS[first.ruleId];
  return `[${first.ruleId}] ${first.message}${exemption ? `, or allow it with ${exemptionVia}'exemptions.${exemption}' and a reason` : ''}`;
}

/**
 * A StatefulSet's volume claim template, in the pod so far: its volume names and its regular
 * containers' names (a template with no containers named goes to the first one).
 */
export function claimTemplateProblem(t: SecureVolumeClaimTemplate, prop: string, volumeNames: string[], containers: string[]): string | undefined {
  if (!t || typeof t !== 'object') return `'${prop}' (${JSON.stringify(t ?? null)}) must be a claim template: { name, storage, mountPath }`;
  if (typeof t.name !== 'string' || !DNS_LABEL.test(t.name) || t.name.length > 63) {
    return `'${prop}.name' (${JSON.stringify(t.name ?? null)}) must be a DNS label: lowercase letters, digits and "-", at most 63 characters`;
  }
  if (volumeNames.includes(t.name)) return `'${prop}.name' ("${t.name}") is already the name of a volume of this pod; choose another`;
  const problem = sizeProblem(`${prop}.storage`, t.storage, '10Gi');
  if (problem) return problem;
  const storageClass = t.storageClassName;
  if (storageClass !== undefined && (typeof storageClass !== 'string' || !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(storageClass))) {
    return `'${prop}.storageClassName' (${JSON.stringify(t.storageClassName)}) must be a StorageClass name`;
  }
  const modes = t.accessModes ?? [kplus.PersistentVolumeAccessMode.READ_WRITE_ONCE];
  const known = Object.values(kplus.PersistentVolumeAccessMode) as string[];
  if (!Array.isArray(modes) || modes.length === 0 || modes.some(m => !known.includes(m))) {
    return `'${prop}.accessModes' (${JSON.stringify(t.accessModes)}) must list one or more of ${known.join(', ')}`;
  }
  const named = t.containers ?? containers.slice(0, 1);
  if (named.length === 0 || named.some(n => !containers.includes(n))) {
    const has = containers.join(', ') || 'none';
    return `'${prop}.containers' (${JSON.stringify(t.containers ?? null)}) must name containers of this StatefulSet (it has ${has})`;
  }
  return undefined;
}
