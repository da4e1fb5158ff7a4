import { RuleInfo } from './model';
import { PodView } from './pod-view';

/** One problem a check found, before the engine adds severity, object and suppression. */
export interface Violation {
  /** Container name, where the violation is about one container. */
  readonly container?: string;
  /** JSON path of the offending field. */
  readonly path: string;
  /** What is wrong and what to change, naming the container and the field. */
  readonly message: string;
}

/** Settings a check may read. */
export interface CheckContext {
  /** Registries (and optional path prefixes) images may come from; empty means "not configured". */
  readonly trustedRegistries: readonly string[];
  /** Every object under evaluation, for rules that look across objects. */
  readonly index: ObjectIndex;
}

/** Lookup of the objects under evaluation by kind, namespace and name (built on first use). */
export class ObjectIndex {
  private byKey?: Map<string, any>;

  constructor(private readonly manifests: readonly any[]) {}

  public get(kind: string, namespace: string | undefined, name: string | undefined): any {
    if (!this.byKey) {
      this.byKey = new Map();
      for (const m of this.manifests) {
        if (m && typeof m === 'object' && typeof m.kind === 'string') {
          this.byKey.set(ObjectIndex.key(m.kind, m.metadata?.namespace, m.metadata?.name), m);
        }
      }
    }
    return this.byKey.get(ObjectIndex.key(kind, namespace, name));
  }

  private static key(kind: string, namespace: string | undefined, name: string | undefined): string {
    return `${kind}\u0000${namespace ?? ''}\u0000${name ?? ''}`;
  }
}

/**
 * A rule. One subclass per file under `checks/`; a check reads plain manifest JSON
 * and reports violations. It never decides its own severity: packs do.
 */
export abstract class Check {
  public abstract readonly info: RuleInfo;

  /** Checks of pods apply to every pod-bearing kind; others name the kinds they read. */
  public abstract readonly appliesTo: 'pods' | readonly string[];

  /** Evaluates a pod (for `appliesTo: 'pods'`). */
  public evaluatePod(_pod: PodView, _manifest: any, _ctx: CheckContext, _out: Violation[]): void {
    return;
  }

  /** Evaluates an object of one of the kinds in `appliesTo`. */
  public evaluateObject(_manifest: any, _ctx: CheckContext, _out: Violation[]): void {
    return;
  }

  /** Whether the check can say anything with this configuration (a registry allowlist, say). */
  public isConfigured(_ctx: CheckContext): boolean {
    return true;
  }
}
