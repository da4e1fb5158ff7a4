// One pass per App does everything cdk8s-secure checks at synth. cdk8s validates the whole
// app once in App.synth() and again in every chart.toJson() that synth makes, and offers no
// hook for "a synth starts" or "the files are written". So, once per loaded copy of cdk8s (and
// once for another copy's App class when a pass is made under its App), this module wraps
// App.synth, App.synthYaml, Chart.toJson (which Testing.synth calls) and Yaml.save, and within a synth
// that writes a file per object in a folder per chart, each ApiObject's toJson:
// this is the library's one hook into cdk8s. It gives every App synthesised while the library
// is loaded its pass, so YAML carrying a guarantee (an Include, a Helm chart, a raw ApiObject)
// is held to it in an app with no cdk8s-secure construct and no Guard. Per synth the pass
//   1. writes the suppression annotations of every ApiObject,
//   2. serialises each ApiObject once,
//   3. evaluates each Guard's scope in one engine evaluation, and the objects no Guard
//      covers on what their manifests guarantee in one more, and runs the checks registered
//      beside (namespace quotas), all on the same JSON,
//   4. gives cdk8s that JSON to write: within the synth, a chart's toJson() is its objects'
//      manifests from step 2, in the order cdk8s writes them (the chart's dependency order),
//      so what is written is what was checked, and no object is serialised twice (that took
//      ~15% of a secure synth); whoever asks for a chart's manifests before cdk8s has written
//      them (a validation, a Lazy) gets the same JSON,
//   5. after cdk8s has written the manifests, hands each Guard its report, with the names of
//      the files cdk8s wrote, to write beside the manifest folder.
// Within a synth that writes, what the Guards write after it (their image record, the report's
// connectivity) is worked out when the objects are checked, so that an object's JSON is let go
// once cdk8s has saved it to its file (Yaml.save given the pass's own manifest objects), as cdk8s
// itself does: the JSON of every object is not held to the end. Let go on first ask instead, a
// second ask (a validation calling chart.toJson()) would leave cdk8s to write a new serialisation,
// which a token that changes between calls makes differ from what was checked.
// Outside a synth (Testing.synth(chart), chart.toJson()) the pass runs on every validation,
// so a change made between two calls is always seen.
import * as path from 'path';
import { ApiObject, App, Chart, DependencyGraph, Names, Yaml, YamlOutputType } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { serialised } from './manifest';
import { Finding, formatFinding, GUARANTEES_ANNOTATION, ManifestDocument, PolicyEngine, podViewOf, PodViewOf, Report } from './policy';
import { GUARANTEES_ONLY_PACK, scopeCheck, ScopeCheckOptions } from './scope-check';
import { writeSuppressionAnnotations } from './suppressions';

/** A Guard as the pass sees it: a scope, how to check it, and what to do with the result. */
export interface GuardedScope {
  readonly scope: IConstruct;
  readonly checkOptions: ScopeCheckOptions;
  /** Called with each evaluation of the scope (every validation outside a synth, once per synth). */
  evaluated(report: Report, documents: ManifestDocument[]): void;
  /**
   * Called in a synth that writes files, after `evaluated`, while the manifests are at hand (`viewOf` gives a
   * manifest's pod view): returns what to do once cdk8s has written them, given the report naming the files it
   * wrote. The manifests are let go after.
   */
  writer(report: Report, documents: ManifestDocument[], viewOf: PodViewOf): (written: Report) => void;
}

/** The manifests of one run of the pass, serialised once. */
export interface PassManifests {
  /** Every ApiObject of the App, in tree order. */
  readonly objects: ApiObject[];
  /** The manifest of `obj` as cdk8s writes it. */
  manifestOf(obj: ApiObject): any;
  /** The pod view of one of these manifests, if it carries a pod. */
  podViewOf: PodViewOf;
}

interface Run {
  readonly manifests: HeldManifests;
  /** Every Chart of the App, in tree order. */
  readonly charts: Chart[];
  /** The charts whose manifests the synth asked for, in the order it asked. */
  readonly asked: Chart[];
  readonly problems: string[];
  /** In a synth that writes: each Guard's report and what it does once the manifests are written. */
  readonly evaluations: Array<{ report: Report; write: (written: Report) => void }>;
}

const PASS_ID = 'cdk8s-secure';
/** Marks a cdk8s App or Chart class as hooked, across copies of this library that share one cdk8s. */
const HOOKED = Symbol.for('cdk8s-secure.synth-pass');
/** The passes of the Apps synthesising to files now (an App's validation may synthesise another App). */
const writing = new Set<SynthPass>();

/**
 * The synth pass of an App (internal: Guards, Secure* workloads, namespaces and suppressions
 * register with it).
 */
export class SynthPass extends Construct {
  /** The pass of `construct`'s App, made on first use. */
  public static of(construct: IConstruct): SynthPass {
    const root = construct.node.root;
    return (root.node.tryFindChild(PASS_ID) as SynthPass | undefined) ?? new SynthPass(root as Construct);
  }

  private readonly guards: GuardedScope[] = [];
  private readonly checks: Array<(manifests: PassManifests) => string[]> = [];
  /** Set while the App synthesises: whether it writes files, and the run of this synth, once made. */
  private synth?: { writes: boolean; run?: Run; answered?: ApiObject[] };
  /**
   * The manifests of the run being made: a chart's toJson() asked meanwhile is answered from them, not by
   * cdk8s's own, which would validate the App, and so run the pass again, within the pass.
   */
  private building?: HeldManifests;

  private constructor(root: Construct) {
    super(root, PASS_ID);
    // The App may come from another installed copy of cdk8s than the one this library loads.
    hookAppClass(Object.getPrototypeOf(root));
    this.node.addValidation({ validate: () => this.validate() });
  }

  /** Adds a Guard's scope. */
  public addGuard(guard: GuardedScope): void {
    this.guards.push(guard);
  }

  /** Adds a check that reads the serialised manifests and returns problems that fail synth. */
  public addCheck(check: (manifests: PassManifests) => string[]): void {
    this.checks.push(check);
  }

  /** Runs `synthesise` (App.synth or synthYaml) as one synth: one run of the pass, reports after `writes`. */
  public synthesising<T>(synthesise: () => T, writes: boolean): T {
    if (this.synth) return synthesise();
    this.synth = { writes };
    if (writes) writing.add(this);
    try {
      const result = synthesise();
      if (writes) this.written(this.node.root as App);
      return result;
    } finally {
      for (const obj of this.synth.answered ?? []) delete (obj as any).toJson;
      this.synth = undefined;
      writing.delete(this);
    }
  }

  /**
   * Within a synth that has validated the App, or while the pass serialises the objects (a Lazy reading
   * a chart), `chart`'s manifests as cdk8s writes them, from the pass's JSON; undefined otherwise.
   */
  public chartManifests(chart: Chart): any[] | undefined {
    const run = this.synth?.run;
    const held = this.building ?? run?.manifests;
    if (!held) return undefined;
    // The order of cdk8s's own Chart.toJson: the chart's objects in dependency order, each in its closest chart only.
    const objects = new DependencyGraph(chart.node).topology().filter((c): c is ApiObject => ApiObject.isApiObject(c) && Chart.of(c) === chart);
    if (!this.building) run?.asked.push(chart);
    return held.give(objects);
  }

  /** Lets go of those of `docs` that are this synth's manifests: cdk8s has saved them to a file. */
  public saved(docs: readonly unknown[]): void {
    this.synth?.run?.manifests.release(docs);
  }

  private validate(): string[] {
    if (!this.synth) return this.runPass().problems;
    if (!this.synth.run) {
      const run = this.synth.run = this.runPass();
      // This layout is written object by object, through each object's toJson(), not its chart's:
      // within the synth, the object's answers it from the pass too, so what is written is what was checked.
      if (this.synth.writes && (this.node.root as App).yamlOutputType === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE) {
        this.synth.answered = run.manifests.objects.filter(obj => !Object.prototype.hasOwnProperty.call(obj, 'toJson'));
        for (const obj of this.synth.answered) {
          Object.defineProperty(obj, 'toJson', {
            configurable: true,
            writable: true,
            value: function (this: ApiObject) {
              return run.manifests.answer(this) ?? Object.getPrototypeOf(this).toJson.call(this);
            },
          });
        }
      }
    }
    return this.synth.run.problems;
  }

  private runPass(): Run {
    const constructs = this.node.root.node.findAll();
    const objects = constructs.filter((c): c is ApiObject => ApiObject.isApiObject(c));
    for (const obj of objects) writeSuppressionAnnotations(obj);
    const manifests = new HeldManifests(objects, (this.node.root as App).yamlOutputType === YamlOutputType.FILE_PER_RESOURCE);
    const outer = this.building;
    this.building = manifests;
    try {
      return { manifests, charts: constructs.filter((c): c is Chart => Chart.isChart(c)), asked: [], ...this.check(objects, manifests) };
    } finally {
      this.building = outer;
    }
  }

  /** Checks the run's manifests: the problems that fail synth, and each Guard's report for after the files are written. */
  private check(objects: ApiObject[], manifests: HeldManifests): Pick<Run, 'problems' | 'evaluations'> {
    const problems: string[] = [];
    const evaluations: Run['evaluations'] = [];
    // The engine and what runs after it here (the image record, the report's connectivity, the checks registered beside)
    // read the pods of the same manifests: each view is made once for all of them.
    const views = new Map<unknown, ReturnType<PodViewOf>>();
    const viewOf: PodViewOf = manifest => {
      let view = views.get(manifest);
      if (view === undefined && !views.has(manifest)) views.set(manifest, view = podViewOf(manifest));
      return view;
    };
    const describe = (findings: readonly Finding[]) => findings.map(f => `${f.object.constructPath}: ${formatFinding(f)}`);
    for (const guard of this.guards) {
      // A Guard of the whole App checks the objects at hand, in the same (tree) order, without walking the tree again.
      const { options, documents } = scopeCheck(guard.scope, guard.checkOptions, manifests.manifestOf,
        guard.scope === this.node.root ? objects : undefined);
      const report = new PolicyEngine(options)._evaluateDocuments(documents, viewOf);
      guard.evaluated(report, documents);
      if (this.synth?.writes) {
        // The Guard takes what it needs of the manifests first; then the report lets go of them.
        const write = guard.writer(report, documents, viewOf);
        evaluations.push({ report: report._releaseManifests(viewOf), write });
      }
      problems.push(...describe(report.errors));
    }
    // What no Guard covers is still held to what its manifest guarantees, wherever the manifest came from.
    const guarded = new Set(this.guards.map(g => g.scope));
    const unguarded = objects.filter(o => !o.node.scopes.some(s => guarded.has(s)));
    const promising = new Set(unguarded.filter(o => Object.prototype.hasOwnProperty.call(
      manifests.manifestOf(o).metadata?.annotations ?? {}, GUARANTEES_ANNOTATION)).map(o => o.node.path));
    if (promising.size) {
      // Every unguarded object is context (a NetworkPolicy decides what a pod can reach), but only
      // an object that promises something is judged: a plain app's own objects never fail its synth.
      const { options, documents } = scopeCheck(this.node.root, { pack: GUARANTEES_ONLY_PACK }, manifests.manifestOf, unguarded);
      const report = new PolicyEngine(options)._evaluateDocuments(documents, viewOf);
      problems.push(...describe(report.errors.filter(f => promising.has(f.object.constructPath!))));
    }
    const run: PassManifests = { objects, manifestOf: manifests.manifestOf, podViewOf: viewOf };
    for (const check of this.checks) problems.push(...check(run));
    return { problems, evaluations };
  }

  private written(app: App): void {
    const run = this.synth?.run;
    if (!run) return;
    const files = writtenFiles(app, run);
    for (const { report, write } of run.evaluations) write(report._withFiles(report.objects.map(o => files.get(o.constructPath!))));
  }
}

/** The manifests of a run, each serialised once, until a synth lets them go (once cdk8s has saved them). */
class HeldManifests {
  private readonly json = new Map<ApiObject, any>();
  /** The object of each manifest a chart's toJson() gave out, to know those cdk8s saves by identity. */
  private readonly given = new Map<unknown, ApiObject>();
  /** What the file of a released object is named after (kind.name), kept where the layout is a file per object. */
  private readonly released?: Map<ApiObject, string>;

  constructor(public readonly objects: ApiObject[], filePerObject: boolean) {
    if (filePerObject) this.released = new Map();
  }

  public readonly manifestOf = (obj: ApiObject): any => {
    let manifest = this.json.get(obj);
    if (manifest === undefined) this.json.set(obj, manifest = serialised(obj));
    return manifest;
  };

  /** The manifests of `objects`, given out (as a chart's toJson()) until saved. */
  public give(objects: readonly ApiObject[]): any[] {
    return objects.map(obj => {
      const manifest = this.manifestOf(obj);
      this.given.set(manifest, obj);
      return manifest;
    });
  }

  /** The manifest of `obj` if held (given out until saved), without serialising it. */
  public answer(obj: ApiObject): any {
    const manifest = this.json.get(obj);
    if (manifest !== undefined) this.given.set(manifest, obj);
    return manifest;
  }

  /** The `kind.name` of `obj`'s manifest as cdk8s names its file (before the characters a file name cannot hold are dropped). */
  public fileBaseOf(obj: ApiObject): string {
    return this.released?.get(obj) ?? baseName(this.manifestOf(obj));
  }

  public release(manifests: readonly unknown[]): void {
    for (const manifest of manifests) {
      const obj = this.given.get(manifest);
      if (obj === undefined) continue;
      this.released?.set(obj, baseName(manifest));
      this.json.delete(obj);
      this.given.delete(manifest);
    }
  }
}

const baseName = (manifest: any) => `${manifest.kind}.${manifest.metadata?.name}`;

hookAppClass(App.prototype);
// Within a synth a chart's toJson() is answered from the pass.
wrapOnce(Chart.prototype, ['toJson'], original => function (this: Chart) {
  return SynthPass.of(this).chartManifests(this) ?? original.call(this);
});
// What cdk8s saves to a file is what it writes: the pass's JSON of those objects can go.
wrapOnce(Yaml, ['save'], original => function (this: typeof Yaml, file: string, docs: unknown[]) {
  original.call(this, file, docs);
  for (const pass of writing) pass.saved(docs);
});

/**
 * Wraps synth and synthYaml of the cdk8s App class whose prototype chain holds `prototype` (this
 * library's cdk8s, or another copy's whose App is a root). Another copy's charts are not
 * wrapped: they serialise their objects again to write them.
 */
function hookAppClass(prototype: any): void {
  while (prototype && !Object.prototype.hasOwnProperty.call(prototype, 'synthYaml')) prototype = Object.getPrototypeOf(prototype);
  wrapOnce(prototype, ['synth', 'synthYaml'], (original, method) => function (this: App, ...args: unknown[]) {
    return SynthPass.of(this).synthesising(() => original.apply(this, args), method === 'synth');
  });
}

type Method = (this: any, ...args: any[]) => any;

/** Replaces `methods` of a class's `prototype` by their `wrap`, once per prototype (copies of this library may share one cdk8s). */
function wrapOnce(prototype: any, methods: string[], wrap: (original: Method, method: string) => Method): void {
  if (!prototype || prototype[HOOKED]) return;
  Object.defineProperty(prototype, HOOKED, { value: true });
  for (const method of methods) prototype[method] = wrap(prototype[method], method);
}

/**
 * The App's charts in the order cdk8s wrote them, which its `0000-` prefixes number. Writing, cdk8s
 * asks each chart for its manifests in that order (but for the layout of a folder per chart, which
 * it writes object by object): where the synth asked each chart once, that is the order, and the
 * dependency graph of every construct of the App is not built again to learn it.
 */
function writtenCharts(app: App, run: Run): Chart[] {
  const asked = new Set(run.asked);
  const eachOnce = asked.size === run.asked.length && asked.size === run.charts.length && run.charts.every(c => asked.has(c));
  return eachOnce && app.yamlOutputType !== YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE ? run.asked : app.charts;
}

/**
 * The file cdk8s wrote each ApiObject to, by construct path, relative to the working directory
 * (as `cdk8s-secure check` names them). Read after App.synth(), which has by then resolved the
 * chart dependencies that decide the order (and so the `0000-` prefixes) of the charts.
 */
function writtenFiles(app: App, run: Run): Map<string, string> {
  const files = new Map<string, string>();
  const manifests = run.manifests;
  const charts = writtenCharts(app, run);
  const indexed = charts.some(c => c.node.dependencies.some(d => Chart.isChart(d)));
  const extension = app.outputFileExtension ?? '.k8s.yaml';
  const layout = app.yamlOutputType ?? YamlOutputType.FILE_PER_CHART;
  // cdk8s names a file per object after the kind and name of the JSON it writes, but in a folder per chart
  // after the ApiObject's own (which a JSON patch or a Lazy name can make differ).
  const resourceFile = (obj: ApiObject) => `${(layout === YamlOutputType.FOLDER_PER_CHART_FILE_PER_RESOURCE
    ? `${obj.kind}.${obj.metadata.name}` : manifests.fileBaseOf(obj)).replace(/[^0-9a-zA-Z-_.]/g, '')}${extension}`;
  const relative = (file: string) => path.relative(process.cwd(), path.join(app.outdir, file));
  // Each chart's name, and the file of every object of the chart where the chart is one file, named once.
  const byChart = new Map(charts.map((chart, index) => {
    const name = `${indexed ? `${index.toString().padStart(4, '0')}-` : ''}${Names.toDnsLabel(chart)}`;
    const file = layout === YamlOutputType.FILE_PER_APP ? relative(`app${extension}`)
      : layout === YamlOutputType.FILE_PER_CHART ? relative(`${name}${extension}`) : undefined;
    return [chart, { name, file }];
  }));
  // An object is written in its closest chart.
  for (const obj of manifests.objects) {
    const chart = byChart.get(Chart.of(obj));
    if (!chart) continue;
    files.set(obj.node.path, chart.file
      ?? relative(layout === YamlOutputType.FILE_PER_RESOURCE ? resourceFile(obj) : path.join(chart.name, resourceFile(obj))));
  }
  return files;
}
