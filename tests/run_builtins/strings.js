export const meta = { name: 'strings', description: 'String methods, template literals, unicode' };

const name = 'World';
const n = 3;
const tpl = `Hello, ${name}! ${n} + ${n} = ${n + n}; ${[1, 2]} ${{}} ${null} ${undefined} ${true}`;
const multi = `line1
  line2\ttab`;
const nestedTpl = `a${`b${`c${1}`}`}`;
function tag(strings, ...vals) { return strings.raw.join('|') + '#' + vals.join(','); }
const tagged = tag`x${1}y\n${2}z`;
const s = 'The quick brown fox';

return {
  tpl, multi, nestedTpl, tagged, raw: String.raw`a\nb${1}`,
  len: [s.length, ''.length, '😀'.length, 'é'.length, [...'😀a'].length],
  charAt: [s.charAt(4), s.charAt(100), s[0], s[100] === undefined, s.at(-1), s.at(-100) === undefined],
  charCode: [s.charCodeAt(0), 'é'.charCodeAt(0), isNaN(s.charCodeAt(100)), '😀'.codePointAt(0), '😀'.charCodeAt(1), 'A'.codePointAt(0)],
  fromCharCode: [String.fromCharCode(72, 105), String.fromCodePoint(128512), String.fromCharCode(0x263a)],
  search: [s.indexOf('quick'), s.indexOf('o', 13), s.lastIndexOf('o'), s.indexOf(''), s.lastIndexOf('o', 5), s.indexOf('zzz'), s.includes('brown'), s.startsWith('The'), s.startsWith('quick', 4), s.endsWith('fox'), s.endsWith('The', 3)],
  slice: [s.slice(4, 9), s.slice(-3), s.slice(-3, -1), s.slice(10, 5), s.substring(9, 4), s.substring(-5, 3), s.substr ? s.substr(4, 5) : 'none'],
  caseconv: [s.toUpperCase(), s.toLowerCase(), 'ß'.toUpperCase(), 'İ'.toLowerCase().length, 'ǅ'.toLowerCase()],
  trim: ['  a b  '.trim(), '  a '.trimStart(), ' a  '.trimEnd(), '\t\n x \u00a0'.trim(), '\ufeffx'.trim()],
  pad: ['5'.padStart(3, '0'), '5'.padEnd(4, 'ab'), 'abc'.padStart(2), 'x'.padStart(5), 'x'.padEnd(3, ''), '7'.padStart(4, '12345')],
  repeat: ['ab'.repeat(3), 'x'.repeat(0), ''.repeat(5)],
  repeatErr: (() => { try { 'x'.repeat(-1); } catch (e) { return [e.name, e.message]; } })(),
  split: ['a,b,,c'.split(','), 'abc'.split(''), 'a b  c'.split(' '), 'abc'.split(), 'a,b,c'.split(',', 2), ''.split(','), ''.split(''), 'a1b2c3'.split(/\d/), 'a1b2'.split(/(\d)/)],
  concat: ['a'.concat('b', 1, null, [2, 3])],
  replace: ['aaa'.replace('a', 'b'), 'aaa'.replaceAll('a', 'b'), 'a.b.c'.replace('.', '$&$&'), 'abc'.replace('b', '[$`|$\']'), 'abc'.replace('b', '$$'), 'abc'.replace('x', 'y')],
  replaceRe: ['2020-01-15'.replace(/(\d+)-(\d+)-(\d+)/, '$3/$2/$1'), 'aXbXc'.replace(/x/gi, '_'), 'john smith'.replace(/(?<first>\w+) (?<last>\w+)/, '$<last>, $<first>'), 'abc'.replace(/b/, '$0$1$9')],
  replaceFn: ['a1b22c333'.replace(/\d+/g, (m, off) => `[${m}@${off}]`), 'x-y'.replace(/(\w)-(\w)/, (m, a, b, off, str) => b + a + off + str.length), 'aaa'.replaceAll('a', (m, i) => i)],
  match: ['a1b22'.match(/\d+/g), 'a1b22'.match(/(\d)(\d)?/).slice(), 'a1b22'.match(/(\d)/).index, 'abc'.match(/z/), 'abc'.match(/z/g)],
  matchAll: [...'a1b22c333'.matchAll(/(\d)+/g)].map(m => [m[0], m[1], m.index]),
  namedGroups: (() => { const m = '2024-05'.match(/(?<y>\d{4})-(?<m>\d{2})/); return [m.groups.y, m.groups.m]; })(),
  searchRe: ['abc123'.search(/\d/), 'abc'.search(/z/)],
  regexTest: [/^a.c$/.test('abc'), /^a.c$/.test('a\nc'), /^a.c$/s.test('a\nc'), /\bfox\b/.test(s), /FOX/i.test(s)],
  regexExec: (() => { const re = /o/g; const out = []; let m; while ((m = re.exec(s)) !== null) out.push(m.index + ':' + re.lastIndex); return out; })(),
  regexProps: (() => { const re = /ab+c/gi; return [re.source, re.flags, re.global, re.ignoreCase, re.multiline, String(re)]; })(),
  unicodeRe: ['😀😀'.match(/./gu).length, /\u{1F600}/u.test('😀')],
  localeSort: ['b', 'a', 'C', 'é', 'e', 'Z'].sort((a, b) => a.localeCompare(b)),
  localeCompare: ['a'.localeCompare('b'), 'b'.localeCompare('a'), 'a'.localeCompare('a'), 'a'.localeCompare('A'), 'résumé'.localeCompare('resume'), '10'.localeCompare('9'), '10'.localeCompare('9', undefined, { numeric: true })],
  compare: ['a' < 'b', 'B' < 'a', '10' < '9', 'abc' < 'abd', '' < 'a', 'Z' > 'a'],
  normalize: ['e\u0301'.normalize() === 'é', 'é'.normalize('NFD').length],
  conversions: [String(123), String(-0), String(null), String(undefined), String(true), String([1, [2]]), String(1e21), String(0.000001), String(1e-7), (255).toString(16)],
  iteration: (() => { const out = []; for (const c of 'a😀b') out.push(c); return out; })(),
  forInStr: (() => { const out = []; for (const i in 'abc') out.push(i); return out; })(),
  escape: ['a\\b', 'tab\there', 'quote"\'', '\x41\u0042\u{43}'],
  codeUnits: (() => { const out = []; const str = 'h😀'; for (let i = 0; i < str.length; i++) out.push(str.charCodeAt(i)); return out; })(),
  immut: (() => { const t = 'abc'; t[0] = 'z'; return t; })(),
  localeUpper: ['i'.toLocaleUpperCase(), 'ABC'.toLocaleLowerCase()],
  isWellFormed: typeof ''.isWellFormed,
  strObject: [typeof new String('a'), new String('ab').length, String(new String('x')), new String('a') == 'a'],
};
