// Resolves the @crm/* path aliases of tsconfig.base.json to the compiled files under dist/ at run time.
// Loaded with `node -r ./tools/runtime/register-aliases.js dist/services/<name>/src/main.js`.
'use strict';
const Module = require('node:module');
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..', '..');
const dist = process.env.CRM_DIST_DIR ? path.resolve(process.env.CRM_DIST_DIR) : path.join(root, 'dist');
const { compilerOptions } = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
const aliases = new Map(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [alias, path.join(dist, target.replace(/\.ts$/, '.js'))]),
);

const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveWithAliases(request, ...rest) {
  const target = aliases.get(request);
  return resolve.call(this, target ?? request, ...rest);
};
