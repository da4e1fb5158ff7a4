// Every props and options object a public constructor or method takes holds only props its interface has: a plain
// JavaScript caller's typo (`replica`), a prop put at the wrong level, or a cdk8s-plus prop the secure constructs
// deliberately do not take (`hostNetwork`, `securityContext`) would otherwise be dropped silently, and the secure
// default used instead of what the caller meant. The names come from one table, generated from the jsii assemblies
// (prop-names.ts), and the check walks the props as their types nest (containers, their resources, exemptions,
// metadata...). Only a key that carries a value is refused: a known prop left undefined, or an unknown one set to
// undefined (a spread of optional settings), says nothing, so TypeScript users, whose compiler already refuses
// excess props in literals, meet it only where an object built elsewhere carried a stray value.
import { nearest } from '../policy';
import { shown } from '../vocab/shown';
import { LEFT_OUT_KPLUS_PROPS, PROP_TYPES } from './prop-names';

/**
 * How to have, the secure way, what each cdk8s-plus prop the Secure* props leave out would have set: for the pod
 * (the Secure* workloads' props) and for a container.
 */
export const SECURE_WAYS: { readonly pod: { readonly [prop: string]: string }; readonly container: { readonly [prop: string]: string } } = {
  pod: {
    hostNetwork: "to share the host's network, give 'exemptions.hostNetwork' with a reason",
    securityContext: "the secure defaults decide the pod's security context: give 'user', 'group' and 'fsGroup' for its ids, "
      + "and weaken a default only through 'exemptions' (of the pod or a container) with a reason",
    automountServiceAccountToken: "no API token is mounted by default; give 'kubernetesApiAccess' with the permissions the pod needs, "
      + 'and a short-lived token is mounted into the containers it names',
    restartPolicy: 'the kind decides the restart policy (Always for a Deployment or StatefulSet, Never for a Job or CronJob)',
  },
  container: {
    securityContext: "the secure defaults decide the container's security context: give 'user' and 'group' for its ids, "
      + "and weaken a default only through 'exemptions' (privileged, writableRootFilesystem, addCapabilities...) with a reason",
    port: "give 'portNumber' (or 'ports')",
  },
};

/** The Secure* props whose left-out cdk8s-plus props are a container's. */
const CONTAINER_STRUCTS = new Set(['SecureContainerProps']);

const WORKLOAD_PROPS = ['SecureDeploymentProps', 'SecureStatefulSetProps', 'SecureJobProps', 'SecureCronJobProps'];
/** The props a prop given to a struct may have been meant for, each with where it is given (a prop put at the wrong level). */
const ELSEWHERE: { readonly [struct: string]: ReadonlyArray<[struct: string, where: string]> } = {
  ContainerExemptions: [['PodExemptions', "a pod exemption: give it in the workload's 'exemptions'"]],
  PodExemptions: [['ContainerExemptions', "a container exemption: give it in the container's 'exemptions'"]],
  SecureContainerProps: [['SecureWorkloadProps', 'a prop of the workload, not of a container']],
  ...Object.fromEntries(WORKLOAD_PROPS.map(struct => [struct, [
    ['SecureContainerProps', "a prop of a container: give it in the container's props"] as [string, string],
    ...WORKLOAD_PROPS.filter(other => other !== struct).map(other => [other, `a prop of ${other.replace(/Props$/, '')} only`] as [string, string]),
  ]])),
};

/** A value's kind as a message names it: "a number", "a list", "an instance of Duration". */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') {
    const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && name !== 'Object' && name !== '' ? `an instance of ${name}` : 'an object';
  }
  return value === undefined ? 'undefined' : `a ${typeof value}`;
}

/** The struct a prop's type names (`X`, a list of them `X[]`, or a map of them `{X}`), and how it holds them. */
type Nesting = readonly [struct: string, holds: 'one' | 'list' | 'map'];

function nested(type: string): Nesting | undefined {
  const [inner, holds] = type.endsWith('[]') ? [type.slice(0, -2), 'list' as const]
    : type.startsWith('{') ? [type.slice(1, -1), 'map' as const] : [type, 'one' as const];
  return PROP_TYPES[inner] ? [inner, holds] : undefined;
}

/**
 * Each struct's props, each with how it nests (undefined for a prop of no struct of the table): read from the table once
 * per struct, not for every prop of every object checked (every workload checks a dozen).
 */
const NESTINGS = new Map<string, ReadonlyMap<string, Nesting | undefined>>();

function nestingsOf(struct: string): ReadonlyMap<string, Nesting | undefined> {
  let nestings = NESTINGS.get(struct);
  if (nestings === undefined) {
    const types = PROP_TYPES[struct];
    if (!types) throw new Error(`no props interface "${struct}" in lib/workloads/prop-names.ts (run \`npm run prop-names\`)`);
    nestings = new Map(Object.keys(types).map(prop => [prop, nested(types[prop])]));
    NESTINGS.set(struct, nestings);
  }
  return nestings;
}

/** What read() gives for a prop whose accessor throws. */
const THROWS = Symbol('an accessor that throws');

/** The value of `value`'s prop `key`, or THROWS where its accessor throws. */
function read(value: object, key: string): unknown {
  try {
    return (value as { [key: string]: unknown })[key];
  } catch {
    return THROWS;
  }
}

/** The values of `keys` of `value`, each read before any is checked (see read). */
function readAll(value: object, keys: string[]): unknown[] {
  const values = new Array<unknown>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = read(value, keys[i]);
  return values;
}

/** Why `key` is not a prop of `struct`, and what to give instead. */
function unknownProp(struct: string, at: string, key: string, value: unknown): string {
  const names = Object.keys(PROP_TYPES[struct]);
  const given = `'${at}${key}' (${value === THROWS ? 'an accessor that throws' : `${shown(value)}, ${kindOf(value)}`})`;
  const leftOut = LEFT_OUT_KPLUS_PROPS[struct];
  if (leftOut?.props.includes(key)) {
    const way = SECURE_WAYS[CONTAINER_STRUCTS.has(struct) ? 'container' : 'pod'][key];
    return `${given} is a prop of cdk8s-plus ${leftOut.counterpart.replace(/^kplus\./, '')} that ${struct} deliberately does not take: ${way}`;
  }
  const elsewhere = ELSEWHERE[struct]?.find(([other]) => Object.prototype.hasOwnProperty.call(PROP_TYPES[other] ?? {}, key));
  if (elsewhere) return `${given} is not a prop of ${struct}: it is ${elsewhere[1]}`;
  const closest = nearest(key, names);
  if (closest !== undefined) return `${given} is not a prop of ${struct}; did you mean '${at}${closest}'?`;
  return `${given} is not a prop of ${struct}; its props are ${names.join(', ')}`;
}

/**
 * The first prop of `value`, given as a `struct` of the table (e.g. "SecureDeploymentProps"), that its interface does
 * not have, at any depth its props' types reach, named by its path from `at` ("containers[0].resources."); or undefined.
 * A value that is not an object is left to the checks of its type.
 */
export function unknownPropProblem(struct: string, value: unknown, at = ''): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const nestings = nestingsOf(struct);
  const keys = Object.keys(value);
  const values = readAll(value, keys);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i], v = values[i];
    if (v === undefined) continue;
    if (!nestings.has(key)) return unknownProp(struct, at, key, v);
    const inner = nestings.get(key);
    if (!inner) continue;
    const [type, holds] = inner;
    let problem: string | undefined;
    if (holds === 'one') problem = unknownPropProblem(type, v, `${at}${key}.`);
    else if (holds === 'list' && Array.isArray(v)) {
      for (let j = 0; j < v.length && !problem; j++) problem = unknownPropProblem(type, v[j], `${at}${key}[${j}].`);
    } else if (holds === 'map' && typeof v === 'object' && v !== null) {
      const items = Object.keys(v);
      const itemValues = readAll(v, items);
      for (let j = 0; j < items.length && !problem; j++) {
        if (itemValues[j] !== undefined) problem = unknownPropProblem(type, itemValues[j], `${at}${key}.${items[j]}.`);
      }
    }
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Throws unless every prop of `value` is one its interface `struct` has (see unknownPropProblem); `where` names who was
 * given it in the message: a construct and its path ("SecureDeployment shop/api") or a method ("LogOutput.loki").
 */
export function checkKnownProps(where: string, struct: string, value: unknown): void {
  const problem = unknownPropProblem(struct, value);
  if (problem) throw new Error(`${where}: ${problem}`);
}

/** How a construct's messages name it: its class and its path. */
export function constructWhere(className: string, scope: { readonly node: { readonly path: string } }, id: string): string {
  return `${className} ${[scope.node.path, id].filter(Boolean).join('/')}`;
}
