import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { markGuarded } from './guard-registry';
import { ManifestDocument, PolicyEngine } from './policy/engine';
import { imageRecord } from './policy/image-record';
import { formatFinding } from './policy/report/describe';
import { Report, ReportFormat } from './policy/report/report';
import { scopeCheck, ScopeCheckOptions } from './scope-check';
import { memoInSynth, trackSynth } from './synth-scope';

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
   * Report formats written beside the manifests (into the App's outdir).
   * @default - text, JSON, SARIF and Markdown
   */
  readonly reportFormats?: ReportFormat[];
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
   * Write `images.json` beside the manifests: every image the app runs, whether it is pinned
   * by digest, and which workloads use it.
   * @default true
   */
  readonly imageRecord?: boolean;
}

/**
 * Front door 1: checks every ApiObject under a scope at synth — Secure* constructs,
 * plain cdk8s-plus, raw ApiObjects, Include and Helm alike. Error findings fail
 * `app.synth()`, `Testing.synth()` and `cdk8s synth` with one message listing each
 * finding; the report is written beside the manifests.
 */
export class Guard extends Construct {
  /**
   * Attaches a Guard to an App or a Chart.
   */
  public static attach(scope: IConstruct, options: GuardOptions = {}): Guard {
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
    for (const scope of [...construct.node.scopes].reverse()) {
      const guard = scope.node.tryFindChild('SecureGuard');
      if (guard instanceof Guard) return guard;
    }
    return undefined;
  }

  private readonly options: GuardOptions;
  private readonly guarded: IConstruct;
  private lastReport?: Report;

  private constructor(scope: IConstruct, id: string, options: GuardOptions) {
    super(scope as Construct, id);
    this.options = options;
    this.guarded = scope;
    markGuarded(scope);
    trackSynth(this);
    this.node.addValidation({ validate: () => this.validateScope() });
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

  private validateScope(): string[] {
    // Once per synth, however many times cdk8s validates during it.
    return memoInSynth(this, this, () => {
      const { options, documents } = scopeCheck(this.guarded, this.options);
      const report = new PolicyEngine(options).evaluateDocuments(documents);
      this.lastReport = report;
      this.writeReports(report);
      if (this.options.imageRecord ?? true) this.writeImageRecord(documents);
      return report.errors.map(f => `${f.object.constructPath}: ${formatFinding(f)}`);
    });
  }

  private writeImageRecord(documents: ManifestDocument[]): void {
    const outdir = App.of(this.guarded).outdir;
    fs.mkdirSync(outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, 'images.json'), JSON.stringify({ tool: 'cdk8s-secure', images: imageRecord(documents) }, null, 2) + '\n');
  }

  private writeReports(report: Report): void {
    const formats = this.options.reportFormats ?? Object.values(ReportFormat);
    const text = this.options.printReport || formats.includes(ReportFormat.TEXT) ? report.render(ReportFormat.TEXT) : '';
    if (this.options.printReport) process.stdout.write(text);
    if (formats.length === 0) return;
    const outdir = App.of(this.guarded).outdir;
    fs.mkdirSync(outdir, { recursive: true });
    for (const format of formats) {
      const file = path.join(outdir, `${this.options.reportName ?? 'compliance'}${EXTENSIONS[format]}`);
      fs.writeFileSync(file, format === ReportFormat.TEXT ? text : report.render(format));
    }
  }
}
