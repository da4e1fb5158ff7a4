// Containers fit their namespace's LimitRanges (secure and still working: step 6's limits must not keep the app from
// running). Kubernetes admits a pod's containers as the LimitRanger admission plugin does (plugin/pkg/admission/limitranger,
// 1.28): first the API server's defaulting sets a request missing where a limit is set to that limit (SetDefaults_Pod);
// then, for each LimitRange of the namespace in turn, each container (regular and init; ephemeral containers are left
// alone) missing a request or a limit takes the LimitRange's defaultRequest or default (mergeContainerResources, for items
// of type Container); then each item of type Container bounds the result (minConstraint, maxConstraint,
// limitRequestRatioConstraint); and the pod's validation refuses a request above its limit (ValidateResourceRequirements).
// A pod any of these refuses is never created: the workload's controller reports FailedCreate and nothing runs.
// Reads: {containers,initContainers}[*].resources, the pod's metadata.namespace, and every LimitRange in that namespace
// among the objects checked (spec.limits[*] of type Container: default, defaultRequest, min, max, maxLimitRequestRatio).
// Not read: items of type Pod (sums over the pod's containers) and PersistentVolumeClaim.
import { isObject } from '../../vocab/json';
import { parseQuantity } from '../../vocab/quantity';
import { Check, CheckContext, ObjectIndex, Violation } from '../check';
import { PodView } from '../pod-view';
import { shown } from './shown';

type Amounts = Map<string, { text: string; value: number }>;

/** A LimitRange's items of type Container, with its name. */
interface ContainerLimits {
  readonly limitRange: string;
  readonly item: number;
  readonly defaults: Amounts;
  readonly defaultRequests: Amounts;
  readonly min: Amounts;
  readonly max: Amounts;
  readonly ratio: Amounts;
}

/** The amounts of a resource list that are quantities (a list the API server would refuse is not this rule's to judge). */
function amounts(list: unknown): Amounts {
  const out: Amounts = new Map();
  if (!isObject(list)) return out;
  for (const [resource, raw] of Object.entries(list)) {
    const text = typeof raw === 'number' ? String(raw) : raw;
    const value = typeof text === 'string' ? parseQuantity(text) : undefined;
    if (value !== undefined) out.set(resource, { text, value });
  }
  return out;
}

function containerLimitsOf(index: ObjectIndex, namespace: string | undefined): ContainerLimits[] {
  const out: ContainerLimits[] = [];
  for (const range of index.inNamespace('LimitRange', namespace)) {
    const limits = range?.spec?.limits;
    if (!Array.isArray(limits)) continue;
    limits.forEach((l: any, item: number) => {
      if (!isObject(l) || l.type !== 'Container') return;
      out.push({ limitRange: String(range.metadata?.name ?? '(unnamed)'), item, defaults: amounts(l.default),
        defaultRequests: amounts(l.defaultRequest), min: amounts(l.min), max: amounts(l.max), ratio: amounts(l.maxLimitRequestRatio) });
    });
  }
  return out;
}

export class LimitRangeFitCheck extends Check {
  public readonly info = {
    id: 'limit-range-fit',
    title: 'Containers fit the namespace\'s LimitRange',
    description: 'A container whose resources, once the namespace\'s LimitRange has filled in its defaults, are below its min, above '
      + 'its max or beyond its limit-to-request ratio, or whose request ends up above its limit, is refused at admission: the pod is '
      + 'never created and the workload does not run.',
    remediation: 'Give the container resources within the LimitRange\'s bounds, or change the LimitRange (SecureNamespace\'s limitRange '
      + 'prop); a container that runs without a CPU limit needs a LimitRange without a default CPU limit.',
    mapping: { nist800190: ['4.4.3'], step: 6 },
  };
  public readonly appliesTo = 'pods' as const;

  public evaluatePod(pod: PodView, manifest: any, ctx: CheckContext, out: Violation[]): void {
    const ranges = ctx.index.cached('limit-range-items', manifest.metadata?.namespace, containerLimitsOf);
    if (ranges.length === 0) return;
    for (const c of pod.containers) {
      if (c.type === 'ephemeralContainer') continue;
      const problem = admissionProblem(c.spec.resources, ranges);
      if (problem) out.push({ container: c.name, path: `${c.path}.resources`, message: `${c.label} ${problem}` });
    }
  }
}

/** Why LimitRanger or validation refuses a container of `resources`, or undefined when it is admitted. */
function admissionProblem(resources: any, ranges: readonly ContainerLimits[]): string | undefined {
  const requests = amounts(resources?.requests);
  const limits = amounts(resources?.limits);
  const from = new Map<string, string>();
  // SetDefaults_Pod: a limit without a request is the request too.
  for (const [resource, limit] of limits) if (!requests.has(resource)) requests.set(resource, limit);
  for (const range of ranges) {
    const where = `LimitRange ${shown(range.limitRange)} (spec.limits[${range.item}])`;
    for (const [resource, value] of range.defaultRequests) {
      if (!requests.has(resource)) {
        requests.set(resource, value);
        from.set(`requests.${resource}`, `${where}'s defaultRequest`);
      }
    }
    for (const [resource, value] of range.defaults) {
      if (!limits.has(resource)) {
        limits.set(resource, value);
        from.set(`limits.${resource}`, `${where}'s default`);
      }
    }
  }
  const said = (section: 'requests' | 'limits', resource: string, text: string) => {
    const origin = from.get(`${section}.${resource}`);
    return `${shown(text)}${origin ? ` (from ${origin})` : ''}`;
  };
  for (const range of ranges) {
    const where = `LimitRange ${shown(range.limitRange)} of its namespace (spec.limits[${range.item}])`;
    for (const [resource, min] of range.min) {
      const request = requests.get(resource);
      const limit = limits.get(resource);
      if (!request) return `has no ${resource} request, and ${where} sets a minimum of ${shown(min.text)}: Kubernetes refuses the pod`;
      if (request.value < min.value) {
        return `requests ${resource} ${said('requests', resource, request.text)}, below the minimum of ${where}, ${shown(min.text)}: `
          + 'Kubernetes refuses the pod';
      }
      if (limit && limit.value < min.value) {
        return `limits ${resource} to ${said('limits', resource, limit.text)}, below the minimum of ${where}, ${shown(min.text)}: `
          + 'Kubernetes refuses the pod';
      }
    }
    for (const [resource, max] of range.max) {
      const request = requests.get(resource);
      const limit = limits.get(resource);
      if (!limit) return `has no ${resource} limit, and ${where} sets a maximum of ${shown(max.text)} and no default: Kubernetes refuses the pod`;
      if (limit.value > max.value) {
        return `limits ${resource} to ${said('limits', resource, limit.text)}, above the maximum of ${where}, ${shown(max.text)}: `
          + 'Kubernetes refuses the pod';
      }
      if (request && request.value > max.value) {
        return `requests ${resource} ${said('requests', resource, request.text)}, above the maximum of ${where}, ${shown(max.text)}: `
          + 'Kubernetes refuses the pod';
      }
    }
    for (const [resource, ratio] of range.ratio) {
      const request = requests.get(resource);
      const limit = limits.get(resource);
      if (!request || request.value === 0 || !limit || limit.value === 0) {
        return `needs both a ${resource} request and limit: ${where} bounds their ratio at ${shown(ratio.text)}: Kubernetes refuses the pod`;
      }
      if (limit.value / request.value > ratio.value) {
        return `limits ${resource} to ${said('limits', resource, limit.text)}, more than ${shown(ratio.text)} times its request `
          + `${said('requests', resource, request.text)}, the ratio ${where} allows: Kubernetes refuses the pod`;
      }
    }
  }
  // A request above its limit as the user wrote both is invalid-manifest's; here, where a LimitRange filled one in.
  for (const [resource, request] of requests) {
    const limit = limits.get(resource);
    const defaulted = from.has(`requests.${resource}`) || from.has(`limits.${resource}`);
    if (limit && defaulted && request.value > limit.value) {
      return `requests ${resource} ${said('requests', resource, request.text)}, above its limit ${said('limits', resource, limit.text)}: `
        + 'Kubernetes refuses the pod (a request must be at most its limit)';
    }
  }
  return undefined;
}
