// The engine's face: all the rest of lib/ (constructs, front doors, the CLI) may use of lib/policy/.
// The layering test refuses an import that reaches past it, so the engine's inside can change
// without touching a construct. The package's own face (lib/index.ts) re-exports the user-facing part.
export * from './model';
export * from './packs/pack';
export * from './packs';
export * from './engine';
export { SuppressionAllowance, SuppressionPolicy } from './suppression-policy';
export * from './report/report';
export * from './connectivity';
export * from './image-record';
export { GUARANTEES_ANNOTATION, guaranteesValue } from './guarantees';
export { checkJsonData } from './json-data';
export { checkEngineOptions, checkOptionNames } from './options';
export { podViewOf } from './pod-view';
export type { PodViewOf } from './pod-view';
export { nearest } from './structure';
export { DEFAULT_PSS_VERSION, NEWEST_PSS_MINOR, parsePssVersion } from './pss-version';
export { RBAC_GROUP } from './rbac';
export { parseCidr } from './reachability';
export type { RequiredEgress } from './reachability';
export { describeObject, formatFinding } from './report/describe';
export { escapeText } from './report/escape';
export { renderRulesMarkdown } from './report/rules-table';
export { renderSynthSummary } from './report/text';
export { constructReasonProblem, containerSuppressionAnnotationKey, quotedReason, suppressionAnnotationKey } from './suppressions';
export { VERSION } from './version';
export { loadManifests, manifestFiles, readManifestFiles, readYamlStream, STDIN, STDIN_NAME } from './yaml-loader';
export { plainReadsAsString } from './yaml/decode';
