import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, App, Chart, Names, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { markGuarded } from './guard-registry';
import { ManifestDocument, PolicyEngine } from './policy/engine';
import { imageRecord } from './policy/image-record';
import { ImagePolicy } from './supply-chain/image-policy';
import { Pack } from './policy/packs/pack';
import { parsePssVersion } from './policy/pss-version';
import { formatFinding } from './policy/report/describe';
import { Report, ReportFormat } from './policy/report/report';
import { renderSynthSummary } from './policy/report/text';
import { SuppressionPolicy } from './policy/suppression-policy';
import { Suppressions } from './suppressions';
import { manifestOf } from './manifest';
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
export interface GuardOptions {
  /**
   * The rule pack.
   * @default Packs.DEFAULT
   */
  readonly pack?: Pack;
  /**
   * Registries (optionally with a path prefix) images may come from.
   * @default - the trusted-registry rule is not applicable
   */
  readonly trustedRegistries?: string[];
  /**
   * The Pod Security Admission policy version the Pod Security Standards rules are checked at
   * ("v1.0" to the newest version the engine knows, or "latest"): the version your namespaces'
   * enforce-version label names.
   * @default "v1.28" (what SecureNamespace labels)
   */
  readonly pssVersion?: string;
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
  /**
   * Which suppressions count: exemptions and `Suppressions` of your constructs, and the
   * annotations of included YAML and Helm output alike. Refused ones fail synth like any
   * unsuppressed error and are listed as refused in the reports.
   * @default SuppressionPolicy.all()
   */
  readonly suppressionPolicy?: SuppressionPolicy;
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
    // A bad version fails here, where it was given, not at synth.
    if (options.pssVersion !== undefined) parsePssVersion(options.pssVersion);
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
    return this.engine().evaluateDocuments(documentsUnder(this.guarded));
  }

  /** The engine with this Guard's pack, and the trusted registries and image lock of the ImagePolicy that covers its scope. */
  private engine(): PolicyEngine {
    const policy = ImagePolicy.of(this);
    return new PolicyEngine({
      pack: this.options.pack,
      pssVersion: this.options.pssVersion,
      trustedRegistries: this.options.trustedRegistries ?? policy?.trustedRegistries,
      imageLock: policy?.lock,
      maxImageAgeDays: policy?.maxAgeDays,
      now: policy?.now.toISOString(),
      suppressionPolicy: this.options.suppressionPolicy,
    });
  }

  private validateScope(): string[] {
    // Once per synth, however many times cdk8s validates during it.
    return memoInSynth(this, this, () => {
      const documents = documentsUnder(this.guarded);
      const report = this.engine().evaluateDocuments(documents);
      this.lastReport = report;
      this.writeReports(report);
      if (this.options.printSummary ?? true) process.stderr.write(renderSynthSummary(report));
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

/** Every ApiObject under `scope` as a document, with its construct path, file and suppressions. */
export function documentsUnder(scope: IConstruct): ManifestDocument[] {
  const app = App.of(scope) as App;
  const perChart = app.yamlOutputType === undefined || app.yamlOutputType === YamlOutputType.FILE_PER_CHART;
  const documents: ManifestDocument[] = [];
  // One file name per chart (the name hashes the chart's path), not one per object.
  const files = new Map<Chart, string>();
  const fileOf = (chart: Chart) => {
    let file = files.get(chart);
    if (file === undefined) files.set(chart, file = `${Names.toDnsLabel(chart)}${app.outputFileExtension ?? '.k8s.yaml'}`);
    return file;
  };
  for (const c of scope.node.findAll()) {
    if (!ApiObject.isApiObject(c)) continue;
    documents.push({
      manifest: manifestOf(c),
      constructPath: c.node.path,
      file: perChart ? fileOf(Chart.of(c)) : undefined,
      suppressions: Suppressions.of(c),
    });
  }
  return documents;
}
