import { RuleStatus } from '../model';
import type { Report } from './report';
import { describeObject } from './describe';
import { escapeText } from './escape';

// Pipes would end the cell and "<" could open HTML in a pull request comment (line breaks are escaped with the rest).
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');

/** A summary, a table of every rule with its counts per status, and the findings. */
export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [
    '# cdk8s-secure compliance report',
    '',
    `Pack **${report.pack}**, Pod Security Standards at **${report.pssVersion}**: `
      + `${s.objects} objects, ${s.errors} errors, ${s.warnings} warnings, ${s.suppressed} suppressed.`,
    '',
    '## Rules',
    '',
    '| Rule | Severity | Compliant | Non-compliant | Suppressed | Not applicable |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ];
  report.rules.forEach((r, i) => {
    const c = report.statusCounts(i);
    out.push(`| \`${r.id}\` ${cell(r.title)} | ${r.severity} | ${c[RuleStatus.COMPLIANT]} | ${c[RuleStatus.NON_COMPLIANT]} | ${c[RuleStatus.SUPPRESSED]} | ${c[RuleStatus.NOT_APPLICABLE]} |`);
  });
  out.push('', '## Findings', '');
  if (report.findings.length === 0) {
    out.push('None.');
  } else {
    out.push('| Status | Rule | Object | Container | Field | Message |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of report.findings) {
      const status = f.suppressed ? `suppressed: ${f.suppressionReason}` : f.suppressionRefused ? `${f.severity} (suppression refused)` : f.severity;
      out.push(`| ${cell(status)} | \`${f.ruleId}\` | ${cell(describeObject(f.object))} | ${cell(f.container ?? '')} | \`${cell(f.path)}\` | ${cell(f.message)} |`);
    }
  }
  out.push('', '## Objects', '', '| Object | Compliant | Non-compliant | Suppressed | Not applicable |', '| --- | ---: | ---: | ---: | ---: |');
  report.objects.forEach((o, i) => {
    const c = report.objectStatusCounts(i);
    out.push(`| ${cell(describeObject(o))} | ${c[RuleStatus.COMPLIANT]} | ${c[RuleStatus.NON_COMPLIANT]} | ${c[RuleStatus.SUPPRESSED]} | ${c[RuleStatus.NOT_APPLICABLE]} |`);
  });
  return out.map(escapeText).join('\n') + '\n';
}
