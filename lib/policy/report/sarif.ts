import * as path from 'path';
import { pathToFileURL } from 'url';
import { Finding, Severity } from '../model';
import { VERSION } from '../version';
import { findingLine } from '../yaml/sources';
import { STDIN_NAME } from '../yaml-loader';
import { boundedFinding, escapeText } from './escape';
import type { Report, ReportRule } from './report';

const LEVEL: { [s in Severity]: string } = { error: 'error', warning: 'warning', info: 'note' };
// GitHub code scanning ranks security alerts by this property (0.0-10.0).
const SECURITY_SEVERITY: { [s in Severity]: string } = { error: '8.0', warning: '5.0', info: '2.0' };

// SARIF wants a rule name that a person understands and that differs from the opaque id (SARIF1001):
// the title in PascalCase ("No privileged containers" -> "NoPrivilegedContainers").
function ruleName(rule: ReportRule): string {
  return rule.title.split(/[^A-Za-z0-9]+/).filter(Boolean).map(w => w.charAt(0).toUpperCase() + w.slice(1)).join('');
}

// An absolute path becomes a file:// URI; a relative one a relative reference against the directory
// the check ran in (which code scanning takes for the repository root). Both percent-encoded, with
// forward slashes: a bare "/abs/path" is a relative reference that no base URI combines with (SARIF1004).
// A lone surrogate, which no file name on disk holds (UTF-8 has none: the file is written with U+FFFD), is U+FFFD in
// both, as pathToFileURL makes it: encodeURIComponent would throw on it.
function artifactUri(file: string): string {
  if (path.isAbsolute(file)) return pathToFileURL(file).href;
  return file.replace(/\p{Cs}/gu, '\ufffd').split(path.sep).join('/').split('/').map(encodeURIComponent).join('/');
}

function tags(rule: ReportRule): string[] {
  const m = rule.mapping;
  return [
    'security',
    ...m.nist800190.map(s => `nist-800-190/${s}`),
    ...(m.cis ?? []).map(s => `cis-kubernetes/${s}`),
    ...(m.pss ? [`pss/${m.pss.level}`] : []),
    `step/${m.step}`,
  ];
}

function helpMarkdown(rule: ReportRule): string {
  const m = rule.mapping;
  const rows = [
    `**${rule.title}**`, '', rule.description, '', `**Fix:** ${rule.remediation}`, '',
    `- NIST SP 800-190: ${m.nist800190.length ? m.nist800190.join(', ') : '-'}`,
    `- CIS Kubernetes Benchmark: ${m.cis?.length ? m.cis.join(', ') : '-'}`,
    `- Pod Security Standards: ${m.pss ? `${m.pss.level} / ${m.pss.control}` : '-'}`,
  ];
  return rows.join('\n');
}

const json = JSON.stringify;

/** `,"key":value` as JSON.stringify writes a member of an object, or nothing where it leaves the member out (undefined); `key` is a plain name. */
function member(key: string, value: unknown): string {
  const text = json(value);
  return text === undefined ? '' : `,"${key}":${text}`;
}

// A result and its location are written as JSON.stringify writes the objects they are, members in
// this order, without making the objects: there is one for every finding. Findings given to a Report
// from plain JavaScript may hold anything, so a member whose value JSON.stringify leaves out is left out.
function location(f: Finding, line: number | undefined, uriOf: (file: string) => string): string {
  // Kind/namespace/name, and /container for a container: the namespace is always there ("-" for
  // none, which no namespace can be called), so an object's name is never read as a container's.
  const name = `${f.object.namespace ?? '-'}/${f.object.name}`;
  const fullyQualifiedName = escapeText(`${f.object.kind}/${name}${f.container ? `/${f.container}` : ''}`);
  // The line of the field where the document was read from YAML, else the document's first line.
  const physical = f.object.file && f.object.file !== STDIN_NAME
    ? `,"physicalLocation":{"artifactLocation":{"uri":${json(uriOf(f.object.file))}},`
      + `"region":{${member('startLine', line ?? f.object.line ?? 1).slice(1)}}}`
    : '';
  return `{"logicalLocations":[{"fullyQualifiedName":${json(fullyQualifiedName)},"kind":"resource"}],`
    + `"message":{"text":${json(escapeText(f.path))}}${physical}}`;
}

/** SARIF 2.1.0: rule metadata with help text, one result per finding, suppressions in-source; given to `write` a result at a time. */
export function writeSarif(report: Report, write: (text: string) => void): void {
  const ruleIndex = new Map(report.rules.map((r, i) => [r.id, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'cdk8s-secure',
          version: VERSION,
          semanticVersion: VERSION,
          informationUri: 'https://www.npmjs.com/package/cdk8s-secure',
          rules: report.rules.map(r => ({
            id: r.id,
            name: ruleName(r),
            shortDescription: { text: r.title },
            fullDescription: { text: r.description },
            help: { text: `${r.description} Fix: ${r.remediation}`, markdown: helpMarkdown(r) },
            defaultConfiguration: { level: LEVEL[r.severity] },
            properties: { 'tags': tags(r), 'security-severity': SECURITY_SEVERITY[r.severity], 'mapping': r.mapping },
          })),
        },
      },
      // SARIF's place for facts about the run (2.1.0 section 3.19.20).
      properties: { pack: report.pack, pssVersion: report.pssVersion, pssPolicyVersion: report.pssPolicyVersion },
      // Written after the rest, one by one: the last member of the run, which is the last of the log.
      results: [] as unknown[],
    }],
  };
  const head = JSON.stringify(sarif);
  write(`${head.slice(0, -']}]}'.length)}`);
  // Findings come grouped by object, so mostly from the file before.
  let file: string | undefined;
  let uri = '';
  const uriOf = (f: string) => (f === file ? uri : (uri = artifactUri(file = f)));
  report.findings.forEach((f, i) => write((i ? ',' : '') + result(f, ruleIndex, uriOf)));
  write(']}]}\n');
}

function result(finding: Finding, ruleIndex: ReadonlyMap<string, number>, uriOf: (file: string) => string): string {
  // Names and texts from manifests cut past MAX_QUOTED_CHARS (escape.ts), as in every report; the line is the finding's own.
  const f = boundedFinding(finding);
  const index = ruleIndex.get(f.ruleId);
  // Escaped like the texts: a control or a lone surrogate in a name is no text a SARIF reader should have to hold.
  const fingerprint = escapeText([f.ruleId, f.object.kind, f.object.namespace ?? '', f.object.name, f.container ?? '', f.path].join('|'));
  // A refused suppression is SARIF's "rejected" one: the result stays open.
  const suppressions = f.suppressionReason === undefined ? '' : `,"suppressions":[{"kind":"inSource",`
    + `"status":"${f.suppressed ? 'accepted' : 'rejected'}","justification":${json(escapeText(f.suppressionReason))}}]`;
  // Members from the message on are always there: the first one's comma goes.
  const members = `${member('ruleId', f.ruleId)}${index === undefined ? '' : `,"ruleIndex":${index}`}${member('level', LEVEL[f.severity])}`
    + `,"message":{"text":${json(escapeText(`${f.message}. Fix: ${f.remediation}`))}},"locations":[${location(f, findingLine(finding), uriOf)}],`
    + `"partialFingerprints":{"cdk8sSecure/v1":${json(fingerprint)}}${suppressions}`;
  return `{${members.slice(1)}}`;
}
