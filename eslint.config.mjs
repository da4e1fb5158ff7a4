// Lint run by `npm test` (`npm run lint`): line length, unused code and import order. Formatting beyond
// line length is left to the authors; the type checker already refuses unused locals and parameters
// (tsconfig.dev.json), this adds the same for JavaScript and for imports of types only.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import { defineConfig } from 'eslint/config';
import importPlugin from 'eslint-plugin-import';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Files another engineer is rewriting this session (issue 20 / 14), skipped until their last change lands so
// that lint fixes and rewrites do not collide. When you land your last change to a file here: remove it from
// this list, run `npx eslint --fix <file>`, fix what is left by hand, and land both together. Empty at the end.
const PENDING = [
  'lib/policy/engine.ts',
  'lib/policy/check.ts',
  'lib/policy/yaml/**',
  'lib/policy/yaml-loader.ts',
  'lib/synth-pass.ts',
];

// Files whose lines over 150 characters D (lint) is still wrapping by hand; temporary, empty at the end.
const LONG_LINES = [
  'bench/gen-yaml.js',
  'bench/reachability-case.js',
  'bench/run.js',
  'bench/synth-case.js',
  'examples/billing.ts',
  'examples/observability.ts',
  'examples/platform.ts',
  'examples/shop.ts',
  'lib/logging/log-output.ts',
  'lib/logging/log-shipper.ts',
  'lib/namespace/secure-namespace.ts',
  'lib/policy/checks/automount-service-account-token.ts',
  'lib/policy/checks/cpu-limits.ts',
  'lib/policy/checks/dedicated-node-pool.ts',
  'lib/policy/checks/host-namespaces.ts',
  'lib/policy/checks/image-digest.ts',
  'lib/policy/checks/image-max-age.ts',
  'lib/policy/checks/image-pull-policy.ts',
  'lib/policy/checks/image-tag.ts',
  'lib/policy/checks/log-shipper.ts',
  'lib/policy/checks/namespace-limit-range.ts',
  'lib/policy/checks/namespace-network-policy.ts',
  'lib/policy/checks/namespace-pss.ts',
  'lib/policy/checks/namespace-resource-quota.ts',
  'lib/policy/checks/read-only-root-filesystem.ts',
  'lib/policy/checks/seccomp-unconfined.ts',
  'lib/policy/checks/secret-env.ts',
  'lib/policy/checks/secret-literal-data.ts',
  'lib/policy/checks/sensitive-host-path.ts',
  'lib/policy/checks/sensitivity-conflict.ts',
  'lib/policy/checks/shipper-port-admitted.ts',
  'lib/policy/checks/trusted-registry.ts',
  'lib/policy/image-record.ts',
  'lib/policy/report/markdown.ts',
  'lib/policy/report/rules-table.ts',
  'lib/policy/report/sarif.ts',
  'lib/scheduling/node-pool.ts',
  'lib/scheduling/runtime-class.ts',
  'lib/secrets/external-secret.ts',
  'lib/secrets/secret-mount.ts',
  'lib/secrets/secret-provider-class.ts',
  'lib/supply-chain/image-admission-policy.ts',
  'lib/supply-chain/image-signature-policy.ts',
  'lib/supply-chain/registry-auth.ts',
  'lib/testing.ts',
  'test/admission.test.ts',
  'test/cli.test.ts',
  'test/examples.test.ts',
  'test/generated.test.ts',
  'test/guard.test.ts',
  'test/logging.test.ts',
  'test/namespace.test.ts',
  'test/network.test.ts',
  'test/policy/engine.test.ts',
  'test/policy/reachability.test.ts',
  'test/registry-trust.test.ts',
  'test/registry.test.ts',
  'test/scheduling.test.ts',
  'test/secrets.test.ts',
  'test/supply-chain.test.ts',
  'test/units.test.ts',
  'test/workloads/errors.test.ts',
  'test/workloads/exemptions.test.ts',
  'test/workloads/helpers.ts',
  'test/workloads/secure-defaults.test.ts',
];

const unusedVars = ['error', {
  args: 'after-used',
  argsIgnorePattern: '^_',
  varsIgnorePattern: '^_',
  caughtErrors: 'none',
  ignoreRestSiblings: true,
}];

export default defineConfig(
  {
    ignores: [
      'node_modules/**', 'build/**', 'dist/**', 'jsii-dist/**', 'coverage/**', 'cdk8s.out/**',
      'compliance/**', 'bench/results/**', '.cache/**', '.scratch/**', 'test/fixtures/**',
      ...PENDING,
    ],
  },
  {
    files: ['**/*.{ts,js,mjs}'],
    plugins: { '@stylistic': stylistic, import: importPlugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@stylistic/max-len': ['error', { code: 150, tabWidth: 2, ignoreUrls: false }],
      'import/order': ['error', {
        groups: ['builtin', 'external', 'internal', 'parent', 'sibling', 'index'],
        'newlines-between': 'never',
        alphabetize: { order: 'asc', caseInsensitive: true },
      }],
      'import/no-duplicates': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
      // Manifests are untyped JSON read from users' YAML; the engine narrows them where it reads them.
      '@typescript-eslint/no-explicit-any': 'off',
      // jsii names every props type, so an options interface that only extends another is the public shape.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
      '@typescript-eslint/no-unused-expressions': 'error',
      'no-unreachable': 'error',
      'no-useless-catch': 'error',
    },
  },
  {
    files: ['bench/**/*.js', 'scripts/**/*.js', 'test/**/*.js', 'jest.config.js'],
    extends: [js.configs.recommended],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { 'no-unused-vars': unusedVars },
  },
  {
    files: LONG_LINES,
    rules: { '@stylistic/max-len': 'off' },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module', globals: { ...globals.node } },
  },
);
