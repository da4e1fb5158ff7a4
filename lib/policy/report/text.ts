import { RuleStatus, Severity } from '../model';
import { describePssVersion } from '../pss-version';
import { describeObject } from './describe';
import { escapeText } from './escape';
import type { Report } from './report';

const LABEL: { [s in Severity]: string } = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' };

/** Findings grouped by object, the status counts of every rule, then the summary line. */
export function renderText(report: Report): string {
  const lines: string[] = [
    `cdk8s-secure compliance report: pack "${report.pack}", Pod Security Standards at ${describePssVersion(report.pssVersion)}, `
      + `${report.rules.length} rules, ${report.objects.length} objects`,
  ];
  let current = '';
  for (const f of report.findings) {
    const object = describeObject(f.object);
    if (object !== current) {
      lines.push('', object);
      current = object;
    }
    const tag = f.suppressed ? 'SUPPR' : LABEL[f.severity];
    lines.push(`  ${tag} [${f.ruleId}] ${f.message}`);
    lines.push(`        at ${f.path || '(document)'}`);
    lines.push(f.suppressed ? `        suppressed: ${f.suppressionReason}` : `        fix: ${f.remediation}`);
  }
  if (report.findings.length === 0) lines.push('', 'No findings.');

  const width = Math.max(...report.rules.map(r => r.id.length));
  lines.push('', `${'rule'.padEnd(width)}  severity  compliant  non-compliant  suppressed  n/a`);
  report.rules.forEach((r, i) => {
    const c = report.statusCounts(i);
    lines.push([
      r.id.padEnd(width), r.severity.padEnd(8),
      String(c[RuleStatus.COMPLIANT]).padStart(9), String(c[RuleStatus.NON_COMPLIANT]).padStart(13),
      String(c[RuleStatus.SUPPRESSED]).padStart(10), String(c[RuleStatus.NOT_APPLICABLE]).padStart(4),
    ].join('  '));
  });
  lines.push('', report.summaryLine());
  return lines.map(escapeText).join('\n') + '\n';
}
