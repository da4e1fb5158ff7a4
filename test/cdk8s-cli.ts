// Runs the real cdk8s CLI (`cdk8s synth`, upgrade check off) on a small app in its own
// folder, with this package's validation plugin configured.
import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** `cdk8s synth` of the app whose JavaScript lines are `app`, the plugin given `properties` (YAML flow). */
export function synthWithPlugin(app: string[], properties: string): SpawnSyncReturns<string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-secure-plugin-'));
  fs.writeFileSync(path.join(dir, 'app.js'), app.join('\n'));
  fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), [
    'language: typescript',
    'app: node app.js',
    'validations:',
    `  - package: ${path.join(ROOT, 'build', 'plugin.js')}`,
    '    version: 0.1.0',
    '    class: SecureValidation',
    `    properties: ${properties}`,
  ].join('\n'));
  const cli = path.join(ROOT, 'node_modules', '.bin', 'cdk8s');
  return spawnSync(cli, ['synth', '--no-check-upgrade'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });
}
