// Hostile values for the fuzzers: fast-check arbitraries of malformed,
// oversized, wrongly typed and unicode-laden inputs, and fixed lists of SQL
// injection and path traversal attempts.
import fc from 'fast-check';

export const SQL_INJECTIONS = [
  `' OR '1'='1`,
  `1' OR 1=1 --`,
  `1; DROP TABLE windows; --`,
  `'); DELETE FROM api_keys; --`,
  `1 UNION SELECT key_hash FROM api_keys`,
  `X1' AND pg_sleep(5) IS NULL --`,
  `$1`,
  `\\x27; TRUNCATE violations; --`,
];

export const PATH_TRAVERSALS = [
  '../../../../etc/passwd',
  '..%2F..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..\\..\\..\\windows\\win.ini',
  '/etc/shadow',
  'X1-cam/../../../etc/passwd',
  'evidence/%00.jpg',
  '....//....//etc/passwd',
];

const weird = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '%00',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '日本語のテキスト',
  '🚦🚗💥',
  'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇',
  '\ud800',
  '-1',
  '0',
  '1e309',
  'NaN',
  'Infinity',
  '9223372036854775808',
  '18446744073709551616',
  '1.5',
  'true',
  'null',
  '[]',
  '{}',
  '2024-13-45',
  '2024-02-30T25:61:00Z',
  '0000-00-00',
  '9999-99',
  'a'.repeat(5000),
  '%',
  '%%%',
  '%E0%A4%A',
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${jndi:ldap://x}',
  ...SQL_INJECTIONS,
  ...PATH_TRAVERSALS,
);

/** A string a hostile client might put anywhere. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: weird },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.integer().map(String) },
  { weight: 1, arbitrary: fc.double().map(String) },
  { weight: 1, arbitrary: fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid Date' : d.toISOString())) },
);

/** A JSON value of any shape, some large. */
export const hostileJson: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: fc.array(fc.integer(), { minLength: 1000, maxLength: 3000 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, fc.oneof(hostileString, fc.integer(), fc.constant(null)), { maxKeys: 8 }) },
  { weight: 1, arbitrary: fc.constant({ __proto__: { admin: true }, constructor: { prototype: { polluted: true } } }) },
);
