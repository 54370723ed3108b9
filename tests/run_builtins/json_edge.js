export const meta = { name: 'json-edge', description: 'More JSON.stringify/parse corners' };

const S = JSON.stringify;
const err = t => { try { return JSON.parse(t); } catch (e) { return e.name + ': ' + e.message; } };
return {
  replacerArrDup: S({ a: 1, b: 2 }, ['b', 'a', 'b']),
  replacerArrNums: S({ 1: 'one', 2: 'two' }, [1]),
  replacerArrOnArray: S([{ a: 1, b: 2 }], ['a']),
  replacerNested: S({ x: [1, { y: 2 }] }, (k, v) => (Array.isArray(v) ? v.length : v)),
  replacerKeys: (() => { const ks = []; S({ a: [10, { b: 1 }] }, (k, v) => { ks.push(k); return v; }); return ks; })(),
  toJSONArgs: (() => { const ks = []; S({ p: { toJSON(k) { ks.push(k); return 1; } }, q: [{ toJSON(k) { ks.push(k); return 2; } }] }); return ks; })(),
  toJSONReturnsUndef: S({ a: { toJSON() { return undefined; } }, b: 1 }),
  toJSONNonFn: S({ toJSON: 5, v: 1 }),
  indentNested: S({ a: { b: { c: [1, { d: [] }] } } }, null, '\t'),
  indentNeg: S([1], null, -5), indentFloat: S([1], null, 2.9), indentStrNum: S([1], null, '2'),
  numbers: S([1e21, 1e-6, 1e-7, -1e-7, 0.1, 100, 1.0, 2 ** 53, 123.456e5, 5e-324]),
  escapes: S('\u0007\u000b\u007f\u0080\u00ff\ufffe'),
  parseWhitespace: err(' \t\n\r[ 1 , 2 ]\n'),
  parseBadWs: err('\u00a0[1]'),
  parseNested: err('[[[[[[[[[[1]]]]]]]]]]'),
  parseEscapes: err('"\\b\\f\\n\\r\\t\\/\\\\\\"\\u00e9"'),
  parseErrors: [err('[1, 2'), err('{"a":1'), err('"abc'), err('{"a":1}x'), err('-'), err('1.'), err('.5'), err('+1'), err('"\t"'), err('nul'), err('[,1]'), err('{a:1}')],
  parseTypes: [typeof JSON.parse('true'), JSON.parse('null'), JSON.parse('[]').length, JSON.parse('{}').constructor === Object],
  parseProto: (() => { const o = JSON.parse('{"__proto__":{"x":1}}'); return [Object.keys(o), o.x === undefined]; })(),
  parseLarge: [JSON.parse('1e400'), JSON.parse('-1e400'), JSON.parse('1e-400'), JSON.parse('0.1e1')],
  reviverArr: JSON.parse('[1,[2,3]]', (k, v) => (Array.isArray(v) ? v.length : v * 2)),
  stringifyArgs: [S(), S(undefined, null, 2)],
  boxedStr: S({ s: new String('x'), n: new Number(NaN), b: new Boolean(true) }),
  nestedEmptyIndent: S({ a: [], b: {}, c: [[]] }, null, 2),
  keysWithUnicode: S({ 'ké': 1, '☃': 2, '\n': 3 }),
  arrayProps: (() => { const a = [1, 2]; a.extra = 'x'; return S(a); })(),
  dateInArray: S([new Date(0), new Date(NaN)]),
  deep: (() => { let v = 'leaf'; for (let i = 0; i < 50; i++) v = { i, v }; return S(v).length; })(),
};
