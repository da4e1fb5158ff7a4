import { RuleStatus } from '../model';
import { describePssVersion } from '../pss-version';
import { describeObject } from './describe';
import { escapeText } from './escape';
import type { Report } from './report';

// Pipes would end the cell and "<" could open HTML in a pull request comment (line breaks are escaped with the rest).
// Most cells hold neither, and one test finds that in one pass instead of two replacements.
const cell = (text: string) => (/[|<]/.test(text) ? text.replace(/\|/g, '\\|').replace(/</g, '&lt;') : text);

/** A summary, a table of every rule with its counts per status, the findings, the connectivity and the objects, a line at a time. */
export function writeMarkdown(report: Report, write: (text: string) => void): void {
  const line = (text: string) => write(escapeText(text) + '\n');
  const s = report.summary;
  [
    '# cdk8s-secure compliance report',
    '',
    `Pack **${report.pack}**, Pod Security Standards at **${describePssVersion(report.pssVersion)}**: `
      + `${s.objects} objects, ${s.errors} errors, ${s.warnings} warnings, ${s.suppressed} suppressed.`,
    '',
    '## Rules',
    '',
    '| Rule | Severity | Compliant | Non-compliant | Suppressed | Not applicable |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ].forEach(line);
  report.rules.forEach((r, i) => line(`| \`${r.id}\` ${cell(r.title)} | ${r.severity} | ${counts(report.statusCounts(i))} |`));
  ['', '## Findings', ''].forEach(line);
  if (report.findings.length === 0) {
    line('None.');
  } else {
    line('| Status | Rule | Object | Container | Field | Message |');
    line('| --- | --- | --- | --- | --- | --- |');
    for (const f of report.findings) {
      const status = f.suppressed ? `suppressed: ${f.suppressionReason}` : f.suppressionRefused ? `${f.severity} (suppression refused)` : f.severity;
      line(`| ${cell(status)} | \`${f.ruleId}\` | ${cell(describeObject(f.object))} | ${cell(f.container ?? '')} | \`${cell(f.path)}\` | `
        + `${cell(f.message)} |`);
    }
  }
  connectivitySection(report).forEach(line);
  ['', '## Objects', '', '| Object | Compliant | Non-compliant | Suppressed | Not applicable |', '| --- | ---: | ---: | ---: | ---: |'].forEach(line);
  const objectCounts = report._byStatusRow(i => counts(report.objectStatusCounts(i)));
  report.objects.forEach((o, i) => line(`| ${cell(describeObject(o))} | ${objectCounts(i)} |`));
}

/** The cells of the compliant, non-compliant, suppressed and not-applicable counts. */
function counts(c: { [status: string]: number }): string {
  return `${c[RuleStatus.COMPLIANT]} | ${c[RuleStatus.NON_COMPLIANT]} | ${c[RuleStatus.SUPPRESSED]} | ${c[RuleStatus.NOT_APPLICABLE]}`;
}

/** The connectivity matrix (rows send, columns receive) and the same as a Mermaid diagram. */
function connectivitySection(report: Report): string[] {
  const c = report.connectivity;
  if (c.omitted) return ['', '## Connectivity', '', `Not rendered: ${c.omitted}.`];
  if (c.nodes.every(n => n.external)) return [];
  if (c.edges.length === 0) return ['', '## Connectivity', '', 'The NetworkPolicies allow no connection between the pods and anything else.'];
  const label = new Map(c.nodes.map(n => [n.id, n.label]));
  const order = new Map(c.nodes.map((n, i) => [n.id, i]));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  const sources = [...new Set(c.edges.map(e => e.from))].sort(byOrder);
  const destinations = [...new Set(c.edges.map(e => e.to))].sort(byOrder);
  const cells = new Map(c.edges.map(e => [`${e.from}\u0000${e.to}`, e.ports.join(', ')]));
  const out = [
    '', '## Connectivity', '',
    'What the NetworkPolicies allow, each row sending to each column (traffic from a pod\'s own node, such as probes, is always allowed).', '',
    `| From \\ To | ${destinations.map(d => cell(label.get(d)!)).join(' | ')} |`,
    `| --- |${destinations.map(() => ' --- |').join('')}`,
  ];
  for (const s of sources) out.push(`| ${cell(label.get(s)!)} | ${destinations.map(d => cell(cells.get(`${s}\u0000${d}`) ?? '')).join(' | ')} |`);
  const id = new Map(c.nodes.map((n, i) => [n.id, `n${i}`]));
  const text = (t: string) => t.replace(/"/g, '#quot;');
  out.push('', '```mermaid', 'flowchart LR');
  for (const n of c.nodes) {
    if (!sources.includes(n.id) && !destinations.includes(n.id)) continue;
    out.push(n.external ? `  ${id.get(n.id)}(["${text(n.label)}"])` : `  ${id.get(n.id)}["${text(n.label)}"]`);
  }
  for (const e of c.edges) out.push(`  ${id.get(e.from)} -- "${text(e.ports.join(', '))}" --> ${id.get(e.to)}`);
  out.push('```');
  return out;
}
