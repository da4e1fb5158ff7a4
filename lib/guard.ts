import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { checkGuardOptions, checkScope } from './guard-options';
import { DEFAULT_PSS_VERSION, imageRecord, ImageRecordEntry, PolicyEngine, renderSynthSummary, Report, ReportFormat } from './policy';
import { checkReportDir, defaultReportDir, makeReportDir, writeReportFile } from './report-dir';
import { scopeCheck, ScopeCheckOptions } from './scope-check';
import { SynthPass } from './synth-pass';
import { ioFailure } from './vocab/bounded-read';
import { brand, hasBrand } from './vocab/brand';

const EXTENSIONS: { [f in ReportFormat]: string } = {
  text: '.txt',
  json: '.json',
  sarif: '.sarif',
  markdown: '.md',
};

/**
 * Options of a Guard (and of `Compliance` in tests).
 */
export interface GuardOptions extends ScopeCheckOptions {
  /**
   * Report formats written into `reportDir` after a synth.
   * @default - text, JSON, SARIF and Markdown
   */
  readonly reportFormats?: ReportFormat[];
  /**
   * Folder the reports and `images.json` are written to. Never the App's outdir, which holds
   * only Kubernetes manifests (so `kubectl apply -f dist/` and `cdk8s-secure check dist` see
   * nothing else).
   * @default - "compliance" beside the App's outdir (for outdir "dist", "compliance")
   */
  readonly reportDir?: string;
  /**
   * File name (without extension) of the reports.
   * @default "compliance"
   */
  readonly reportName?: string;
  /**
   * Print the text report to stdout at synth.
   * @default false
   */
  readonly printReport?: boolean;
  /**
   * Write `images.json` into `reportDir`: every image the app runs, whether it is pinned
   * by digest, and which workloads use it.
   * @default true
   */
  readonly imageRecord?: boolean;
  /**
   * Print the summary line and one line per rule with warnings to stderr at synth (stdout stays
   * for `cdk8s synth --stdout`).
   * @default true
   */
  readonly printSummary?: boolean;
}

/**
 * Front door 1: checks every ApiObject under a scope at synth — Secure* constructs,
 * plain cdk8s-plus, raw ApiObjects, Include and Helm alike. Error findings fail
 * `app.synth()`, `Testing.synth()` and `cdk8s synth` with one message listing each
 * finding; after a synth the report is written into `reportDir`, beside the manifests.
 */
export class Guard extends Construct {
  /** Whether `x` is a Guard (of any installed copy of this library). */
  public static isGuard(x: any): x is Guard {
    return hasBrand(x, 'Guard');
  }

  /**
   * Attaches a Guard to an App or a Chart.
   */
  public static attach(scope: IConstruct, options: GuardOptions = {}): Guard {
    checkScope(scope, 'Guard.attach');
    checkGuardOptions(options, 'Guard.attach');
    // cdk8s brands Charts and ApiObjects but not Apps, and instanceof would miss another cdk8s copy's
    // App: the root is asked for what the Guard needs of it, its outdir.
    if (typeof (App.of(scope) as Partial<App>).outdir !== 'string') {
      throw new Error(`Guard.attach: "${scope.node.path}" is not in a cdk8s App, beside whose outdir the reports go; `
        + 'attach the Guard under an App (Testing.app() in tests), or check the tree with Compliance');
    }
    const existing = Guard.of(scope);
    if (existing && existing.node.scope === scope) {
      throw new Error(`a Guard is already attached to "${scope.node.path || '(app)'}"; attach one Guard per scope`);
    }
    return new Guard(scope, 'SecureGuard', options);
  }

  /**
   * The Guard attached to `construct` or to its nearest scope that has one.
   */
  public static of(construct: IConstruct): Guard | undefined {
    checkScope(construct, 'Guard.of');
    for (const scope of [...construct.node.scopes].reverse()) {
      const guard = scope.node.tryFindChild('SecureGuard');
      if (Guard.isGuard(guard)) return guard;
    }
    return undefined;
  }

  private readonly options: GuardOptions;
  private readonly guarded: IConstruct;
  private readonly reportDir: string;
  private lastReport?: Report;

  private constructor(scope: IConstruct, id: string, options: GuardOptions) {
    super(scope as Construct, id);
    brand(this, 'Guard');
    this.options = options;
    this.guarded = scope;
    const outdir = App.of(scope).outdir;
    this.reportDir = options.reportDir ?? defaultReportDir(outdir);
    checkReportDir(this.reportDir, outdir);
    SynthPass.of(scope).addGuard({
      scope,
      checkOptions: options,
      evaluated: report => {
        this.lastReport = report;
        if (this.options.printSummary ?? true) process.stderr.write(renderSynthSummary(report));
      },
      writer: (_, documents, viewOf) => {
        const images = this.options.imageRecord ?? true ? imageRecord(documents, viewOf) : undefined;
        return written => {
          this.lastReport = written;
          this.writeReports(written);
          if (images) this.writeImageRecord(images);
        };
      },
    });
  }

  /** The Pod Security Admission policy version the Guard checks the PSS rules at ("v1.28" unless given; "latest" as given). */
  public get pssVersion(): string {
    return this.options.pssVersion ?? DEFAULT_PSS_VERSION;
  }

  /** The report of the most recent synth, if there was one. */
  public get report(): Report | undefined {
    return this.lastReport;
  }

  /**
   * Evaluates every ApiObject under the guarded scope now.
   */
  public evaluate(): Report {
    const { options, documents } = scopeCheck(this.guarded, this.options);
    return new PolicyEngine(options).evaluateDocuments(documents);
  }

  private writeImageRecord(images: ImageRecordEntry[]): void {
    makeReportDir(this.reportDir);
    const record = { tool: 'cdk8s-secure', images };
    writing(path.join(this.reportDir, 'images.json'), file => fs.writeFileSync(file, JSON.stringify(record, null, 2) + '\n'));
  }

  private writeReports(report: Report): void {
    const formats = this.options.reportFormats ?? Object.values(ReportFormat);
    if (this.options.printReport) report._renderInChunks(ReportFormat.TEXT, {}, text => process.stdout.write(text));
    if (formats.length === 0) return;
    makeReportDir(this.reportDir);
    const name = this.options.reportName ?? 'compliance';
    for (const format of formats) writing(path.join(this.reportDir, `${name}${EXTENSIONS[format]}`), file => report._writeFile(file, format));
  }
}

/**
 * Writes `file` with `write`, never through a link (a symbolic link or a hard link committed into the report folder would
 * have the synth write over the file it names): report-dir.ts. A failure names the file and why (EACCES, EISDIR, ENOSPC).
 */
function writing(file: string, write: (file: string) => void): void {
  try {
    writeReportFile(file, write, false);
  } catch (e) {
    throw new Error(`cannot write the report ${file}: ${ioFailure(e)}`);
  }
}
