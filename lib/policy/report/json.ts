import { RuleStatus } from '../model';
import { findingLine } from '../yaml/sources';
import type { Report } from './report';

const STATUS_JSON = Object.fromEntries(Object.values(RuleStatus).map(status => [status, JSON.stringify(status)]));

/**
 * The whole model: rules, every object with the status of every rule, and every finding (compact: it is for machines,
 * and large), given to `write` an object or a finding at a time, so a large report is never one string.
 */
export function writeJson(report: Report, write: (text: string) => void): void {
  const head = JSON.stringify({
    tool: 'cdk8s-secure',
    pack: report.pack,
    pssVersion: report.pssVersion,
    pssPolicyVersion: report.pssPolicyVersion,
    summary: report.summary,
    rules: report.rules,
  });
  write(`${head.slice(0, -1)},"objects":[`);
  // Each object's statuses as JSON.stringify({ object, rules: report.statusesOf(i) }) writes them, without the object.
  const keys = report.rules.map(r => `${JSON.stringify(r.id)}:`);
  const rules = report._byStatusRow(i => keys.map((key, r) => key + STATUS_JSON[report._status(i, r)]).join(','));
  report.objects.forEach((object, i) => write(`${i ? ',' : ''}{"object":${JSON.stringify(object)},"rules":{${rules(i)}}}`));
  write('],"findings":[');
  // Each with the line of its field where the document was read from YAML (as JSON.stringify({ ...f, line }) writes it).
  report.findings.forEach((f, i) => {
    const line = findingLine(f);
    const text = JSON.stringify(f);
    write((i ? ',' : '') + (line === undefined ? text : `${text.slice(0, -1)},"line":${line}}`));
  });
  write(']}\n');
}
