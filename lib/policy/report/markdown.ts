import { RuleStatus } from '../model';
import { describePssVersion } from '../pss-version';
import { describeObject } from './describe';
import { escapeText, MAX_QUOTED_CHARS, shorten } from './escape';
import type { Report } from './report';

/** Cells beyond which the connectivity matrix is not rendered (200 pod groups and a peer outside each way are 40,602). */
const MAX_MATRIX_CELLS = 50_000;
/** Characters beyond which the connectivity matrix is not rendered. */
const MAX_MATRIX_CHARS = 1 << 20;
/** Ports a cell of the matrix or an arrow of the diagram lists; it counts the others. */
const MAX_CELL_PORTS = 16;
/** What Mermaid draws by default (its maxEdges and maxTextSize): a larger diagram shows only an error where it is viewed. */
const MAX_DIAGRAM_EDGES = 500;
const MAX_DIAGRAM_CHARS = 50_000;

// Text from manifests in Markdown is shown as written, never read as Markdown or HTML: in a table cell a pipe would end
// the cell, "<" open HTML, "&" an entity, and backslashes, backticks, "*", "_", "[", "]" and "~" escapes, code, emphasis,
// links and strikethrough; each is escaped with a backslash (GFM's table reads "\|" inside code too). Line breaks and
// other controls are escaped after (escape.ts), so that their escapes (\n, \u202e) are shown as they are. No line starts
// with text from manifests, so "#", ">", "-" and digits, which mean something only at the start of a line, need nothing.
const INLINE = /[\\`*_[\]<>|&~]/g;
const cell = (text: string) => escapeText(shorten(text, MAX_QUOTED_CHARS).replace(INLINE, c => `\\${c}`));

/**
 * `text` as a code span: nothing is escaped in one but the pipes of a table (GFM), and the fence is a run of backticks
 * longer than any in the text, set apart by a space where the text begins or ends with one (which CommonMark takes off).
 */
function code(text: string): string {
  if (text === '') return '';
  const t = escapeText(shorten(text, MAX_QUOTED_CHARS)).replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...(t.match(/`+/g) ?? []).map(run => run.length)) + 1);
  const space = /^[` ]|[` ]$/.test(t) && t.trim() !== '' ? ' ' : '';
  return `${fence}${space}${t}${space}${fence}`;
}

/** A summary, a table of every rule with its counts per status, the findings, the connectivity and the objects, a line at a time. */
export function writeMarkdown(report: Report, write: (text: string) => void): void {
  const line = (text: string) => write(escapeText(text) + '\n');
  const s = report.summary;
  [
    '# cdk8s-secure compliance report',
    '',
    `Pack **${cell(report.pack)}**, Pod Security Standards at **${cell(describePssVersion(report.pssVersion))}**: `
      + `${s.objects} objects, ${s.errors} errors, ${s.warnings} warnings, ${s.suppressed} suppressed.`,
    '',
    '## Rules',
    '',
    '| Rule | Severity | Compliant | Non-compliant | Suppressed | Not applicable |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
  ].forEach(line);
  report.rules.forEach((r, i) => line(`| ${code(r.id)} ${cell(r.title)} | ${cell(r.severity)} | ${counts(report.statusCounts(i))} |`));
  ['', '## Findings', ''].forEach(line);
  if (report.findings.length === 0) {
    line('None.');
  } else {
    line('| Status | Rule | Object | Container | Field | Message |');
    line('| --- | --- | --- | --- | --- | --- |');
    for (const f of report.findings) {
      const status = f.suppressed ? `suppressed: ${f.suppressionReason}` : f.suppressionRefused ? `${f.severity} (suppression refused)` : f.severity;
      line(`| ${cell(status)} | ${code(f.ruleId)} | ${cell(describeObject(f.object))} | ${cell(f.container ?? '')} | ${code(f.path)} | `
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

/** A list of ports, the first MAX_CELL_PORTS of them and how many more. */
function portList(ports: readonly string[]): string {
  const more = ports.length - MAX_CELL_PORTS;
  return more > 0 ? `${ports.slice(0, MAX_CELL_PORTS).join(', ')} and ${more} more` : ports.join(', ');
}

/**
 * The connectivity matrix (rows send, columns receive) and the same as a Mermaid diagram. Either is replaced by a line that
 * says why, with the numbers, past its limits: the matrix past MAX_MATRIX_CELLS cells or MAX_MATRIX_CHARS characters, the
 * diagram past what Mermaid draws.
 */
function connectivitySection(report: Report): string[] {
  const c = report.connectivity;
  if (c.omitted) return ['', '## Connectivity', '', `Not rendered: ${cell(c.omitted)}.`];
  if (c.nodes.every(n => n.external)) return [];
  if (c.edges.length === 0) return ['', '## Connectivity', '', 'The NetworkPolicies allow no connection between the pods and anything else.'];
  const label = new Map(c.nodes.map(n => [n.id, n.label]));
  const order = new Map(c.nodes.map((n, i) => [n.id, i]));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  const sources = [...new Set(c.edges.map(e => e.from))].sort(byOrder);
  const destinations = [...new Set(c.edges.map(e => e.to))].sort(byOrder);
  return [
    '', '## Connectivity', '',
    'What the NetworkPolicies allow, each row sending to each column (traffic from a pod\'s own node, such as probes, is always allowed).', '',
    ...matrix(c.edges, sources, destinations, label),
    '', ...diagram(c.nodes, c.edges, new Set([...sources, ...destinations])),
  ];
}

function matrix(edges: ReadonlyArray<{ from: string; to: string; ports: string[] }>, sources: string[], destinations: string[],
  label: ReadonlyMap<string, string>): string[] {
  const cells = sources.length * destinations.length;
  const size = `${sources.length} rows and ${destinations.length} columns`;
  if (cells > MAX_MATRIX_CELLS) return [`The matrix is not rendered: ${size} are ${cells} cells; it is rendered up to ${MAX_MATRIX_CELLS}.`];
  // Keyed by place: an id holds a name, which may be long.
  const row = new Map(sources.map((id, i) => [id, i]));
  const column = new Map(destinations.map((id, i) => [id, i]));
  const ports = new Map(edges.map(e => [row.get(e.from)! * destinations.length + column.get(e.to)!, e.ports]));
  const out = [
    `| From \\ To | ${destinations.map(d => cell(label.get(d)!)).join(' | ')} |`,
    `| --- |${destinations.map(() => ' --- |').join('')}`,
  ];
  let chars = out[0].length + out[1].length;
  for (let i = 0; i < sources.length; i++) {
    let text = `| ${cell(label.get(sources[i])!)} |`;
    for (let j = 0; j < destinations.length && chars + text.length <= MAX_MATRIX_CHARS; j++) {
      const p = ports.get(i * destinations.length + j);
      text += ` ${p ? cell(portList(p)) : ''} |`;
    }
    chars += text.length + 1;
    if (chars > MAX_MATRIX_CHARS) {
      return [`The matrix is not rendered: ${size} take more than ${MAX_MATRIX_CHARS} characters, what it is rendered up to.`];
    }
    out.push(text);
  }
  return out;
}

function diagram(nodes: ReadonlyArray<{ id: string; label: string; external: boolean }>,
  edges: ReadonlyArray<{ from: string; to: string; ports: string[] }>, connected: ReadonlySet<string>): string[] {
  if (edges.length > MAX_DIAGRAM_EDGES) {
    return [`The diagram is not drawn: ${edges.length} arrows, and Mermaid draws up to ${MAX_DIAGRAM_EDGES}.`];
  }
  const id = new Map(nodes.map((n, i) => [n.id, `n${i}`]));
  const out = ['```mermaid', 'flowchart LR'];
  let chars = 0;
  const add = (text: string) => {
    chars += text.length + 1;
    if (chars <= MAX_DIAGRAM_CHARS) out.push(text);
  };
  for (const n of nodes) {
    if (connected.has(n.id)) add(n.external ? `  ${id.get(n.id)}(["${mermaid(n.label)}"])` : `  ${id.get(n.id)}["${mermaid(n.label)}"]`);
  }
  for (const e of edges) add(`  ${id.get(e.from)} -- "${mermaid(portList(e.ports))}" --> ${id.get(e.to)}`);
  if (chars > MAX_DIAGRAM_CHARS) return [`The diagram is not drawn: its ${chars} characters are more than Mermaid reads (${MAX_DIAGRAM_CHARS}).`];
  out.push('```');
  return out;
}

// A Mermaid label is read for entity codes ("#quot;", "#35;"), Markdown (between backticks) and HTML (its tags are drawn):
// every character but letters, digits, spaces and a few signs is written as its code (decimal), which Mermaid shows as it is.
const mermaid = (text: string) => escapeText(shorten(text, MAX_QUOTED_CHARS)).replace(/[^\p{L}\p{N} /.,:=()+@-]/gu, c => `#${c.codePointAt(0)};`);
