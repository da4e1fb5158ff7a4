// The package version, read from package.json beside lib/ and build/ alike, so the CLI's --version and
// the SARIF driver's version never disagree with what was installed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const VERSION: string = require('../../package.json').version;
