// yaml-language-server 1.25 as the benchmark peer, set up the way its README says for Kubernetes:
// `yaml.schemas` maps the files to the `kubernetes` keyword, and `yaml.kubernetesCRDStore` points at a
// CRD catalog, here a folder of `{group}/{kind}_{version}.json` (each CRD version's openAPIV3Schema)
// generated from the same CRD files our server reads and served on 127.0.0.1. Its fixed request for
// the Kubernetes index on GitHub is answered by requestLightPreload.cjs from kubernetesIndex().
import { createServer, type Server } from 'node:http';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, normalize } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { LspClient } from '../test/support/lspClient';
import { kubernetesIndex } from './kubernetesIndex';

const require = createRequire(__filename);

export interface Catalog {
  url: string;
  files: number;
  /** How many schema files yaml-language-server fetched. */
  requests: () => number;
  close: () => Promise<void>;
}

/** Writes one JSON schema per CRD version under `dir` and serves the folder on 127.0.0.1. */
export async function serveCrdCatalog(crdDir: string, dir: string): Promise<Catalog> {
  let files = 0;
  for (const name of readdirSync(crdDir).filter((f) => /\.ya?ml$/.test(f))) {
    for (const doc of parseAllDocuments(readFileSync(join(crdDir, name), 'utf8'))) {
      const crd = doc.toJS() as CrdShape | null;
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      mkdirSync(join(dir, crd.spec.group), { recursive: true });
      for (const version of crd.spec.versions) {
        const file = join(dir, crd.spec.group, `${crd.spec.names.kind.toLowerCase()}_${version.name}.json`);
        writeFileSync(file, JSON.stringify(version.schema.openAPIV3Schema));
        files++;
      }
    }
  }
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    try {
      const body = readFileSync(join(dir, path));
      requests++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('catalog server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    files,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Writes all.json and _definitions.json for the preload; returns what was served, for the report. */
export function writeKubernetesIndex(dir: string): string {
  const index = kubernetesIndex();
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'all.json'), JSON.stringify(index.all));
  writeFileSync(join(dir, '_definitions.json'), JSON.stringify(index.definitions));
  return index.summary;
}

export function startYamlLanguageServer(catalogUrl: string, indexDir: string): LspClient {
  const settings = {
    validate: true,
    hover: true,
    completion: true,
    schemas: { kubernetes: '*.yaml' },
    kubernetesCRDStore: { enable: true, url: catalogUrl },
    // The JSON Schema Store catalog is a network fetch unrelated to Kubernetes.
    schemaStore: { enable: false },
  };
  const bin = require.resolve('yaml-language-server/bin/yaml-language-server');
  return LspClient.spawn(process.execPath, ['--require', join(__dirname, 'requestLightPreload.cjs'), bin, '--stdio'], {
    env: { ...process.env, FLUX_BENCH_K8S_INDEX_DIR: indexDir },
    configuration: (section) => (section === 'yaml' ? settings : section === 'http' ? { proxyStrictSSL: false } : null),
  });
}

interface CrdShape {
  kind: string;
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; schema: { openAPIV3Schema: unknown } }[];
  };
}
