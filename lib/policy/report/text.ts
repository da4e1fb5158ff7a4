import { Finding, ObjectRef, RuleStatus, Severity } from '../model';
import { describePssVersion } from '../pss-version';
import { findingLine } from '../yaml/sources';
import { describeObject } from './describe';
import { boundedFinding, escapeText } from './escape';
import type { Report } from './report';

const LABEL: { [s in Severity]: string } = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' };

/** What is counted on each summary line: the unsuppressed findings of one severity, or the suppressed ones. */
const TALLIES: ReadonlyArray<{ label: string; counts: (f: Finding) => boolean }> = [
  ...Object.values(Severity).map(severity => ({ label: severity, counts: (f: Finding) => !f.suppressed && f.severity === severity })),
  { label: 'suppressed', counts: (f: Finding) => f.suppressed },
];

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * Findings grouped by object, a summary line per severity (and for suppressed findings) naming the
 * rules, then the machine summary line. `verbose` adds the status counts of every rule. Given to
 * `write` a line at a time.
 */
export function writeText(report: Report, write: (text: string) => void, verbose = false): void {
  const line = (text: string) => write(escapeText(text) + '\n');
  line(`cdk8s-secure compliance report: pack "${report.pack}", Pod Security Standards at ${describePssVersion(report.pssVersion)}, `
    + `${report.rules.length} rules, ${report.objects.length} objects`);
  // Findings come grouped by object: a heading where the object, as described, changes (describeObject escapes it).
  let currentRef: ObjectRef | undefined;
  let current = '';
  for (const finding of report.findings) {
    const f = boundedFinding(finding);
    if (finding.object !== currentRef) {
      currentRef = finding.object;
      const object = describeObject(f.object);
      if (object !== current) write(`\n${object}\n`);
      current = object;
    }
    const at = findingLine(finding);
    line(`  ${f.suppressed ? 'SUPPR' : LABEL[f.severity]} [${f.ruleId}] ${f.message}`);
    line(`        at ${f.path || '(document)'}${at !== undefined ? `, line ${at}` : ''}`);
    line(f.suppressed ? `        suppressed: ${f.suppressionReason}` : `        fix: ${f.remediation}`);
  }
  if (report.findings.length === 0) write('\nNo findings.\n');
  if (verbose) for (const text of ['', ...ruleTable(report)]) line(text);
  for (const text of ['', ...summaryLines(report), report.summaryLine()]) line(text);
}

function summaryLines(report: Report): string[] {
  const width = Math.max(...TALLIES.map(t => t.label.length));
  const tallies = TALLIES.map(t => ({ ...t, findings: 0, objects: 0, rules: new Set<string>(), lastObject: -1 }));
  // Counted in one pass, with no list of the findings each tally counts: a report may hold a million. The engine's findings come
  // in the order of their objects, so an object is counted where the findings first reach it; findings in another order (a
  // Report made by hand) have their objects counted in a set.
  const objects = report.objects;
  const inOrder = findingsInObjectOrder(report);
  const seen = inOrder ? undefined : tallies.map(() => new Set<ObjectRef>());
  let at = 0;
  for (const f of report.findings) {
    if (inOrder) while (objects[at] !== f.object) at++;
    for (let i = 0; i < tallies.length; i++) {
      const t = tallies[i];
      if (!t.counts(f)) continue;
      t.findings++;
      t.rules.add(f.ruleId);
      const first = seen ? !seen[i].has(f.object) : t.lastObject !== at;
      if (first) t.objects++;
      seen?.[i].add(f.object);
      t.lastObject = at;
    }
  }
  return tallies.map(t => t.findings === 0 ? `${t.label.padEnd(width)}  0`
    : `${t.label.padEnd(width)}  ${plural(t.findings, 'finding')} in ${plural(t.objects, 'object')}: ${[...t.rules].join(', ')}`);
}

/** Whether each finding's object is the last one's or one after it in `report.objects`. */
function findingsInObjectOrder(report: Report): boolean {
  const objects = report.objects;
  let at = 0;
  for (const f of report.findings) {
    while (at < objects.length && objects[at] !== f.object) at++;
    if (at === objects.length) return false;
  }
  return true;
}

function ruleTable(report: Report): string[] {
  const width = Math.max(...report.rules.map(r => r.id.length));
  return [`${'rule'.padEnd(width)}  severity  compliant  non-compliant  suppressed  n/a`, ...report.rules.map((r, i) => {
    const c = report.statusCounts(i);
    return [
      r.id.padEnd(width), r.severity.padEnd(8),
      String(c[RuleStatus.COMPLIANT]).padStart(9), String(c[RuleStatus.NON_COMPLIANT]).padStart(13),
      String(c[RuleStatus.SUPPRESSED]).padStart(10), String(c[RuleStatus.NOT_APPLICABLE]).padStart(4),
    ].join('  ');
  })];
}

/**
 * What the Guard prints at synth: the summary line, then one line per rule with unsuppressed
 * warnings (how many, and the first), so warnings are seen without opening the report. Errors are
 * listed by the synth failure itself.
 */
export function renderSynthSummary(report: Report): string {
  const lines = [`cdk8s-secure: ${report.summaryLine()} (pack "${report.pack}")`];
  const warnings = report.findings.filter(f => !f.suppressed && f.severity === Severity.WARNING);
  for (const ruleId of new Set(warnings.map(f => f.ruleId))) {
    const of = warnings.filter(f => f.ruleId === ruleId);
    const first = boundedFinding(of[0]);
    const more = of.length > 1 ? ` (and ${of.length - 1} more)` : '';
    lines.push(`  warning [${ruleId}] ${first.object.constructPath ?? describeObject(first.object)}: ${first.message}${more}`);
  }
  return lines.map(escapeText).join('\n') + '\n';
}
