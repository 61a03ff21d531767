// Loaded into yaml-language-server with `node --require`: answers its fixed request for the Kubernetes
// schema index (raw.githubusercontent.com/yannh/kubernetes-json-schema/.../all.json and the
// _definitions.json it refers to) from local files, because the benchmark machine has no network.
// Every other URL (the CRD catalog on 127.0.0.1) goes through request-light unchanged.
// FLUX_BENCH_K8S_INDEX_DIR names the folder holding all.json and _definitions.json.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const indexDir = process.env.FLUX_BENCH_K8S_INDEX_DIR;
const pattern = /^https:\/\/raw\.githubusercontent\.com\/yannh\/kubernetes-json-schema\/master\/[^/]+\/(all|_definitions)\.json(#.*)?$/;
// Resolve request-light the way yaml-language-server does, so the wrapped module is the one it uses.
const serverMain = require.resolve('yaml-language-server');
const requestLight = require(require.resolve('request-light', { paths: [serverMain] }));
const original = requestLight.xhr;

requestLight.xhr = function xhr(options) {
  const match = pattern.exec(options.url);
  if (!match || !indexDir) return original.call(this, options);
  process.stderr.write(`[bench preload] served ${options.url} locally\n`);
  const body = readFileSync(join(indexDir, `${match[1]}.json`), 'utf8');
  return Promise.resolve({ responseText: body, body: Buffer.from(body), status: 200, headers: {} });
};
