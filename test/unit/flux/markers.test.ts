import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMarkers, mentionsMarkerExactly, parseMarkerReference, type Marker } from '../../../server/src/flux/markers';

function only(text: string): Marker {
  const markers = findMarkers(text);
  assert.equal(markers.length, 1, `expected one marker in:\n${text}`);
  return markers[0];
}

function codes(marker: Marker): string[] {
  return marker.problems.map((p) => p.code);
}

/** Applies a marker problem's fix to the text. */
function applyFix(text: string, marker: Marker, code: string): string {
  const problem = marker.problems.find((p) => p.code === code);
  assert.ok(problem?.fix, `no fix for ${code}`);
  const { start, end, newText } = problem.fix.edit;
  return text.slice(0, start) + newText + text.slice(end);
}

test('a well-placed full-reference marker is read with its target scalar', () => {
  const text = 'spec:\n  image: ghcr.io/stefanprodan/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}\n';
  const m = only(text);
  assert.deepEqual(codes(m), []);
  assert.deepEqual(m.ref, { namespace: 'flux-system', name: 'podinfo' });
  assert.equal(m.target?.source, 'ghcr.io/stefanprodan/podinfo:6.5.0');
  assert.equal(text.slice(m.value!.start, m.value!.end), 'flux-system:podinfo');
});

test('tag, name and digest suffixes are accepted, in sequences and quoted scalars too', () => {
  const text = [
    'values:',
    '  image:',
    '    repository: ghcr.io/org/app # {"$imagepolicy": "apps:app:name"}',
    '    tag: "1.2.3" # {"$imagepolicy": "apps:app:tag"}',
    '    digest: sha256:abc #{"$imagepolicy":"apps:app:digest"}',
    'images:',
    '  - ghcr.io/org/app:1.0 # {"$imagepolicy": "apps:app"}',
    '',
  ].join('\n');
  const markers = findMarkers(text);
  assert.equal(markers.length, 4);
  assert.deepEqual(markers.map((m) => m.ref?.suffix ?? 'full'), ['name', 'tag', 'digest', 'full']);
  assert.ok(markers.every((m) => m.problems.length === 0));
  assert.equal(markers[1].target?.source, '"1.2.3"');
});

test("the value's own head comment is read", () => {
  const m = only('image:\n  # {"$imagepolicy": "ns:p"}\n  ghcr.io/org/app:1.0\n');
  assert.deepEqual(codes(m), []);
  assert.equal(m.target?.source, 'ghcr.io/org/app:1.0');
});

test('a comment line above a sequence item is that item\'s head comment', () => {
  const m = only('images:\n  # {"$imagepolicy": "ns:p"}\n  - ghcr.io/org/app:1.0\n');
  assert.deepEqual(codes(m), []);
  assert.equal(m.target?.source, 'ghcr.io/org/app:1.0');
});

test('a marker on the line above image: belongs to the key and is ignored', () => {
  const m = only('spec:\n  containers:\n    - name: app\n      # {"$imagepolicy": "ns:p"}\n      image: ghcr.io/org/app:1.0\n');
  assert.deepEqual(codes(m), ['marker-above-key']);
  assert.equal(m.ref, undefined);
});

test('a marker above the first key of a nested mapping is above a key', () => {
  const m = only('spec:\n  # {"$imagepolicy": "ns:p"}\n  image: ghcr.io/org/app:1.0\n');
  assert.deepEqual(codes(m), ['marker-above-key']);
});

test('a marker on a mapping or a sequence is ignored', () => {
  assert.deepEqual(codes(only('image: # {"$imagepolicy": "ns:p"}\n  repository: x\n  tag: "1"\n')), ['marker-on-collection']);
  assert.deepEqual(codes(only('images: # {"$imagepolicy": "ns:p"}\n  - x\n')), ['marker-on-collection']);
  assert.deepEqual(codes(only('image: [a, b] # {"$imagepolicy": "ns:p"}\n')), ['marker-on-collection']);
  assert.match(only('images: # {"$imagepolicy": "ns:p"}\n  - x\n').problems[0].message, /sequence/);
});

test('a marker on a block scalar is ignored', () => {
  assert.deepEqual(codes(only('image: | # {"$imagepolicy": "ns:p"}\n  ghcr.io/org/app:1.0\n')), ['marker-on-block-scalar']);
  assert.deepEqual(codes(only('image:\n  # {"$imagepolicy": "ns:p"}\n  >-\n  ghcr.io/org/app:1.0\n')), ['marker-on-block-scalar']);
});

test('a marker on the key line with the value on the next line is ignored', () => {
  assert.deepEqual(codes(only('image: # {"$imagepolicy": "ns:p"}\n  ghcr.io/org/app:1.0\n')), ['marker-not-on-value']);
  assert.deepEqual(codes(only('a: 1\n# {"$imagepolicy": "ns:p"}\n')), ['marker-not-on-value']);
});

test('single quotes are reported with a fix to double quotes', () => {
  const text = "image: app:1 # {'$imagepolicy': 'ns:p'}\n";
  const m = only(text);
  assert.deepEqual(codes(m), ['marker-invalid-json']);
  assert.match(m.problems[0].message, /single quotes/);
  const fixed = applyFix(text, m, 'marker-invalid-json');
  assert.equal(fixed, 'image: app:1 # {"$imagepolicy": "ns:p"}\n');
  assert.deepEqual(codes(only(fixed)), []);
});

test('an unquoted key and a trailing comma are reported with fixes', () => {
  const unquoted = only('image: app:1 # {$imagepolicy: "ns:p"}\n');
  assert.match(unquoted.problems[0].message, /not quoted/);
  assert.equal(unquoted.problems[0].fix?.edit.newText, '# {"$imagepolicy": "ns:p"}');
  const comma = only('image: app:1 # {"$imagepolicy": "ns:p",}\n');
  assert.match(comma.problems[0].message, /trailing comma/);
  assert.equal(comma.problems[0].fix?.edit.newText, '# {"$imagepolicy": "ns:p"}');
});

test('a differently-cased key is ignored, with a fix', () => {
  const m = only('image: app:1 # {"$ImagePolicy": "ns:p"}\n');
  assert.deepEqual(codes(m), ['marker-key-case']);
  assert.equal(m.problems[0].fix?.edit.newText, '# {"$imagepolicy": "ns:p"}');
  assert.equal(m.ref, undefined);
});

test('extra text in the comment is reported, with a fix keeping only the object', () => {
  const m = only('image: app:1 # bumped by flux {"$imagepolicy": "ns:p"}\n');
  assert.deepEqual(codes(m), ['marker-extra-text']);
  assert.equal(m.problems[0].fix?.edit.newText, '# {"$imagepolicy": "ns:p"}');
});

test('hopeless comments get a plain invalid-JSON warning without a fix', () => {
  const m = only('image: app:1 # {"$imagepolicy": ns:p}\n');
  assert.deepEqual(codes(m), ['marker-invalid-json']);
  assert.equal(m.problems[0].fix, undefined);
  assert.deepEqual(codes(only('image: app:1 # {"$imagepolicy": 3}\n')), ['marker-not-string']);
});

test('slash separator, missing namespace, unknown suffix and malformed references', () => {
  const slash = only('image: app:1 # {"$imagepolicy": "ns/p"}\n');
  assert.deepEqual(codes(slash), ['marker-separator']);
  assert.equal(slash.problems[0].fix?.edit.newText, 'ns:p');
  assert.deepEqual(codes(only('image: app:1 # {"$imagepolicy": "p"}\n')), ['marker-missing-namespace']);
  const suffix = only('image: app:1 # {"$imagepolicy": "ns:p:version"}\n');
  assert.deepEqual(codes(suffix), ['marker-unknown-suffix']);
  assert.equal(suffix.problems[0].fix, undefined);
  assert.equal(only('image: app:1 # {"$imagepolicy": "ns:p:Tag"}\n').problems[0].fix?.edit.newText, 'ns:p:tag');
  assert.deepEqual(codes(only('image: app:1 # {"$imagepolicy": "ns::p"}\n')), ['marker-malformed']);
  assert.deepEqual(codes(only('image: app:1 # {"$imagepolicy": "a:b:tag:x"}\n')), ['marker-malformed']);
});

test('the reference fix replaces exactly the value inside the quotes', () => {
  const text = 'image: app:1 # {"$imagepolicy": "ns/p:tag"}\n';
  const m = only(text);
  assert.equal(applyFix(text, m, 'marker-separator'), 'image: app:1 # {"$imagepolicy": "ns:p:tag"}\n');
});

test('offsets stay right across several documents', () => {
  const text = 'a: 1\n---\nimage: x:1 # {"$imagepolicy": "ns:one"}\n---\nimage: y:2 # {"$imagepolicy": "ns:two"}\n';
  const markers = findMarkers(text);
  assert.deepEqual(markers.map((m) => m.ref?.name), ['one', 'two']);
  assert.equal(text.slice(markers[1].target!.start, markers[1].target!.end), 'y:2');
});

test('files and comments without a marker give nothing', () => {
  assert.deepEqual(findMarkers('image: x:1 # pinned\n'), []);
  assert.deepEqual(findMarkers('image: "$imagepolicy"\n'), []);
});

test('the controller only opens files with the exact bytes "$imagepolicy"', () => {
  assert.equal(mentionsMarkerExactly('# {"$imagepolicy": "a:b"}'), true);
  assert.equal(mentionsMarkerExactly("# {'$imagepolicy': 'a:b'}"), false);
});

test('parseMarkerReference on its own', () => {
  assert.deepEqual(parseMarkerReference('flux-system:podinfo:tag').ref, { namespace: 'flux-system', name: 'podinfo', suffix: 'tag' });
  assert.equal(parseMarkerReference('podinfo').problem?.code, 'marker-missing-namespace');
});
