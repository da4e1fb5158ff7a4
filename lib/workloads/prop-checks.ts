// Prop validation of the Secure* workloads, as pure functions: each returns the first problem
// it finds (the error message, naming the prop, its value and the fix) or undefined, and throws
// nothing; the coordinator (pod-hardening.ts) throws what they return.
import * as kplus from '../kplus';
import { constructReasonProblem, PolicyEngine, quotedReason, Severity } from '../policy';
import { NodePool } from '../scheduling/node-pool';
import { SecretMount } from '../secrets/secret-mount';
import { imageReferenceProblem, parseImageReference } from '../vocab/image-reference';
import { DNS_LABEL, POOL_LABEL } from '../vocab/labels';
import { parseQuantity, unboundedAmount, zeroMeaning } from '../vocab/quantity';
import { Sensitivity, sensitivityRank } from '../vocab/sensitivity';
import { claimAccessModes, claimContainers, containerName, DEFAULT_TOKEN_EXPIRATION, DEFAULT_USER } from './pod-render';
import {
  ANNOTATIONS_MAX_BYTES, annotationsProblem, booleanProblem, durationProblem, envNameProblem, instanceProblem, integerProblem, isJsiiInstance,
  labelsProblem, nameProblem, objectProblem, oneOfProblem, QUOTED_CHARACTERS, shown, timeZoneProblem,
} from './prop-values';
import {
  ApiPermission, ApiVerb, ContainerExemptions, Exemption, KubernetesApiAccess, PodExemptions, SecureContainerProps, SecureResources,
  SecureWorkloadProps, WritablePath,
} from './props';
import type { SecureVolumeClaimTemplate } from './secure-stateful-set';

/** The shortest projected token the kubelet accepts. */
const MIN_TOKEN_SECONDS = 600;
/** The verbs a grant may hold. */
const VERBS = new Set<string>(Object.values(ApiVerb));

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
/** Each pod exemption and the rules it weakens. */
export const POD_EXEMPTION_RULES: { [K in keyof PodExemptions]-?: string[] } = {
  hostNetwork: ['host-namespaces'],
  hostPid: ['host-namespaces'],
  hostIpc: ['host-namespaces'],
  hostPath: ['host-path-volume', 'volume-types'],
  sharedNodes: ['dedicated-node-pool'],
  defaultServiceAccount: ['default-service-account'],
};
/** Rules checked on a container's props at construction, by the engine, before the pod exists. */
const CONSTRUCTION_RULES = ['secret-env', 'env-credential-literal', 'host-port'];
/** The exemption that weakens each rule checked at construction, where one does. */
const CONSTRUCTION_EXEMPTIONS: { [ruleId: string]: string } = {
  'secret-env': 'secretsInEnv', 'host-port': 'hostPort', 'host-path-volume': 'hostPath',
};

/** The kinds of Secure* workload, as the props of each differ. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'Job' | 'CronJob';

/** How long a name each kind may have, and why, beyond what the API server takes of every object. */
const NAME_FORMS: { [K in WorkloadKind]: [form: 'label' | 'subdomain', max: number, why: string] } = {
  Deployment: ['subdomain', 253, ''],
  // Its pods are labelled controller-revision-hash=<name>-<10 characters>, and a label value has at most 63.
  StatefulSet: ['label', 52, ' (its pods carry the label controller-revision-hash=<name>-<hash>, at most 63 characters)'],
  // Its pods are labelled job-name=<name>, and a label value has at most 63.
  Job: ['subdomain', 63, ' (its pods carry the label job-name=<name>, at most 63 characters)'],
  // The API server refuses longer names: each Job it starts is named <name>-<11 characters>.
  CronJob: ['subdomain', 52, ' (the Jobs it starts are named <name>-<time>, at most 63 characters)'],
};

/** kplus.DnsPolicy's values (lib/kplus.ts re-exports the enums the library uses as values; this one is read only here). */
const DNS_POLICIES = { CLUSTER_FIRST: 'ClusterFirst', CLUSTER_FIRST_WITH_HOST_NET: 'ClusterFirstWithHostNet', DEFAULT: 'Default', NONE: 'None' };

type Check = (prop: string, value: unknown) => string | undefined;
const duration = (example: string, min = 0): Check => (prop, value) => durationProblem(prop, value, example, min);
const whole = (min: number): Check => (prop, value) => integerProblem(prop, value, min);

/** The props of each kind (beyond the pod's) that reach cdk8s-plus, each with the check of its type. */
const KIND_PROP_CHECKS: { [K in WorkloadKind]: { [prop: string]: Check } } = {
  Deployment: {
    replicas: whole(0),
    strategy: (prop, v) => instanceProblem(prop, v, 'DeploymentStrategy', 'DeploymentStrategy.rollingUpdate()'),
    minReady: duration('Duration.seconds(10)'),
    progressDeadline: duration('Duration.minutes(10)', 1),
  },
  StatefulSet: {
    replicas: whole(0),
    podManagementPolicy: (prop, v) => oneOfProblem(prop, v, 'PodManagementPolicy', kplus.PodManagementPolicy),
    strategy: (prop, v) => instanceProblem(prop, v, 'StatefulSetUpdateStrategy', 'StatefulSetUpdateStrategy.rollingUpdate()'),
    minReady: duration('Duration.seconds(10)'),
    service: (prop, v) => instanceProblem(prop, v, 'Service', 'a kplus.Service, or leave it out for a headless one'),
    volumeClaimTemplates: (prop, v) => (v === undefined || Array.isArray(v) ? undefined : `'${prop}' (${shown(v)}) must be a list`),
  },
  Job: {
    activeDeadline: duration('Duration.hours(1)', 1),
    backoffLimit: whole(0),
    ttlAfterFinished: duration('Duration.days(1)'),
  },
  CronJob: {
    schedule: (prop, v) => cronProblem(prop, v),
    timeZone: timeZoneProblem,
    concurrencyPolicy: (prop, v) => oneOfProblem(prop, v, 'ConcurrencyPolicy', kplus.ConcurrencyPolicy),
    startingDeadline: duration('Duration.minutes(5)'),
    suspend: booleanProblem,
    successfulJobsRetained: whole(0),
    failedJobsRetained: whole(0),
    activeDeadline: duration('Duration.hours(1)', 1),
    backoffLimit: whole(0),
    ttlAfterFinished: duration('Duration.days(1)'),
  },
};

/** The pod's props that reach cdk8s-plus as given (the others are checked where they are used), each with the check of its type. */
const POD_PROP_CHECKS: { [prop: string]: Check } = {
  exemptions: (prop, v) => objectProblem(prop, v, "{ hostNetwork: { reason: '...' } }"),
  kubernetesApiAccess: (prop, v) => objectProblem(prop, v, '{ permissions: [...] }'),
  runtimeClass: (prop, v) => namedProblem(prop, v, 'SandboxRuntimeClass', 'NodePool.gvisor(...).runtimeClass'),
  serviceAccount: (prop, v) => namedProblem(prop, v, 'ServiceAccount', "ServiceAccount.fromServiceAccountName(chart, 'sa', 'shop')"),
  dockerRegistryAuth: (prop, v) => namedProblem(prop, v, 'Secret', "Secret.fromSecretName(chart, 'pull', 'registry-credentials')"),
  hostAliases: (prop, v) => (Array.isArray(v) ? v.map((a, i) => hostAliasProblem(`${prop}[${i}]`, a)).find(p => p) : undefined),
  select: booleanProblem,
  spread: booleanProblem,
  isolate: booleanProblem,
  terminationGracePeriod: duration('Duration.seconds(30)'),
  dns: (prop, v) => objectProblem(prop, v, '{ policy: DnsPolicy.CLUSTER_FIRST }')
    ?? (v === undefined ? undefined : oneOfProblem(`${prop}.policy`, (v as kplus.PodDnsProps).policy, 'DnsPolicy', DNS_POLICIES)),
};

/**
 * The props each kind hands to cdk8s-plus, the pod's first, with their checks: listed once, not merged and listed again for every
 * workload (5,000 SecureDeployments: 34 -> 8 ms).
 */
const PROP_CHECKS = Object.fromEntries(Object.entries(KIND_PROP_CHECKS)
  .map(([kind, checks]) => [kind, Object.entries({ ...POD_PROP_CHECKS, ...checks })])) as { [K in WorkloadKind]: Array<[string, Check]> };

/** An object with a name, such as a construct of the `type` the prop takes. */
function namedProblem(prop: string, value: unknown, type: string, example: string): string | undefined {
  const name = typeof value === 'object' && value !== null ? (value as { name?: unknown }).name : undefined;
  if (value === undefined || typeof name === 'string') return undefined;
  return `'${prop}' (${shown(value)}) must be a ${type}, e.g. ${example}`;
}

function hostAliasProblem(prop: string, alias: kplus.HostAlias): string | undefined {
  if (!alias || typeof alias !== 'object' || typeof alias.ip !== 'string' || alias.ip === '') {
    return `'${prop}' (${shown(alias)}) must be a host alias: { ip: '10.0.0.1', hostnames: ['db.internal'] }`;
  }
  return stringsProblem(`${prop}.hostnames`, alias.hostnames, 'host name');
}

/** A cdk8s Cron (e.g. Cron.daily()): five fields, which is all the CronJob controller parses. */
function cronProblem(prop: string, value: unknown): string | undefined {
  if (!isJsiiInstance(value, 'cdk8s.Cron')) {
    return `'${prop}' (${shown(value)}) is required: a Cron, e.g. Cron.daily() or Cron.schedule({ minute: '0' })`;
  }
  const expression = (value as { expressionString?: unknown }).expressionString;
  if (typeof expression === 'string' && expression.split(' ').length === 5 && expression.split(' ').every(f => /^[-0-9A-Za-z*?,/]+$/.test(f))) {
    return undefined;
  }
  return `'${prop}' (${shown(expression)}) must have five fields of digits, names, "*", "?", ",", "-" and "/"`;
}

/** An object's metadata as given: names the API server takes (of the kind, where given), labels and annotations. */
function metadataProblem(prop: string, given: unknown, kind?: WorkloadKind): string | undefined {
  const problem = objectProblem(prop, given, "{ labels: { 'app.kubernetes.io/name': 'shop' } }");
  if (problem || given === undefined) return problem;
  const metadata = given as { [field: string]: unknown };
  if (kind && metadata.name !== undefined) {
    const [form, max, why] = NAME_FORMS[kind];
    const name = nameProblem(`${prop}.name`, metadata.name, form, max, why);
    if (name) return name;
  }
  if (kind && metadata.namespace !== undefined) {
    const namespace = nameProblem(`${prop}.namespace`, metadata.namespace, 'label', 63);
    if (namespace) return namespace;
  }
  return labelsProblem(`${prop}.labels`, metadata.labels) ?? annotationsProblem(`${prop}.annotations`, metadata.annotations);
}

/**
 * The props a workload of `kind` hands to cdk8s-plus, each checked by its type (so a bad one is named here, not met by
 * cdk8s-plus as a TypeError or written into a manifest the API server refuses).
 */
export function workloadPropsProblem(kind: WorkloadKind, props: SecureWorkloadProps): string | undefined {
  if (!props || typeof props !== 'object') return `the props (${shown(props)}) must be an object: { containers: [...] }`;
  for (const [prop, check] of PROP_CHECKS[kind]) {
    const problem = check(prop, (props as unknown as { [prop: string]: unknown })[prop]);
    if (problem) return problem;
  }
  return metadataProblem('metadata', props.metadata, kind) ?? metadataProblem('podMetadata', props.podMetadata);
}

/** A list of strings (a command, its arguments), where given. */
function stringListProblem(prop: string, value: string[] | undefined): string | undefined {
  const i = (value ?? []).findIndex(v => typeof v !== 'string');
  return i < 0 ? undefined : `'${prop}[${i}]' (${shown(value![i])}) must be a string`;
}

/**
 * The names a workload of `kind` is written with, where its props did not give them: the one cdk8s `generated` from the
 * construct path (cdk8s makes it at most 63 characters, more than some kinds may have), and the Chart's namespace.
 */
export function objectNamesProblem(kind: WorkloadKind, name: string, generated: boolean, chartNamespace: string | undefined): string | undefined {
  const [form, max, why] = NAME_FORMS[kind];
  const problem = generated ? nameProblem('metadata.name', name, form, max, why) : undefined;
  if (problem) {
    return `${problem.replace(/^'metadata.name'/, 'the name cdk8s generates from the construct path')}; give 'metadata.name', or a shorter id`;
  }
  const namespace = chartNamespace === undefined ? undefined : nameProblem('namespace', chartNamespace, 'label', 63);
  return namespace && `the Chart's ${namespace}`;
}

/** A container's environment: an object of EnvValues whose names Kubernetes takes. */
function envProblem(prop: string, env: unknown): string | undefined {
  const problem = objectProblem(prop, env, "{ LOG_LEVEL: EnvValue.fromValue('info') }");
  if (problem || env === undefined) return problem;
  for (const [name, value] of Object.entries(env as object)) {
    const nameProblem = envNameProblem(prop, name);
    if (nameProblem) return nameProblem;
    if (!isJsiiInstance(value, 'cdk8s-plus.EnvValue')) {
      return `'${prop}.${name}' (${shown(value)}) must be an EnvValue, e.g. EnvValue.fromValue('info') or EnvValue.fromSecretValue(...)`;
    }
  }
  return undefined;
}

function reasonProblem(prop: string, exemption: Exemption | undefined): string | undefined {
  if (exemption === undefined) return undefined;
  const reason = exemption?.reason;
  if (typeof reason === 'string' && Buffer.byteLength(reason) > ANNOTATIONS_MAX_BYTES) {
    return `'${prop}.reason' (${shown(reason)}) takes ${Buffer.byteLength(reason)} bytes; a reason is written into an annotation, and all of them `
      + `may take at most ${ANNOTATIONS_MAX_BYTES} bytes (256 KiB): say why in short`;
  }
  const problem = constructReasonProblem(reason);
  // Quoted with its invisible characters shown, as the engine quotes a suppression's reason, and cut as every value is.
  const quoted = typeof reason === 'string' && reason.length > QUOTED_CHARACTERS
    ? `${quotedReason(reason.slice(0, QUOTED_CHARACTERS))}... [${reason.length} characters]` : quotedReason(reason);
  return problem ? `'${prop}.reason' (${quoted}) ${problem}: say why the weakening is needed` : undefined;
}

/** The first exemption among `keys` of `exemptions` without a proper reason. */
function reasonsProblem<T extends object>(prefix: string, exemptions: T, keys: Array<keyof T & string>): string | undefined {
  for (const key of keys) {
    const problem = reasonProblem(`${prefix}${key}`, exemptions[key] as Exemption | undefined);
    if (problem) return problem;
  }
  return undefined;
}

export function podExemptionsProblem(exemptions: PodExemptions): string | undefined {
  return reasonsProblem('exemptions.', exemptions, Object.keys(POD_EXEMPTION_RULES) as Array<keyof PodExemptions>);
}

/** The value of a quantity as the API server takes it (which refuses surrounding spaces), or undefined. */
function quantityValue(value: string): number | undefined {
  const n = typeof value === 'string' && value.trim() === value ? parseQuantity(value) : undefined;
  return n === undefined || n < 0 ? undefined : n;
}

function notQuantity(prop: string, value: string, example: string): string {
  return `'${prop}' (${shown(value)}) is not a Kubernetes quantity; use e.g. "${example}"`;
}

// The checks below take the value as written and as parsed (quantityValue), so each is parsed once.

/** A quantity of bytes (memory, storage): "100m" would be a tenth of a byte, a slip for "100Mi". */
function bytesProblem(prop: string, value: string, n: number | undefined, example: string): string | undefined {
  if (n === undefined) return notQuantity(prop, value, example);
  if (Number.isInteger(n)) return undefined;
  return `'${prop}' (${shown(value)}) is ${n} bytes, not a whole number of bytes ("m" means thousandths); use e.g. "${example}"`;
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
    return `'${prop}' (${shown(value)}) is 0, which Kubernetes takes as ${meaning}; use e.g. "${example}"`;
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

function mountPathProblem(prop: string, path: string): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    return `'${prop}' (${shown(path)}) must be an absolute path such as "/var/cache/app"`;
  }
  if (normalMountPath(path) === '/' || path.split('/').includes('..')) {
    return `'${prop}' (${shown(path)}) must be an absolute path below / without ".."`;
  }
  return undefined;
}

/** A valid mount path as the kubelet sees it: "/data/./" is "/data". */
export function normalMountPath(path: string): string {
  return '/' + path.split('/').filter(p => p !== '' && p !== '.').join('/');
}

/** The paths a pod mounts so far: pod-wide ones (each with what is mounted there) and each container's own writable paths. */
export interface MountedPaths {
  readonly podWide: ReadonlyMap<string, string>;
  readonly containerWritable: ReadonlyMap<string, readonly WritablePath[]>;
}

function collision(prop: string, path: string, existing: string): string {
  return `'${prop}' (${shown(path)}) collides with ${existing} mounted there; choose another path`;
}

/** A pod-wide mount at `path` (normalised): nothing is mounted there yet, pod-wide or as a container's writable path. */
function podPathProblem(prop: string, path: string, mounted: MountedPaths): string | undefined {
  const existing = mounted.podWide.get(path)
    ?? ([...mounted.containerWritable.values()].flat().some(w => w.path === path) ? 'a container\'s writable path' : undefined);
  return existing && collision(prop, path, existing);
}

/** A volume mounted pod-wide at `path` (the API token, a secret, a claim template), in the pod so far. */
export function podMountProblem(prop: string, path: string, mounted: MountedPaths): string | undefined {
  return mountPathProblem(prop, path) ?? podPathProblem(prop, normalMountPath(path), mounted);
}

/** A SecretMount, mounted pod-wide, in the pod so far. */
export function secretMountProblem(prop: string, mount: SecretMount, mounted: MountedPaths): string | undefined {
  if (!SecretMount.isSecretMount(mount)) return `'${prop}' must be a SecretMount, e.g. SecretMount.fromSecretName('db-credentials')`;
  return podMountProblem(`${prop}.path`, mount.path, mounted);
}

function writableShapeProblem(w: WritablePath, prop: string): string | undefined {
  return mountPathProblem(`${prop}.path`, w?.path) ?? sizeProblem(`${prop}.sizeLimit`, w.sizeLimit, '64Mi');
}

/** A writable path of every container, in the pod so far. */
export function writablePathProblem(w: WritablePath, prop: string, mounted: MountedPaths): string | undefined {
  return writableShapeProblem(w, prop) ?? podPathProblem(`${prop}.path`, normalMountPath(w.path), mounted);
}

/** The writable paths of one container: each once, and none where the pod mounts something. */
function containerWritableProblem(paths: WritablePath[], podWide: ReadonlyMap<string, string>): string | undefined {
  const own = new Set<string>();
  for (let i = 0; i < paths.length; i++) {
    const w = paths[i];
    const prop = `writablePaths[${i}]`;
    const problem = writableShapeProblem(w, prop);
    if (problem) return problem;
    const path = normalMountPath(w.path);
    if (own.has(path)) return `'${prop}.path' (${shown(w.path)}) is already a writable path; each path is mounted once`;
    const existing = podWide.get(path);
    if (existing) return collision(`${prop}.path`, w.path, existing);
    own.add(path);
  }
  return undefined;
}

/** A volume given in the props, as rendered now (undefined for one that renders only at synth, checked there by the guarantees). */
export function volumeProblem(prop: string, volume: kplus.k8s.Volume | undefined, exemptions: PodExemptions): string | undefined {
  if (!volume || exemptions.hostPath) return undefined;
  const problem = podRulesProblem({ containers: [], volumes: [volume] }, ['host-path-volume'], '');
  return problem && `'${prop}': ${problem}`;
}

/** Each of `props` named by `lists` is a list where given (iterating anything else would fail with a TypeError). */
export function listsProblem<T extends object>(props: T, lists: Array<keyof T & string>, prefix = ''): string | undefined {
  const prop = lists.find(key => props[key] !== undefined && !Array.isArray(props[key]));
  return prop && `'${prefix}${prop}' (${shown(props[prop as keyof T])}) must be a list`;
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
    return `'kubernetesApiAccess.audience' (${shown(access.audience)}) must be a non-empty audience, or be left out for the API server`;
  }
  const exemptions = access.exemptions ?? {};
  return reasonsProblem('kubernetesApiAccess.exemptions.', exemptions, Object.keys(exemptions) as Array<keyof typeof exemptions>);
}

/** The problem with `value` unless it is a non-empty list of non-empty strings, naming `prop`. */
function stringsProblem(prop: string, value: unknown, what: string): string | undefined {
  if (!Array.isArray(value) || value.length === 0 || value.some(v => typeof v !== 'string' || v === '')) {
    return `'${prop}' (${shown(value)}) must list at least one ${what}, each a non-empty string`;
  }
  return undefined;
}

/** The problem with one permission, before it is rendered. */
function permissionProblem(prop: string, p: ApiPermission): string | undefined {
  if (!p || typeof p !== 'object') {
    return `'${prop}' (${shown(p)}) must be a permission such as { apiGroup: '', resources: ['configmaps'], verbs: [ApiVerb.GET] }`;
  }
  if (typeof p.apiGroup !== 'string') {
    return `'${prop}.apiGroup' (${shown(p.apiGroup)}) must be an API group: "" for the core group, or e.g. "apps"`;
  }
  const verbsProblem = stringsProblem(`${prop}.verbs`, p.verbs, 'verb');
  if (verbsProblem) return verbsProblem;
  const unknown = p.verbs.filter(v => !VERBS.has(v));
  if (unknown.length) {
    return `'${prop}.verbs' (${shown(unknown)}) may only hold ${[...VERBS].join(', ')}; escalate, bind and impersonate are never granted`;
  }
  return stringsProblem(`${prop}.resources`, p.resources, 'resource')
    ?? (p.resourceNames === undefined ? undefined : stringsProblem(`${prop}.resourceNames`, p.resourceNames, 'object name'));
}

/** The problem with granting `access.permissions` to the ServiceAccount `account` in `namespace`, before anything is rendered. */
export function apiGrantProblem(access: KubernetesApiAccess, account: string | undefined, namespace: string | undefined): string | undefined {
  const permissions = access.permissions;
  if (!Array.isArray(permissions) || permissions.length === 0) {
    return `'kubernetesApiAccess.permissions' (${shown(permissions)}) must list at least one permission, or be left out`;
  }
  if (access.audience !== undefined) {
    return `'kubernetesApiAccess.audience' (${shown(access.audience)}) binds the token to another service, and the API `
      + `server refuses it; leave it out to use 'permissions'`;
  }
  if (account === undefined || account === 'default') {
    return `'kubernetesApiAccess.permissions' would be granted to the namespace's default ServiceAccount, which every pod without `
      + `one of its own shares; remove 'exemptions.defaultServiceAccount'`;
  }
  for (const [i, p] of permissions.entries()) {
    const problem = permissionProblem(`kubernetesApiAccess.permissions[${i}]`, p);
    if (problem) return problem;
  }
  // A ServiceAccount subject must name its namespace; guessing "default" would bind some other account.
  if (namespace === undefined) {
    return `'kubernetesApiAccess.permissions' needs the workload's namespace to bind its Role to the ServiceAccount; set `
      + `'namespace' on the Chart or 'metadata.namespace'`;
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
    return `'sensitivity' (${shown(props.sensitivity)}) must be one of ${Object.values(Sensitivity).join(', ')}`;
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
  return `'containers' (${shown(containers)}) must list at least one container`;
}

function imageProblem(image: string): string | undefined {
  if (typeof image !== 'string' || image === '') {
    return `'image' (${shown(image)}) must be an image reference such as "registry.example.com/app:1.2.3"`;
  }
  try {
    parseImageReference(image);
    return undefined;
  } catch (e) {
    return `'image' (${shown(image)}) is not valid: ${imageReferenceProblem(e) ?? (e as Error).message}`;
  }
}

function exemptionsProblem(ex: ContainerExemptions): string | undefined {
  const reasons = reasonsProblem('exemptions.', ex, Object.keys(CONTAINER_EXEMPTION_RULES) as Array<keyof ContainerExemptions>);
  if (reasons) return reasons;
  if (!ex.addCapabilities) return undefined;
  const caps = ex.addCapabilities.capabilities ?? [];
  if (caps.length > 0 && caps.every(c => c === kplus.Capability.NET_BIND_SERVICE)) return undefined;
  return `'exemptions.addCapabilities.capabilities' (${shown(caps)}) may only contain NET_BIND_SERVICE; `
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
 * A secure container's props (given as `prop`), in the pod so far: its container names and the
 * pod-wide mount paths (each with what is mounted there).
 */
export function secureContainerProblem(prop: string, props: SecureContainerProps, init: boolean, names: ReadonlySet<string>,
  podWide: ReadonlyMap<string, string>): string | undefined {
  if (!props || typeof props !== 'object') return `'${prop}' (${shown(props)}) must be a container: { name, image, resources }`;
  const name = containerName(props);
  const inContainer = (problem: string | undefined) => problem && `container "${name}": ${problem}`;
  const ex = props.exemptions ?? {};
  const exempted = new Set(Object.keys(ex).flatMap(key => CONTAINER_EXEMPTION_RULES[key as keyof ContainerExemptions] ?? []));
  return inContainer(containerProblem(name, props, init, names, podWide))
    ?? containerRulesProblem(name, props, CONSTRUCTION_RULES.filter(r => !exempted.has(r)), '')
    ?? inContainer(containerWritableProblem(props.writablePaths ?? [], podWide));
}

function containerProblem(name: string, props: SecureContainerProps, init: boolean, names: ReadonlySet<string>,
  mountPaths: ReadonlyMap<string, string>): string | undefined {
  if (!DNS_LABEL.test(name) || name.length > 63) {
    return `'name' (${shown(name)}) must be a DNS label: lowercase letters, digits and "-", at most 63 characters`;
  }
  if (names.has(name)) return `'name' (${shown(name)}) is already used in this pod; container names must be unique`;
  const lists = listsProblem(props, ['ports', 'volumeMounts', 'writablePaths', 'command', 'args']);
  if (lists) return lists;
  const ex = props.exemptions ?? {};
  const restartPolicy = props.restartPolicy !== undefined && !init
    ? `'restartPolicy' (${props.restartPolicy}) is only for init containers (native sidecars); regular containers follow the pod's restart policy`
    : undefined;
  return imageProblem(props.image) ?? idProblem('user', props.user) ?? idProblem('group', props.group)
    ?? objectProblem('exemptions', props.exemptions, "{ writableRootFilesystem: { reason: '...' } }")
    ?? oneOfProblem('imagePullPolicy', props.imagePullPolicy, 'ImagePullPolicy', kplus.ImagePullPolicy)
    ?? stringListProblem('command', props.command) ?? stringListProblem('args', props.args)
    ?? (props.workingDir === undefined || typeof props.workingDir === 'string' ? undefined
      : `'workingDir' (${shown(props.workingDir)}) must be a path such as "/app"`)
    ?? envProblem('envVariables', props.envVariables)
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
    if (existing) return `'${prop}' (${shown(mounts[i].path)}) collides with ${existing} mounted there; choose another path`;
  }
  return undefined;
}

/**
 * A plain cdk8s-plus container without complete resources (cdk8s-plus would default them
 * silently), or with a name the pod already has.
 */
export function plainContainerProblem(method: string, props: kplus.ContainerProps, names: ReadonlySet<string>): string | undefined {
  const name = containerName(props);
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
  const rules = containerRulesProblem(name, props, CONSTRUCTION_RULES, 'addSecureContainer() and ');
  return rules && `${method}: ${rules}`;
}

/**
 * The first finding of `rules` on what a container's props say so far (its env and ports),
 * found by the engine's own checks: the early error and the synth-time error agree.
 */
function containerRulesProblem(name: string, props: Pick<kplus.ContainerProps, 'image' | 'envVariables' | 'ports'>, rules: string[],
  exemptionVia: string): string | undefined {
  const container = {
    name,
    image: props.image,
    env: Object.entries(props.envVariables ?? {}).map(([env, v]) => ({ name: env, value: v?.value, valueFrom: v?.valueFrom })),
    ports: (props.ports ?? []).map(p => ({ containerPort: p.number, hostPort: p.hostPort })),
  };
  const key = rulesMemoKey(container, rules, exemptionVia);
  if (key !== undefined && CONTAINER_RULE_PROBLEMS.has(key)) return CONTAINER_RULE_PROBLEMS.get(key);
  const problem = podRulesProblem({ containers: [container] }, rules, exemptionVia);
  if (key !== undefined) {
    if (CONTAINER_RULE_PROBLEMS.size >= CONTAINER_RULE_PROBLEMS_LIMIT) CONTAINER_RULE_PROBLEMS.clear();
    CONTAINER_RULE_PROBLEMS.set(key, problem);
  }
  return problem;
}

// What containerRulesProblem found for each container without env whose name, image and ports are plain values: the
// finding depends on nothing else, and apps repeat the same few containers across thousands of workloads. Bounded.
const CONTAINER_RULE_PROBLEMS = new Map<string, string | undefined>();
const CONTAINER_RULE_PROBLEMS_LIMIT = 10_000;

/** The memo key of a container made by containerRulesProblem, or undefined where JSON would not tell its values apart. */
function rulesMemoKey(container: { name: unknown; image: unknown; env: unknown[]; ports: Array<{ containerPort: unknown; hostPort: unknown }> },
  rules: string[], exemptionVia: string): string | undefined {
  // JSON writes NaN and the infinities as null and -0 as 0: containers with those are not kept.
  const plainNumber = (n: unknown) => n === undefined || (typeof n === 'number' && Number.isFinite(n) && !Object.is(n, -0));
  if (container.env.length > 0 || typeof container.name !== 'string' || typeof container.image !== 'string') return undefined;
  if (!container.ports.every(p => plainNumber(p.containerPort) && plainNumber(p.hostPort))) return undefined;
  return `${rules.join(',')}\n${exemptionVia}\n${JSON.stringify(container)}`;
}

// One engine per set of rules (a few sets exist): every container added builds none.
const constructionEngines = new Map<string, PolicyEngine>();

/**
 * The first finding of `rules` on a pod spec made of what the props say so far, found by the
 * engine's own checks (so the early error and the synth-time one agree), with the exemption
 * that weakens it where there is one.
 */
function podRulesProblem(spec: object, rules: string[], exemptionVia: string): string | undefined {
  const key = rules.join(',');
  let engine = constructionEngines.get(key);
  if (!engine) {
    const pack = { name: 'construction', description: 'Props at construction.', rules: Object.fromEntries(rules.map(r => [r, Severity.ERROR])) };
    engine = new PolicyEngine({ pack });
    constructionEngines.set(key, engine);
  }
  // Every rule of the pack is an error and the pod suppresses none, so every finding is an error.
  const [first] = engine._findingsOf({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'construction' }, spec });
  if (!first) return undefined;
  const exemption = CONSTRUCTION_EXEMPTIONS[first.ruleId];
  return `[${first.ruleId}] ${first.message}${exemption ? `, or allow it with ${exemptionVia}'exemptions.${exemption}' and a reason` : ''}`;
}

/**
 * A StatefulSet's volume claim template, in the pod so far: its volume names and its regular
 * containers' names (a template with no containers named goes to the first one).
 */
export function claimTemplateProblem(t: SecureVolumeClaimTemplate, prop: string, volumeNames: string[], containers: string[]): string | undefined {
  if (!t || typeof t !== 'object') return `'${prop}' (${shown(t)}) must be a claim template: { name, storage, mountPath }`;
  if (typeof t.name !== 'string' || !DNS_LABEL.test(t.name) || t.name.length > 63) {
    return `'${prop}.name' (${shown(t.name)}) must be a DNS label: lowercase letters, digits and "-", at most 63 characters`;
  }
  if (volumeNames.includes(t.name)) return `'${prop}.name' ("${t.name}") is already the name of a volume of this pod; choose another`;
  const problem = sizeProblem(`${prop}.storage`, t.storage, '10Gi');
  if (problem) return problem;
  const storageClass = t.storageClassName;
  if (storageClass !== undefined && (typeof storageClass !== 'string' || !/^[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(storageClass))) {
    return `'${prop}.storageClassName' (${shown(t.storageClassName)}) must be a StorageClass name`;
  }
  const modes = claimAccessModes(t.accessModes);
  const known = Object.values(kplus.PersistentVolumeAccessMode) as string[];
  if (!Array.isArray(modes) || modes.length === 0 || modes.some(m => !known.includes(m))) {
    return `'${prop}.accessModes' (${shown(t.accessModes)}) must list one or more of ${known.join(', ')}`;
  }
  const named = claimContainers(t.containers, containers);
  if (named.length === 0 || named.some(n => !containers.includes(n))) {
    const has = containers.join(', ') || 'none';
    return `'${prop}.containers' (${shown(t.containers)}) must name containers of this StatefulSet (it has ${has})`;
  }
  return undefined;
}

/** A mount cdk8s-plus holds for a container: where, and which volume. */
interface MountAtSynth {
  readonly path: string;
  readonly volume: { readonly name: string };
}

/** What a workload's pod holds at synth, when containers and mounts added later through cdk8s-plus are there too. */
export interface PodAtSynth extends MountedPaths {
  /** Every container's name. */
  readonly containerNames: ReadonlySet<string>;
  /** The container names each prop names (a SecretMount's containers, the API access's). */
  readonly namedContainers: ReadonlyArray<{ readonly prop: string; readonly names?: string[] }>;
  /** The node pool the pods run on, where they run on one. */
  readonly poolName?: string;
  /** The tolerations cdk8s-plus writes (the pool's own is added when the pod renders). */
  readonly tolerations: readonly kplus.k8s.Toleration[];
  /** Every container, with the mounts cdk8s-plus holds for it. */
  readonly containers: ReadonlyArray<{ readonly name: string; readonly mounts: ReadonlyArray<MountAtSynth> }>;
}

/**
 * The problems only synth can see: the containers props name must exist, a pod on a pool tolerates
 * only its taint, and mounts added through cdk8s-plus (container.mount) land on no path the
 * workload uses.
 */
export function synthProblems(pod: PodAtSynth): string[] {
  const problems: string[] = [];
  for (const { prop, names } of pod.namedContainers) {
    for (const n of names ?? []) {
      if (pod.containerNames.has(n)) continue;
      problems.push(`'${prop}' names container "${n}", which this workload does not have (it has ${[...pod.containerNames].join(', ')})`);
    }
  }
  if (pod.poolName !== undefined && pod.tolerations.length) {
    problems.push(`the workload runs on node pool "${pod.poolName}" and may tolerate only its taint, but also tolerates `
      + `${pod.tolerations.map(t => `${t.key ?? '*'}=${t.value ?? ''}:${t.effect ?? '*'}`).join(', ')}; remove the other tolerations`);
  }
  // Paths compare as the kubelet sees them ("/data/" is "/data"), and two mounts on one path are refused by the API server.
  for (const c of pod.containers) {
    const used = new Map<string, string>();
    for (const w of pod.containerWritable.get(c.name) ?? []) used.set(w.path, 'a writable path');
    for (const m of c.mounts) {
      const problem = mountPathProblem('path', m.path);
      if (problem) {
        problems.push(`container "${c.name}" mounts volume "${m.volume.name}": ${problem}`);
        continue;
      }
      const path = normalMountPath(m.path);
      const existing = pod.podWide.get(path) ?? used.get(path);
      if (!existing) used.set(path, `volume "${m.volume.name}"`);
      else problems.push(`container "${c.name}" mounts volume "${m.volume.name}" at ${m.path}, where ${existing} is mounted; choose another path`);
    }
  }
  return problems;
}
