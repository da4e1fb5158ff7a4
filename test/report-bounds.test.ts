// Reports of hostile and of merely large manifests: every character a name, a label, a port, a reason or a field can
// hold is shown as written in Markdown (never read as a table's pipe, HTML, an entity, code, emphasis or a Mermaid code),
// and the connectivity matrix and diagram stay within their limits however many groups, ports, peers and characters.
import { PolicyEngine, ReportFormat } from '../lib';
import { escapeText } from '../lib/policy/report/escape';
// The CommonMark reference parser (a dependency of jsii's): what a Markdown viewer reads, tables aside (GFM's, split below).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const commonmark = require('commonmark');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const worstCase = require('./report-worst-case');

/** Every character that means something to Markdown, HTML, GFM tables, Mermaid or a terminal. */
const HOSTILE = '|a\\|b `c` ``d``` <b>e</b> <script>x</script> &lt;&amp; *f* _g_ [h](http://x) ~~i~~ #j; "k" \'l\' ]m) '
  + '\n# n\r> o\t- p \u001b[2K\u0085\u202eq\u2028r\u2029s\u200b \ud800';

const markdownOf = (objects: unknown[]) => new PolicyEngine().evaluate(objects).render(ReportFormat.MARKDOWN);

/** The cells of a GFM table row: split at each pipe no backslash escapes (as cmark-gfm does), the outer ones dropped. */
function cells(row: string): string[] {
  return row.slice(1, -1).split(/(?<!\\)\|/);
}

/** The nodes of CommonMark's reading of `markdown`, by type. */
function nodesOf(markdown: string): Map<string, Array<{ literal: string | null }>> {
  const walker = new commonmark.Parser().parse(markdown).walker();
  const nodes = new Map<string, Array<{ literal: string | null }>>();
  for (let event = walker.next(); event; event = walker.next()) {
    if (!event.entering) continue;
    const list = nodes.get(event.node.type) ?? [];
    list.push(event.node);
    nodes.set(event.node.type, list);
  }
  return nodes;
}

function hostileObjects(): unknown[] {
  const labels = { app: 'web' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: { name: `web${HOSTILE}`, namespace: 'shop', annotations: { 'suppress.cdk8s-secure.io/image-tag': `reason ${HOSTILE}` } },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [
        { name: `c${HOSTILE}`, image: `busybox${HOSTILE}`, ports: [{ containerPort: 8080, name: 'http' }] },
      ] } } },
    },
    { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'api', image: 'busybox', ports: [{ containerPort: 9000 }] }] } } } },
    // An unknown field: its finding's path quotes it.
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'odd', namespace: 'shop' }, spec: { containers: [], [`field${HOSTILE}`]: 1 } },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'in', namespace: 'shop' }, spec: {
      podSelector: {},
      ingress: [{ from: [{ namespaceSelector: { matchLabels: { team: HOSTILE } } }], ports: [{ port: HOSTILE, protocol: HOSTILE }] }],
    } },
  ];
}

describe('hostile text in the Markdown report', () => {
  const objects = hostileObjects();
  const report = new PolicyEngine().evaluate(objects);
  const markdown = report.render(ReportFormat.MARKDOWN);
  const lines = markdown.split('\n');

  test('holds no control, format or separator character but the line feeds', () => {
    expect(markdown.replace(/\n/g, '')).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  });

  test('every table keeps its columns, and the findings table has a row per finding', () => {
    const tables: string[][] = [];
    lines.forEach((l, i) => {
      if (!l.startsWith('|')) return;
      if (!lines[i - 1].startsWith('|')) tables.push([]);
      tables[tables.length - 1].push(l);
    });
    expect(tables.length).toBe(4); // rules, findings, connectivity, objects
    for (const table of tables) {
      const width = cells(table[0]).length;
      for (const row of table) expect([row, cells(row).length]).toEqual([row, width]);
    }
    const findings = tables.find(t => t[0].startsWith('| Status |'))!;
    expect(findings.length - 2).toBe(report.findings.length);
    expect(report.findings.filter(f => f.path.includes('|a\\|b `c`')).length).toBe(1);
  });

  test('CommonMark reads no HTML, link, emphasis, quote, list or hard break from it, and each code span as the text it quotes', () => {
    const nodes = nodesOf(markdown.replace(/```mermaid[^]*?```/g, ''));
    for (const type of ['html_inline', 'html_block', 'link', 'image', 'emph', 'block_quote', 'list', 'thematic_break', 'linebreak']) {
      expect([type, (nodes.get(type) ?? []).map(n => n.literal)]).toEqual([type, []]);
    }
    // The pack and the PSS version in bold, the headings: nothing else.
    expect(nodes.get('strong')!.length).toBe(2);
    expect(nodes.get('heading')!.length).toBe(5);
    // Code spans: the rule ids and the paths, with the table's escaped pipes (\|) read as pipes first, as GFM does.
    const spans = new Set(nodesOf(markdown.replace(/```mermaid[^]*?```/g, '').replace(/\\\|/g, '|')).get('code')!.map(n => n.literal));
    for (const f of report.findings) {
      expect(spans).toContain(f.ruleId);
      if (f.path) expect(spans).toContain(escapeText(f.path));
    }
    // The text of the cells, as CommonMark reads it, holds each name as written (escaped controls aside).
    const text = nodesOf(markdown.replace(/\\\|/g, '|')).get('text')!.map(n => n.literal).join('');
    expect(text).toContain('a\\|b `c` ``d``` <b>e</b> <script>x</script> &lt;&amp; *f* _g_ [h](http://x) ~~i~~ #j; "k"');
  });

  test('the Mermaid diagram is one fenced block of nodes and arrows whose labels hold only letters, digits, spaces, signs and codes', () => {
    // A selector's label value like HOSTILE is refused by the API server (ValidateLabelSelector, invalid-manifest): the
    // NetworkPolicy is read as if admitted, so that its peer's label reaches the diagram.
    const lines = new PolicyEngine({ strictStructure: false }).evaluate(objects).render(ReportFormat.MARKDOWN).split('\n');
    expect(lines.filter(l => l.startsWith('```'))).toEqual(['```mermaid', '```']);
    const start = lines.indexOf('```mermaid');
    const end = lines.indexOf('```', start);
    const body = lines.slice(start + 1, end);
    expect(body[0]).toBe('flowchart LR');
    const label = '"((?:[\\p{L}\\p{N} /.,:=()+@-]|#\\d+;)*)"';
    const node = new RegExp(`^  n\\d+(?:\\[${label}\\]|\\(\\[${label}\\]\\))$`, 'u');
    const arrow = new RegExp(`^  n\\d+ -- ${label} --> n\\d+$`, 'u');
    for (const l of body.slice(1)) expect([l, node.test(l) || arrow.test(l)]).toEqual([l, true]);
    const decoded = body.join('\n').replace(/#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)));
    expect(decoded).toContain('namespaces team=|a\\|b `c` ``d``` <b>e</b> <script>x</script> &lt;&amp;');
  });
});

describe('the connectivity section stays within its limits', () => {
  const section = (markdown: string) => markdown.slice(markdown.indexOf('## Connectivity'), markdown.indexOf('## Objects'));
  /** What the section says of the matrix and the diagram: its lines of prose, with the size of the whole section. */
  const said = (objects: unknown[]) => {
    const text = section(markdownOf(objects));
    return { lines: text.split('\n').filter(l => /^(The matrix|The diagram|Not rendered)/.test(l)), small: text.length < (1 << 20) + 60_000 };
  };

  test('a matrix of 200 groups on 12 ports each is over 1 MiB: the line that replaces it says so, and the diagram has too many arrows', () => {
    expect(said(worstCase.ports(12))).toEqual({ small: true, lines: [
      'The matrix is not rendered: 201 rows and 201 columns take more than 1048576 characters, what it is rendered up to.',
      'The diagram is not drawn: 40200 arrows, and Mermaid draws up to 500.',
    ] });
  });

  test('past 500,000 ports tried or 20,000,000 steps the matrix is not computed, and the report says why', () => {
    expect(said(worstCase.ports(13)).lines).toEqual(['Not rendered: 200 pod groups, 2600 ports and policy rules of 0 parts make '
      + '517400 tries of a port; the matrix is computed for up to 500000.']);
    expect(said(worstCase.rules(5000)).lines).toEqual(['Not rendered: 200 pod groups, 1000200 ports and policy rules of 2001000 parts make '
      + '200039800 tries of a port; the matrix is computed for up to 500000.']);
    expect(said(worstCase.selectors(100)).lines).toEqual(['Not rendered: 200 pod groups, 200 ports and policy rules of 80800 parts '
      + 'take 32239200 steps; the matrix is computed for up to 20000000.']);
  });

  test('hundreds of peers outside the manifests make too many cells, and too many arrows', () => {
    expect(said(worstCase.peers(60))).toEqual({ small: true, lines: [
      'The matrix is not rendered: 260 rows and 201 columns are 52260 cells; it is rendered up to 50000.',
      'The diagram is not drawn: 12200 arrows, and Mermaid draws up to 500.',
    ] });
  });

  test('labels and ports are cut with a mark, and a cell lists 16 ports and counts the others', () => {
    // Labels past 63 characters are refused by the API server (invalid-manifest): read as if admitted, to bound what they make.
    const c = new PolicyEngine({ strictStructure: false }).evaluate(worstCase.labels(5000)).connectivity;
    expect(c.nodes.length).toBe(202);
    for (const n of c.nodes.filter(x => x.label.length > 50)) expect(n.label).toMatch(/^.{256}…\[5,0\d\d characters\]$/su);
    expect(c.edges.flatMap(e => e.ports).filter(p => p.startsWith('p0-'))[0]).toMatch(/^p0-p{253}…\[5,000 characters\]\/TCP$/);
    expect(said(worstCase.labels(5000)).small).toBe(true);
    const cell = section(markdownOf(worstCase.ports(20).slice(0, 2))).split('\n').find(l => l.startsWith('| ns/w0 |'));
    expect(cell).toBe('| ns/w0 |  | 1000/TCP, 1001/TCP, 1002/TCP, 1003/TCP, 1004/TCP, 1005/TCP, 1006/TCP, 1007/TCP, 1008/TCP, 1009/TCP, 1010/TCP, '
      + '1011/TCP, 1012/TCP, 1013/TCP, 1014/TCP, 1015/TCP and 4 more | any port |');
  });
});

test('a name quoted by every finding is cut in every report, which grows with the findings, not with the name times the findings', () => {
  // A name past 253 characters is refused by the API server (invalid-manifest): read as if admitted, every finding quotes it.
  const report = new PolicyEngine({ strictStructure: false }).evaluate(worstCase.findings(100_000, 50));
  const cut = `${'a'.repeat(1024)}…[100,000 characters]`;
  expect(report.findings.length).toBeGreaterThan(500);
  for (const format of Object.values(ReportFormat)) {
    const text = report.render(format);
    expect([format, text.length < report.findings.length * 3000]).toEqual([format, true]);
    expect([format, text.includes('a'.repeat(1025))]).toEqual([format, false]);
  }
  const json = JSON.parse(report.render(ReportFormat.JSON));
  expect(new Set(json.findings.map((f: { object: { name: string } }) => f.object.name))).toEqual(new Set([cut]));
  expect(json.objects[0].object.name).toBe(cut);
  const sarif = JSON.parse(report.render(ReportFormat.SARIF));
  expect(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^Pod\/ns\/a{1024}…\[100,000 characters\]/);
});

test('SARIF of names holding controls, bidirectional overrides, separators and lone surrogates is JSON that quotes them escaped', () => {
  const report = new PolicyEngine().evaluate(hostileObjects());
  const text = report.render(ReportFormat.SARIF);
  const sarif = JSON.parse(text);
  expect(text.trimEnd()).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  const messages = sarif.runs[0].results.map((r: any) => [r.message.text, r.locations[0].logicalLocations[0].fullyQualifiedName,
    r.partialFingerprints['cdk8sSecure/v1']]).flat().join(' ');
  expect(messages).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
  expect(messages).toContain('\\u202eq\\u2028r\\u2029s\\u200b \\ud800');
});

test('SARIF of a file name holding a lone surrogate names it as the file system does, with U+FFFD, absolute or relative', () => {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const uris = ['dir/a\ud800b.yaml', '/abs/a\ud800b.yaml'].map(file => {
    const sarif = JSON.parse(new PolicyEngine().evaluateDocuments([{ manifest: pod, file, documentIndex: 0 }]).render(ReportFormat.SARIF));
    return sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri;
  });
  expect(uris).toEqual(['dir/a%EF%BF%BDb.yaml', 'file:///abs/a%EF%BF%BDb.yaml']);
});
