import { Severity } from '../model';
import type { Report } from './report';
import { describeObject } from './describe';

const LABEL: { [s in Severity]: string } = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' };

/** Findings grouped by object, then the summary line. */
export function renderText(report: Report): string {
  const lines: string[] = [`cdk8s-secure: pack "${report.pack}", ${report.rules.length} rules`];
  let current = '';
  for (const f of report.findings) {
    const object = describeObject(f.object);
    if (object !== current) {
      lines.push('', object);
      current = object;
    }
    const tag = f.suppressed ? 'SUPPR' : LABEL[f.severity];
    lines.push(`  ${tag} [${f.ruleId}] ${f.message}`);
    lines.push(`        at ${f.path}`);
    if (f.suppressed) lines.push(`        suppressed: ${f.suppressionReason}`);
    else lines.push(`        fix: ${f.remediation}`);
  }
  if (report.findings.length === 0) lines.push('', 'no findings');
  lines.push('', report.summaryLine());
  return lines.join('\n') + '\n';
}
