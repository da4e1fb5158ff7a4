// Shared shape of the five resource rules: one resource, requests or limits.
// Reads: {containers,initContainers}[*].resources.{requests,limits}.<resource>
// (ephemeral containers cannot declare resources). Allowed: a value is present.
import { Check, Violation } from '../check';
import { RuleInfo } from '../model';
import { PodView } from '../pod-view';

export abstract class ResourceCheck extends Check {
  public readonly appliesTo = 'pods' as const;

  protected constructor(
    public readonly info: RuleInfo,
    private readonly resource: 'cpu' | 'memory' | 'ephemeral-storage',
    private readonly section: 'requests' | 'limits',
  ) {
    super();
  }

  public evaluatePod(pod: PodView, _manifest: any, _ctx: unknown, out: Violation[]): void {
    for (const c of pod.containers) {
      if (c.type === 'ephemeralContainer') continue;
      const value = c.spec.resources?.[this.section]?.[this.resource];
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
