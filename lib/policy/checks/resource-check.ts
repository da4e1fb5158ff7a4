// Shared shape of the five resource rules: one resource, requests or limits.
// Reads: {containers,initContainers}[*].resources.{requests,limits}.<resource>
// (ephemeral containers cannot declare resources). Allowed: a quantity above 0 (Kubernetes takes a
// limit of 0 as no limit and a request of 0 as none; a value that is not a quantity is refused).
import { unboundedAmount, zeroMeaning } from '../../vocab/quantity';
import { Check, Violation } from '../check';
import { RuleInfo } from '../model';
import { PodView } from '../pod-view';
import { shown } from './shown';

export abstract class ResourceCheck extends Check {
  public readonly appliesTo = 'pods' as const;

  /**
   * @param read reads the value from a container's `resources` (or undefined). Each rule
   * passes its own arrow function with named reads (`r => r.limits?.cpu`): one shared
   * `resources[section][resource]` would be a generic lookup for V8 (see pod-view.ts).
   */
  protected constructor(
    public readonly info: RuleInfo,
    private readonly resource: 'cpu' | 'memory' | 'ephemeral-storage',
    private readonly section: 'requests' | 'limits',
    private readonly read: (resources: any) => unknown,
  ) {
    super();
  }

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (let k = 0; k < pod.containers.length; k++) {
      const c = pod.containers[k];
      if (c.type === 'ephemeralContainer') continue;
      const resources = c.spec.resources;
      const value = resources && typeof resources === 'object' ? this.read(resources) : undefined;
      const unbounded = unboundedAmount(value);
      if (unbounded === undefined) continue;
      const field = `resources.${this.section}.${this.resource}`;
      let message = `${c.label} must set ${field}`;
      if (unbounded === 'zero') {
        // An amount written otherwise ("0e400", "0.0Gi") is said as written.
        const amount = value === 0 || value === '0' ? '0, which Kubernetes takes' : `${shown(value)}, which Kubernetes reads as 0 and takes`;
        message = `${c.label} sets ${field} to ${amount} as ${zeroMeaning(this.section)}; set an amount above 0`;
      } else if (unbounded === 'invalid') {
        message = `${c.label} sets ${field} to ${shown(value)}, which is not a Kubernetes quantity (e.g. "500m", "256Mi")`;
      }
      out.push({ container: c.name, path: `${c.path}.${field}`, message });
    }
  }
}
