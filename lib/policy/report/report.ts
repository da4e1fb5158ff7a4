import * as fs from 'fs';
import { Connectivity } from '../connectivity';
import { Finding, ObjectRef, RuleInfo, RuleStatus, Severity } from '../model';
import type { PodViewOf } from '../pod-view';
import { DEFAULT_PSS_VERSION, parsePssVersion } from '../pss-version';
import { connectivityOf } from '../reachability';
import { writeJson } from './json';
import { writeMarkdown } from './markdown';
import { writeSarif } from './sarif';
import { writeText } from './text';

/** The size of the buffer `_writeFile` fills before it writes (bytes). */
const WRITE_BUFFER = 1 << 20;
/** About how long the pieces `_renderInChunks` gives out are (characters): under V8's large objects, so each dies young. */
const CHUNK_CHARS = 1 << 16;
/** How many distinct rows of statuses `_byStatusRow` keeps what it rendered for. */
const ROWS_KEPT = 1024;

/** Status codes of the compact status table: the index is the code. */
export const STATUS_CODES: readonly RuleStatus[] = [RuleStatus.NOT_APPLICABLE, RuleStatus.COMPLIANT, RuleStatus.NON_COMPLIANT, RuleStatus.SUPPRESSED];

/**
 * A rule as it ran: its metadata and the severity the pack gave it.
 */
export interface ReportRule extends RuleInfo {
  /** Severity in the pack that produced the report. */
  readonly severity: Severity;
}

/**
 * Counts for the summary line `objects=N errors=E warnings=W suppressed=S`.
 */
export interface ReportSummary {
  /** Objects (documents) evaluated. */
  readonly objects: number;
  /** Unsuppressed error findings. */
  readonly errors: number;
  /** Unsuppressed warning findings. */
  readonly warnings: number;
  /** Unsuppressed info findings. */
  readonly infos: number;
  /** Findings covered by a suppression with a reason. */
  readonly suppressed: number;
}

/**
 * The output formats every report renders to.
 */
export enum ReportFormat {
  /** Human-readable findings and summary. */
  TEXT = 'text',
  /** The whole report model, every rule for every object included. */
  JSON = 'json',
  /** SARIF 2.1.0, for GitHub code scanning and other SARIF viewers. */
  SARIF = 'sarif',
  /** Markdown, for pull request comments and audit records. */
  MARKDOWN = 'markdown',
}

/**
 * How a report is rendered.
 */
export interface RenderOptions {
  /**
   * Add the status counts of every rule (compliant, non-compliant, suppressed, not applicable)
   * to the text report; JSON, SARIF and Markdown always carry every rule.
   * @default false
   */
  readonly verbose?: boolean;
}

/**
 * The one report model: rendered into text, JSON, SARIF and Markdown.
 */
export class Report {
  /** Name of the pack that ran. */
  public readonly pack: string;
  /** The Pod Security Admission policy version the Pod Security Standards rules were checked at, as given ("v1.28", "latest"). */
  public readonly pssVersion: string;
  /** The policy whose behaviours that version selects: "latest" is the newest ("v1.37"), and so is a version past it. */
  public readonly pssPolicyVersion: string;
  /** Rules that ran, in pack order. */
  public readonly rules: ReportRule[];
  /** Every object evaluated, in input order. */
  public readonly objects: ObjectRef[];
  /** Every finding, suppressed ones included. */
  public readonly findings: Finding[];
  /** The summary counts. */
  public readonly summary: ReportSummary;
  private readonly statuses: Uint8Array;
  private manifests: readonly any[] = [];
  private computedConnectivity: Connectivity | undefined = undefined;

  /**
   * @param pack name of the pack that ran
   * @param rules rules in pack order
   * @param objects objects in input order
   * @param statuses per object, the status code of each rule (aligned with `rules`; see `STATUS_CODES`), flattened
   * @param findings every finding
   * @param pssVersion the policy version the PSS rules were checked at
   */
  constructor(
    pack: string, rules: ReportRule[], objects: ObjectRef[], statuses: number[], findings: Finding[], pssVersion: string = DEFAULT_PSS_VERSION,
  ) {
    this.pack = pack;
    this.pssVersion = pssVersion;
    this.pssPolicyVersion = `v1.${parsePssVersion(pssVersion).minor}`;
    this.rules = rules;
    this.objects = objects;
    this.statuses = statuses instanceof Uint8Array ? statuses : Uint8Array.from(statuses);
    this.findings = findings;
    let errors = 0, warnings = 0, infos = 0, suppressed = 0;
    // Indexed: a for...of allocates an iterator result per finding in a constructor run once per report (never optimised).
    for (let i = 0; i < findings.length; i++) {
      const f = findings[i];
      if (f.suppressed) suppressed++;
      else if (f.severity === Severity.ERROR) errors++;
      else if (f.severity === Severity.WARNING) warnings++;
      else infos++;
    }
    this.summary = { objects: objects.length, errors, warnings, infos, suppressed };
  }

  /**
   * Keeps the evaluated manifests, from which `connectivity` is computed when first asked.
   * @internal
   */
  public _withManifests(manifests: readonly any[]): this {
    this.manifests = manifests;
    return this;
  }

  /**
   * Works out what the report reads of the manifests now (its connectivity) and lets go of them, so
   * that a synth need not hold every object's JSON until the report is written. `viewOf` gives a manifest's pod view.
   * @internal
   */
  public _releaseManifests(viewOf?: PodViewOf): this {
    this.computedConnectivity ??= connectivityOf(this.manifests, viewOf);
    this.manifests = [];
    return this;
  }

  /** Who can reach whom, and on which ports, under the NetworkPolicies of the objects evaluated (computed on first use). */
  public get connectivity(): Connectivity {
    return this.computedConnectivity ??= connectivityOf(this.manifests);
  }

  /** Whether any unsuppressed error finding exists. */
  public get hasErrors(): boolean {
    return this.summary.errors > 0;
  }

  /** Unsuppressed findings of severity error. */
  public get errors(): Finding[] {
    return this.findings.filter(f => !f.suppressed && f.severity === Severity.ERROR);
  }

  /**
   * The status of every rule for the object at `objectIndex`, keyed by rule id.
   */
  public statusesOf(objectIndex: number): { [ruleId: string]: RuleStatus } {
    if (!(objectIndex >= 0 && objectIndex < this.objects.length)) {
      throw new Error(`objectIndex ${objectIndex} is out of range (0..${this.objects.length - 1})`);
    }
    const result: { [ruleId: string]: RuleStatus } = {};
    const base = objectIndex * this.rules.length;
    this.rules.forEach((r, i) => { result[r.id] = STATUS_CODES[this.statuses[base + i]]; });
    return result;
  }

  /**
   * `render` for the object at an index, called once per distinct row of statuses (objects that fare
   * alike share it: a report of thousands of like workloads has a handful of rows). `render` must read
   * nothing of the object but its statuses.
   * @internal
   */
  public _byStatusRow(render: (objectIndex: number) => string): (objectIndex: number) => string {
    const rows = new Map<string, string>();
    const width = this.rules.length;
    // A row's key is its status codes read as Latin-1 text: one native call an object, with no array view made for it.
    const codes = Buffer.from(this.statuses.buffer, this.statuses.byteOffset, this.statuses.byteLength);
    return i => {
      const key = codes.toString('latin1', i * width, (i + 1) * width);
      let text = rows.get(key);
      if (text === undefined) {
        if (rows.size >= ROWS_KEPT) rows.clear();
        rows.set(key, text = render(i));
      }
      return text;
    };
  }

  /**
   * The status of the rule at `ruleIndex` (in `rules`) for the object at `objectIndex`.
   * @internal
   */
  public _status(objectIndex: number, ruleIndex: number): RuleStatus {
    return STATUS_CODES[this.statuses[objectIndex * this.rules.length + ruleIndex]];
  }

  /** How many objects have each status for the rule at `ruleIndex` (in `rules`). */
  public statusCounts(ruleIndex: number): { [status: string]: number } {
    const counts = [0, 0, 0, 0];
    for (let o = ruleIndex; o < this.statuses.length; o += this.rules.length) counts[this.statuses[o]]++;
    const result: { [status: string]: number } = {};
    STATUS_CODES.forEach((status, code) => { result[status] = counts[code]; });
    return result;
  }

  /** How many rules have each status for the object at `objectIndex`. */
  public objectStatusCounts(objectIndex: number): { [status: string]: number } {
    const counts = [0, 0, 0, 0];
    const base = objectIndex * this.rules.length;
    for (let i = 0; i < this.rules.length; i++) counts[this.statuses[base + i]]++;
    const result: { [status: string]: number } = {};
    STATUS_CODES.forEach((status, code) => { result[status] = counts[code]; });
    return result;
  }

  /**
   * The same report with the object at index `i` (and its findings) placed in `files[i]`,
   * where that is given: the Guard learns the files cdk8s wrote only after it evaluated.
   * @internal
   */
  public _withFiles(files: ReadonlyArray<string | undefined>): Report {
    const moved = new Map<ObjectRef, ObjectRef>();
    const objects = this.objects.map((o, i) => {
      const file = files[i];
      if (file === undefined) return o;
      const ref = { ...o, file };
      moved.set(o, ref);
      return ref;
    });
    const findings = this.findings.map(f => (moved.has(f.object) ? { ...f, object: moved.get(f.object)! } : f));
    const report = new Report(this.pack, this.rules, objects, this.statuses as unknown as number[], findings, this.pssVersion);
    report.computedConnectivity = this.computedConnectivity;
    return report._withManifests(this.manifests);
  }

  /** The line every front door prints last: `objects=N errors=E warnings=W suppressed=S`. */
  public summaryLine(): string {
    const s = this.summary;
    return `objects=${s.objects} errors=${s.errors} warnings=${s.warnings} suppressed=${s.suppressed}`;
  }

  /** Renders the report in `format`. */
  public render(format: ReportFormat, options: RenderOptions = {}): string {
    const pieces: string[] = [];
    this._renderTo(format, options, piece => pieces.push(piece));
    return pieces.join('');
  }

  /**
   * Gives `out` the report in `format` in pieces of about CHUNK_CHARS characters, never as one string: a text report of a
   * million findings is ~300 MB, which joined (as `render` joins it) took more memory than the findings.
   * @internal
   */
  public _renderInChunks(format: ReportFormat, options: RenderOptions, out: (text: string) => void): void {
    let pieces: string[] = [];
    let chars = 0;
    this._renderTo(format, options, piece => {
      pieces.push(piece);
      chars += piece.length;
      if (chars < CHUNK_CHARS) return;
      out(pieces.join(''));
      pieces = [];
      chars = 0;
    });
    if (pieces.length > 0) out(pieces.join(''));
  }

  /**
   * Writes the report in `format` to `file` through one buffer of a megabyte: a large report is
   * never one string (the JSON of 10,000 objects is ~28 MB), nor are its pieces joined into strings
   * of a megabyte that live until a full collection. The file is written over from its start and then
   * cut to the report's length, not emptied first: the reports of the last synth are there at every synth
   * but the first, and truncating them freed their blocks only for the same write to allocate them again.
   * @internal
   */
  public _writeFile(file: string, format: ReportFormat, options: RenderOptions = {}): void {
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT, 0o666);
    let written = 0;
    try {
      const buffer = Buffer.allocUnsafe(WRITE_BUFFER);
      let used = 0;
      const flush = () => {
        for (let at = 0; at < used;) at += fs.writeSync(fd, buffer, at, used - at);
        written += used;
        used = 0;
      };
      this._renderTo(format, options, piece => {
        // A UTF-16 code unit is at most 3 bytes of UTF-8: only a piece that may not fit is measured.
        const bytes = used + piece.length * 3 <= WRITE_BUFFER ? 0 : Buffer.byteLength(piece);
        if (used + bytes > WRITE_BUFFER) flush();
        if (bytes > WRITE_BUFFER) written += fs.writeSync(fd, piece);
        else used += buffer.write(piece, used);
      });
      flush();
    } finally {
      try {
        // What the file held past the report goes (a pipe or a device has no length to cut).
        const stat = fs.fstatSync(fd);
        if (stat.isFile() && stat.size > written) fs.ftruncateSync(fd, written);
      } finally {
        fs.closeSync(fd);
      }
    }
  }

  /**
   * Renders the report in `format` to `write`, piece by piece.
   * @internal
   */
  public _renderTo(format: ReportFormat, options: RenderOptions, write: (text: string) => void): void {
    switch (format) {
      case ReportFormat.TEXT: return writeText(this, write, options.verbose);
      case ReportFormat.JSON: return writeJson(this, write);
      case ReportFormat.SARIF: return writeSarif(this, write);
      case ReportFormat.MARKDOWN: return writeMarkdown(this, write);
      default: throw new Error(`unknown report format "${format}"; use one of ${Object.values(ReportFormat).join(', ')}`);
    }
  }
}
