// One file, one URI in the engine, however the client spells it; answers in the client's spelling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, DocumentLink, Location } from 'vscode-languageserver';
import { canonicalUri, pathToUri, uriToPath } from '../../../server/src/workspace/uri';
import { UriSpellings } from '../../../server/src/lsp/uriSpelling';
import { neovimUri } from '../../support/neovimUri';

const PATHS = ['/repo/apps(old)@v1+x/source.yaml', '/repo/c++/a@b/x.yaml', "/repo/!$&'*,;=:/x.yaml", '/repo/é ü/日本/100%.yaml', '/repo/a~b-c_d.e/x.yaml'];
const RANGE = { start: { line: 1, character: 2 }, end: { line: 1, character: 9 } };

test('every spelling of a path names one URI: the one the workspace scan gives the file', () => {
  for (const p of PATHS) {
    const scanned = pathToUri(p);
    const lowerHex = scanned.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase());
    for (const spelling of [neovimUri(p), pathToFileURL(p).href, lowerHex, scanned]) {
      assert.equal(canonicalUri(spelling), scanned, `${spelling} (${p})`);
    }
    assert.equal(uriToPath(canonicalUri(neovimUri(p))), p);
  }
  assert.notEqual(neovimUri(PATHS[0]!), pathToUri(PATHS[0]!), 'Neovim does spell it differently');
});

test('hex digits of either case are one character; unreserved characters are never escaped', () => {
  assert.equal(canonicalUri('file:///r/%c3%a9%7e%2d%41'), 'file:///r/%C3%A9~-A');
  assert.equal(canonicalUri('file:///r/%C3%A9~-A'), 'file:///r/%C3%A9~-A');
});

test('an encoded slash stays inside its segment: it never names the file of the same path with a separator', () => {
  assert.equal(canonicalUri('file:///r/a%2fb/x.yaml'), 'file:///r/a%2Fb/x.yaml');
  assert.equal(canonicalUri('file:///r/a%2Fb/x.yaml'), 'file:///r/a%2Fb/x.yaml');
  assert.notEqual(canonicalUri('file:///r/a%2Fb/x.yaml'), canonicalUri('file:///r/a/b/x.yaml'));
  assert.equal(canonicalUri('file:///r/a%5Cb/x.yaml'), 'file:///r/a%5Cb/x.yaml', 'nor does an encoded backslash');
});

test('authority, drive letter and dot segments take the engine spelling', () => {
  assert.equal(canonicalUri('file://localhost/r/x.yaml'), 'file:///r/x.yaml');
  assert.equal(canonicalUri('file:///C:/repo/x.yaml'), 'file:///c%3A/repo/x.yaml');
  assert.equal(canonicalUri('file:///r/./a/../x.yaml'), 'file:///r/x.yaml');
});

test('other schemes and undecodable file URIs pass through unchanged', () => {
  for (const uri of ['untitled:Untitled-1', 'untitled:apps(old)@v1+x.yaml', 'flux-sops:/r/a(b).yaml', 'file:///r/%zz/x.yaml', 'file:///r/%C3/x.yaml']) {
    assert.equal(canonicalUri(uri), uri);
  }
});

test("answers carry the client's spelling of the files it named, the engine's of the others", () => {
  const uris = new UriSpellings();
  const client = neovimUri(PATHS[0]!);
  const engine = pathToUri(PATHS[0]!);
  const other = pathToUri(PATHS[1]!);
  assert.equal(uris.fromClient(client), engine);
  assert.equal(uris.toClient(engine), client);
  assert.equal(uris.toClient(other), other);

  const locations: Location[] = [{ uri: engine, range: RANGE }, { uri: other, range: RANGE }];
  assert.deepEqual(uris.locations(locations).map((l) => l.uri), [client, other]);
  const related: Diagnostic = { range: RANGE, message: 'm', relatedInformation: [{ location: { uri: engine, range: RANGE }, message: 'r' }] };
  assert.deepEqual(uris.diagnostics([related]).map((d) => d.relatedInformation?.[0]?.location.uri), [client]);
  const links: DocumentLink[] = [{ range: RANGE, target: engine }, { range: RANGE }];
  assert.deepEqual(uris.documentLinks(links).map((l) => l.target), [client, undefined]);
  const action: CodeAction = { title: 'fix', diagnostics: [related], edit: { changes: { [engine]: [{ range: RANGE, newText: 'x' }] } } };
  const [answered] = uris.codeActions([action]);
  assert.deepEqual(Object.keys(answered?.edit?.changes ?? {}), [client]);
  assert.equal(answered?.diagnostics?.[0]?.relatedInformation?.[0]?.location.uri, client);
  assert.equal(locations[0]!.uri, engine, 'the engine results are not modified in place');
});

test('a client that switches to the engine spelling is answered in it; untitled URIs are never remembered', () => {
  const uris = new UriSpellings();
  const engine = pathToUri(PATHS[0]!);
  uris.fromClient(neovimUri(PATHS[0]!));
  assert.equal(uris.fromClient(engine), engine);
  assert.equal(uris.toClient(engine), engine);
  assert.equal(uris.fromClient('untitled:a(b)'), 'untitled:a(b)');
  assert.equal(uris.toClient('untitled:a(b)'), 'untitled:a(b)');
});
