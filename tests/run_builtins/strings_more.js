export const meta = { name: 'strings-more', description: 'More string and regex behaviour used by workflow scripts' };

const md = '# Title\n\n- item one\n- item two\n\n```js\ncode();\n```\n';
const csv = 'name,age\nalice,30\nbob,25\n';
const rows = csv.trim().split('\n').slice(1).map(l => { const [name, age] = l.split(','); return { name, age: Number(age) }; });
const slug = s => s.toLowerCase().trim().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
const words = 'the cat and the hat and the bat'.split(' ');
const freq = words.reduce((m, w) => ({ ...m, [w]: (m[w] || 0) + 1 }), {});

return {
  bullets: md.split('\n').filter(l => l.startsWith('- ')).map(l => l.slice(2)),
  codeBlock: md.match(/```(\w+)\n([\s\S]*?)```/).slice(1),
  headings: [...md.matchAll(/^#+\s+(.*)$/gm)].map(m => m[1]),
  rows, slug: [slug('  Hello, World! 2024 '), slug('--Already-slug--'), slug('Ünïcode Tëxt')],
  freq, topWord: Object.entries(freq).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0],
  wrap: 'a long sentence that needs wrapping at some width'.replace(/(.{1,12})(\s+|$)/g, '$1\n').trim().split('\n'),
  capitalize: 'hello wide world'.replace(/\b\w/g, c => c.toUpperCase()),
  camel: 'some-kebab-case-name'.replace(/-(\w)/g, (_, c) => c.toUpperCase()),
  snake: 'someCamelCaseName'.replace(/[A-Z]/g, c => '_' + c.toLowerCase()),
  escapeRe: 'a.b*c?(d)'.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  stickyLastIndex: (() => { const re = /\d/g; return [re.test('a1b2'), re.lastIndex, re.test('a1b2'), re.lastIndex, re.test('a1b2'), re.lastIndex]; })(),
  regexCtor: [new RegExp('a+', 'g').source, String(new RegExp('/')), new RegExp('x').flags, RegExp('b', 'i').test('B')],
  splitLimit: ['a-b-c-d'.split('-', 0), 'a-b-c-d'.split('-', -1).length, 'abc'.split('', 2)],
  splitRegexEdge: ['a, b ,c'.split(/\s*,\s*/), 'one  two'.split(/\s+/), 'abc'.split(/(?:)/), ',a,'.split(',')],
  replaceSpecial: ['x'.replace('x', '$'), 'x'.replace('x', '$1'), 'abc'.replace(/(b)/, '$11'), 'abc'.replace(/(b)/, '$01'), 'abc'.replace(/b/, "$'$`")],
  replaceAllRe: 'a-b-c'.replaceAll(/-/g, '+'),
  replaceAllErr: (() => { try { 'a'.replaceAll(/a/, 'b'); return 'no'; } catch (e) { return e.name; } })(),
  matchGroupsUndefined: 'ac'.match(/a(b)?c/).map(x => x === undefined ? 'undef' : x),
  lookaround: ['price: $42, $7'.match(/(?<=\$)\d+/g), 'foobar foobaz'.match(/foo(?!bar)\w+/g)],
  backrefs: /(\w)\1/.test('hello'), caseInsensitiveUnicode: /É/i.test('é'),
  trimVariety: ['\u2003x\u3000'.trim(), '\r\nx\v\f'.trim()],
  includesEmpty: ['abc'.includes(''), ''.includes(''), 'abc'.indexOf('', 10), 'abc'.lastIndexOf('')],
  numericStrings: ['10' + 1, '10' - 1, '3' * '4', '2' ** '3', '10' / '4', '7' % '4'],
  atAndSlice: ['hello'.at(-2), 'hello'.slice(-3, -1), 'hello'.substring(3, 1), 'hello'.substr(-3, 2)],
  charsOrder: ['b', 'a', 'B', 'A', '_', '1', ' '].sort().join(''),
  templateExpr: `${1 + 1}${'a'.repeat(2)}${[1, 2].map(x => x * 2)}${(() => 'fn')()}`,
  stringCompareLocale: ['a', 'B', 'c'].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
  lengthsAfterOps: ['abc'.padEnd(6, '12').length, 'x'.repeat(3).length, 'a b c'.split(' ').length],
};
