// Shared shape of the five resource rules: one resource, requests or limits.
// Reads: {containers,initContainers}[*].resources.{requests,limits}.<resource>
// (ephemeral containers cannot declare resources). Allowed: a value is present.
import { Check, Violation } from '../check';
import { RuleInfo } from '../model';
import { PodView } from '../pod-view';

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
    for (const c of pod.containers) {
      if (c.type === 'ephemeralContainer') continue;
      const resources = c.spec.resources;
      const value = resources && typeof resources === 'object' ? this.read(resources) : undefined;
      if (value === undefined || value === null || value === '') {
        out.push({
          container: c.name,
          path: `${c.path}.resources.${this.section}.${this.resource}`,
          message: `${c.label} must set resources.${this.section}.${this.resource}`,
        });
      }
    }
  }
}
