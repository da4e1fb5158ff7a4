import { Finding, RuleStatus } from '../model';
import { findingLine } from '../yaml/sources';
import { boundedFinding, boundedRef } from './escape';
import type { Report } from './report';

const STATUS_JSON = Object.fromEntries(Object.values(RuleStatus).map(status => [status, JSON.stringify(status)]));

/**
 * The whole model: rules, every object with the status of every rule, and every finding (compact: it is for machines,
 * and large), given to `write` an object or a finding at a time, so a large report is never one string. Names and texts from
 * manifests are cut past MAX_QUOTED_CHARS (escape.ts), as in every report.
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
  // A status code outside STATUS_CODES (statuses given to a Report) is no status, which JSON.stringify leaves out.
  const rules = report._byStatusRow(i => keys.flatMap((key, r) => {
    const status = STATUS_JSON[report._status(i, r)];
    return status === undefined ? [] : [key + status];
  }).join(','));
  // The statuses, the same string for objects that fare alike, are written as they are, not joined into a string per object
  // (~2.7 KB each for the default pack: 28 MB copied once more and let go at 10,000 objects).
  report.objects.forEach((object, i) => {
    write(`${i ? ',' : ''}{"object":${JSON.stringify(boundedRef(object))},"rules":{`);
    write(rules(i));
    write('}}');
  });
  write('],"findings":[');
  report.findings.forEach((f, i) => write((i ? ',' : '') + findingJson(f)));
  write(']}\n');
}

/** A finding with the line of its field where the document was read from YAML, as JSON.stringify({ ...f, line }) writes it. */
function findingJson(finding: Finding): string {
  const line = findingLine(finding);
  const f = boundedFinding(finding);
  // Without the copy where the finding is a plain object with no line (the line is its last member) and no toJSON of its own;
  // findings given to a Report from plain JavaScript (or read back from JSON) may be anything, and get the copy.
  if (Object.getPrototypeOf(f) !== Object.prototype || Object.prototype.hasOwnProperty.call(f, 'line') || 'toJSON' in f) {
    return JSON.stringify({ ...f, line });
  }
  const text = JSON.stringify(f);
  if (line === undefined) return text;
  return `${text === '{}' ? '{' : `${text.slice(0, -1)},`}"line":${JSON.stringify(line)}}`;
}
