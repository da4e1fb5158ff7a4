// Reports go beside the manifest folder, never into it: a folder like dist/ is applied as a
// whole (`kubectl apply -f dist/`) and checked as a whole (`cdk8s-secure check dist`), so it
// holds Kubernetes manifests only.
import * as path from 'path';

/** The default report folder for manifests written to `outdir`: "compliance" beside it. */
export function defaultReportDir(outdir: string): string {
  return path.join(path.dirname(path.resolve(outdir)), 'compliance');
}

/** Throws when `reportDir` is not a path, or is `outdir` or inside it. */
export function checkReportDir(reportDir: string, outdir: string): void {
  if (typeof reportDir !== 'string' || reportDir.trim() === '') {
    throw new Error(`'reportDir' (${JSON.stringify(reportDir ?? null)}) must be a folder path, e.g. "compliance"`);
  }
  const relative = path.relative(path.resolve(outdir), path.resolve(reportDir));
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`'reportDir' (${JSON.stringify(reportDir)}) must be outside the manifest folder ${JSON.stringify(outdir)}, `
      + 'which holds only Kubernetes manifests; use e.g. "compliance"');
  }
}
