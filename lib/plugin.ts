import * as fs from 'fs';
import * as path from 'path';
import { checkOptionNames, escapeText, Finding, loadManifests, podViewOf, PolicyEngine, ReportFormat } from './policy';
import { checkReportDir, checkReportDirPath, defaultReportDir, makeReportDir } from './report-dir';
import { CHECK_SETTINGS, CheckSettings, engineOptionsFromSettings } from './scope-check';

/**
 * Properties of the cdk8s CLI validation plugin (the `properties:` of its cdk8s.yaml entry).
 */
export interface SecureValidationProps extends CheckSettings {
  /**
   * Folder that receives the cdk8s CLI's `construct-metadata.json` once the plugin has read it,
   * so the manifest folder holds Kubernetes manifests only.
   * @default - "compliance" beside the manifest folder
   */
  readonly reportDir?: string;
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
  private readonly reportDir?: string;

  constructor(props: SecureValidationProps = {}) {
    // The properties come from cdk8s.yaml, untyped, and are checked here, when the CLI loads the plugin (an empty
    // `properties:` line is null: no properties).
    props ??= {};
    checkOptionNames(props, 'the properties of SecureValidation (cdk8s.yaml validations[].properties)', [...Object.keys(CHECK_SETTINGS), 'reportDir'],
      '{ pack: strict }');
    if (props.reportDir !== undefined) checkReportDirPath(props.reportDir);
    this.engine = new PolicyEngine(engineOptionsFromSettings(props));
    this.reportDir = props.reportDir;
  }

  /**
   * Called by the cdk8s CLI with its `ValidationContext`.
   */
  public async validate(context: any): Promise<void> {
    const manifests: string[] = [...context.manifests];
    this.moveConstructMetadata(manifests);
    // Read from YAML, so JSON data: the check PolicyEngine.evaluateDocuments makes of a JavaScript caller's is not needed.
    const report = this.engine._evaluateDocuments(loadManifests(manifests), podViewOf);
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

  /**
   * The cdk8s CLI writes construct-metadata.json into the manifest folder for validation
   * plugins and has read it before they run; it is moved beside the folder, with the reports.
   */
  private moveConstructMetadata(manifests: string[]): void {
    if (manifests.length === 0) return;
    const outdir = manifests.map(m => path.dirname(path.resolve(m))).reduce(commonDirectory);
    const file = path.join(outdir, 'construct-metadata.json');
    if (!fs.existsSync(file)) return;
    const reportDir = this.reportDir ?? defaultReportDir(outdir);
    checkReportDir(reportDir, outdir);
    makeReportDir(reportDir);
    fs.renameSync(file, path.join(reportDir, 'construct-metadata.json'));
  }
}

/** The deepest folder that holds both `a` and `b`. */
function commonDirectory(a: string, b: string): string {
  while (path.relative(a, b).startsWith('..')) a = path.dirname(a);
  return a;
}
