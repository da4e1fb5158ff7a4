import { PolicyEngine } from './policy/engine';
import { Finding } from './policy/model';
import { Packs } from './policy/packs';
import { escapeText } from './policy/report/escape';
import { ReportFormat } from './policy/report/report';
import { SuppressionPolicy } from './policy/suppression-policy';
import { loadManifests } from './policy/yaml-loader';
import { ImageLock } from './supply-chain/image-lock';

/**
 * Properties of the cdk8s CLI validation plugin (the `properties:` of its cdk8s.yaml entry).
 */
export interface SecureValidationProps {
  /**
   * Name of the built-in pack.
   * @default "default"
   */
  readonly pack?: string;
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at
   * ("v1.0" to the newest version the engine knows, or "latest").
   * @default "v1.28"
   */
  readonly pssVersion?: string;
  /**
   * Registries (optionally with a path prefix) images may come from.
   * @default - the trusted-registry rule is not applicable
   */
  readonly trustedRegistries?: string[];
  /**
   * Path of the image lock file, for the image-max-age rule.
   * @default - the rule is not applicable
   */
  readonly imageLock?: string;
  /**
   * Maximum image age in days (with `imageLock`).
   * @default - the rule is not applicable
   */
  readonly maxImageAgeDays?: number;
  /**
   * Which in-manifest suppressions count: "all", "none", or the path of a suppression policy
   * file (`allow: [{ rule, namespace?, kind?, name? }]`).
   * @default "all"
   */
  readonly suppressionPolicy?: string;
}

/**
 * Front door 2: a cdk8s CLI validation plugin. In cdk8s.yaml:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-secure
 *     version: 0.1.0
 *     class: SecureValidation
 *     properties: { pack: strict }
 * ```
 *
 * The CLI runs it on the synthesised manifests; error findings fail `cdk8s synth`.
 */
export class SecureValidation {
  private readonly engine: PolicyEngine;

  constructor(props: SecureValidationProps = {}) {
    this.engine = new PolicyEngine({
      pack: Packs.named(props.pack ?? 'default'),
      pssVersion: props.pssVersion,
      trustedRegistries: props.trustedRegistries,
      imageLock: props.imageLock ? ImageLock.fromFile(props.imageLock) : undefined,
      maxImageAgeDays: props.maxImageAgeDays,
      suppressionPolicy: props.suppressionPolicy === undefined ? undefined : SuppressionPolicy.fromString(props.suppressionPolicy),
    });
  }

  /**
   * Called by the cdk8s CLI with its `ValidationContext`.
   */
  public async validate(context: any): Promise<void> {
    const report = this.engine.evaluateDocuments(loadManifests([...context.manifests]));
    const metadata: { [name: string]: { path: string } } = context.metadata ?? {};
    const byRule = new Map<string, Finding[]>();
    for (const f of report.findings) {
      if (f.suppressed) continue;
      byRule.set(f.ruleId, [...byRule.get(f.ruleId) ?? [], f]);
    }
    for (const rule of report.rules) {
      const findings = byRule.get(rule.id);
      if (!findings) continue;
      context.report.addViolation({
        ruleName: `${rule.id} (${rule.severity})`,
        recommendation: `${rule.title}. ${rule.description}`,
        fix: rule.remediation,
        violatingResources: findings.map(f => ({
          resourceName: escapeText(metadata[f.object.name]?.path ? `${f.object.name} (${metadata[f.object.name].path})` : f.object.name),
          manifestPath: f.object.file ?? '',
          locations: [escapeText(f.container ? `${f.path} (container ${f.container})` : f.path)],
        })),
      });
    }
    context.logger?.log?.(report.render(ReportFormat.TEXT));
    context.report.submit(report.hasErrors ? 'failure' : 'success', {
      summary: report.summaryLine(), pack: report.pack, pssVersion: report.pssVersion,
    });
  }
}
