// The Secure* workloads' shared base classes are generated, not committed (scripts/secure-surface.js):
// written here too, so jest runs on a clone that has not compiled yet.
require('./scripts/secure-surface').write();

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.dev.json', isolatedModules: true }],
  },
  // The compiled build/ tree must never shadow the sources under test.
  modulePathIgnorePatterns: ['<rootDir>/build/', '<rootDir>/dist/'],
};
