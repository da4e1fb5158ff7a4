// The shape of a Pod Security Standards check, as Pod Security Admission's policy package
// has it: a list of behaviours, each from the first policy version it applies to. At a
// version the newest behaviour at or below it decides; before the first there is none and
// the rule is not applicable. A restricted behaviour may replace baseline rules (PSA's
// OverrideCheckIDs): in a pack composed as PSA composes it (psaComposition), where both run at
// that version the baseline ones do not.
import { Check, CheckContext, Violation } from './check';
import { PodView } from './pod-view';

/** One behaviour of a versioned check. */
export interface PssBehaviour {
  /** The first policy version (v1.<since>) it applies to. */
  readonly since: number;
  /** What it allows, as RULES.md states it. */
  readonly allows: string;
  /** Ids of baseline rules it replaces when the restricted profile runs. */
  readonly overrides?: readonly string[];
  /** Appends the pod's violations of this behaviour to `out`. */
  readonly evaluate: (pod: PodView, out: Violation[]) => void;
}

const NONE: readonly string[] = [];

/** A Pod Security Standards control, versioned as Pod Security Admission versions it. */
export abstract class PssCheck extends Check {
  public readonly appliesTo = 'pods' as const;
  /** The behaviours, oldest first (`since` strictly increasing). */
  public abstract readonly behaviours: readonly PssBehaviour[];

  /** The behaviour in force at policy version v1.`minor`, if the check applies there. */
  public behaviourAt(minor: number): PssBehaviour | undefined {
    const behaviours = this.behaviours;
    for (let i = behaviours.length - 1; i >= 0; i--) {
      if (behaviours[i].since <= minor) return behaviours[i];
    }
    return undefined;
  }

  public evaluatePod(pod: PodView, _manifest: any, ctx: CheckContext, out: Violation[]): void {
    this.behaviourAt(ctx.pssMinor)?.evaluate(pod, out);
  }

  public isConfigured(ctx: CheckContext): boolean {
    return this.behaviourAt(ctx.pssMinor) !== undefined;
  }

  public overrides(ctx: CheckContext): readonly string[] {
    return this.behaviourAt(ctx.pssMinor)?.overrides ?? NONE;
  }
}

type Evaluate = PssBehaviour['evaluate'];

/** `evaluate`, skipping user-namespace pods (spec.hostUsers: false), as PSA relaxes them from v1.35. */
export function unlessUserNamespace(evaluate: Evaluate): Evaluate {
  return (pod, out) => { if (pod.spec.hostUsers !== false) evaluate(pod, out); };
}

/** `evaluate`, skipping Windows pods (spec.os.name: windows), as PSA exempts them from Linux-only controls from v1.25. */
export function unlessWindows(evaluate: Evaluate): Evaluate {
  return (pod, out) => { if (!pod.windows) evaluate(pod, out); };
}

/**
 * Why a control that the pod level may satisfy is set on the container when the container is injected into other pods
 * (PodView.injected: a sidecar-mode collector): the pod level is the host pod's, which the resource does not write.
 */
export const INJECTED = 'it is injected into other pods, whose pod-level securityContext the resource does not set';
