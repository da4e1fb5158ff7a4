import { findingLine, locateFindings } from '../yaml/sources';
import type { Report } from './report';

/** The whole model: rules, every object with the status of every rule, and every finding (compact: it is for machines, and large). */
export function renderJson(report: Report): string {
  locateFindings(report.findings);
  return JSON.stringify({
    tool: 'cdk8s-secure',
    pack: report.pack,
    pssVersion: report.pssVersion,
    pssPolicyVersion: report.pssPolicyVersion,
    summary: report.summary,
    rules: report.rules,
    objects: report.objects.map((object, i) => ({ object, rules: report.statusesOf(i) })),
    // Each with the line of its field where the document was read from YAML.
    findings: report.findings.map(f => ({ ...f, line: findingLine(f) })),
  }) + '\n';
}
