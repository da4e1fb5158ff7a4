// prepack: npm packs a bundled dependency with every file its own package lists, and js-yaml
// lists its source maps and a build leftover (lib/index_vite_proxy.tmp.mjs). Nothing loads
// them, so they are removed from the bundled copies before npm computes the file list.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const { bundleDependencies = [] } = require(path.join(root, 'package.json'));
const UNUSED = /\.map$|\.tmp\.[cm]?js$/;

function prune(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) prune(full);
    else if (UNUSED.test(entry.name)) fs.rmSync(full);
  }
}

for (const name of bundleDependencies) prune(path.join(root, 'node_modules', name));
