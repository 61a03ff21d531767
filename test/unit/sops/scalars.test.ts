import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFloat, parseTimestamp, resolvePlain, typedFromPlaintext } from '../../../server/src/sops/scalars';

test('plain scalars resolve as Go yaml.v3 resolves them', () => {
  const cases: [string, string | null, string?][] = [
    ['0755', 'int', '493'],
    ['1_000', 'int', '1000'],
    ['0x1F', 'int', '31'],
    ['-0x1F', 'int', '-31'],
    ['0b101', 'int', '5'],
    ['0o17', 'int', '15'],
    ['+12', 'int', '12'],
    ['9223372036854775807', 'int', '9223372036854775807'],
    ['-9223372036854775808', 'int', '-9223372036854775808'],
    ['08', 'float', '8'],
    ['1e3', 'float', '1000'],
    ['1.0', 'float', '1'],
    ['.5', 'float', '0.5'],
    ['-.inf', 'float', '-Inf'],
    ['.NaN', 'float', 'NaN'],
    ['1e400', 'str', '1e400'],
    ['true', 'bool', 'True'],
    ['FALSE', 'bool', 'False'],
    ['yes', 'str', 'yes'],
    ['off', 'str', 'off'],
    ['~', null],
    ['', null],
    ['2024-01-15', 'time', '2024-01-15T00:00:00Z'],
    ['2024-1-5 3:04:05.120', 'time', '2024-01-05T03:04:05.12Z'],
    ['2024-02-30', 'str', '2024-02-30'],
    ['2001-12-14t21:59:43.10-05:00', 'time', '2001-12-14T21:59:43.1-05:00'],
    ['hello world', 'str', 'hello world'],
  ];
  for (const [source, type, text] of cases) {
    const typed = resolvePlain(source);
    if (type === null) assert.equal(typed, null, source);
    else assert.deepEqual(typed, { type, text }, source);
  }
});

test('uint64-sized ints are refused, as sops refuses them', () => {
  assert.throws(() => resolvePlain('18446744073709551615'), /unknown type: uint64/);
  assert.equal(resolvePlain('18446744073709551616')?.type, 'float');
});

test('floats print like Go FormatFloat(v, f, -1, 64)', () => {
  assert.equal(formatFloat(1e21), '1000000000000000000000');
  assert.equal(formatFloat(1.5e-7), '0.00000015');
  assert.equal(formatFloat(-0), '-0');
  assert.equal(formatFloat(0.1 + 0.2), '0.30000000000000004');
  assert.equal(formatFloat(123456.789), '123456.789');
});

test('timestamps keep their offset and drop zero fractions', () => {
  assert.equal(parseTimestamp('2024-01-15T10:00:00.000+00:00'), '2024-01-15T10:00:00Z');
  assert.equal(parseTimestamp('2024-01-15T10:00:00+02:00'), '2024-01-15T10:00:00+02:00');
  assert.equal(parseTimestamp('2024-13-01'), undefined);
});

test('decrypted plaintext is parsed back with Go rules', () => {
  assert.deepEqual(typedFromPlaintext('bool', 'True'), { type: 'bool', text: 'True' });
  assert.deepEqual(typedFromPlaintext('int', '-42'), { type: 'int', text: '-42' });
  assert.throws(() => typedFromPlaintext('int', '4.2'));
  assert.throws(() => typedFromPlaintext('nope', 'x'), /Unknown datatype/);
});

test('decrypted text naming an Object.prototype member is not a float or bool word', () => {
  for (const text of ['constructor', 'toString', '__proto__']) {
    assert.throws(() => typedFromPlaintext('float', text), /Could not parse/);
    assert.throws(() => typedFromPlaintext('bool', text), /Could not parse/);
  }
});
