export const meta = { name: 'json', description: 'JSON.stringify and JSON.parse edge cases' };

const S = JSON.stringify;
const nested = { a: [1, { b: 2, c: [] }, {}], d: { e: null } };
const withToJSON = { x: 1, toJSON() { return { replaced: true }; } };
const toJSONKey = { inner: { toJSON(key) { return 'key=' + key; } } };
const errs = [];
for (const bad of ['{', '{"a":1,}', "{'a':1}", '', 'undefined', '[1,]', 'tru', '01', '"\\x"', '{"a" 1}', 'NaN', '1 2']) {
  try { JSON.parse(bad); errs.push('ok'); } catch (e) { errs.push(e.name + '|' + (e instanceof SyntaxError)); }
}
const reviverLog = [];
const revived = JSON.parse('{"a":1,"b":[1,2],"c":{"d":"x"}}', (k, v) => { reviverLog.push(k); return typeof v === 'number' ? v * 10 : v; });
const reviverDrop = JSON.parse('{"a":1,"b":2}', (k, v) => (k === 'a' ? undefined : v));

return {
  prims: [S(1), S('s'), S(true), S(null), S(undefined), S(NaN), S(Infinity), S(-0), S(1e21), S(1.5e-7), S(0.1 + 0.2), S(-1e-7), S(123456789012345680000)],
  fnUndef: [S(() => 1), S({ f: () => 1, u: undefined, n: null }), S([undefined, () => 1, NaN])],
  nested: S(nested),
  indent2: S(nested, null, 2), indentStr: S({ a: [1], b: {} }, null, '--'), indentBig: S({ a: 1 }, null, 20),
  indentZero: S({ a: [1] }, null, 0), indentLongStr: S({ a: 1 }, null, 'abcdefghijklmn'), indentEmptyArr: S({ a: [], b: {} }, null, 2),
  replacerArr: S({ a: 1, b: 2, c: { a: 3, d: 4 } }, ['a', 'c']),
  replacerFn: S({ a: 1, b: 'x', c: [1, 2] }, (k, v) => (typeof v === 'number' ? v + 1 : v)),
  replacerRoot: S(5, (k, v) => (k === '' ? { root: v } : v)),
  replacerDrop: S({ keep: 1, drop: 2 }, (k, v) => (k === 'drop' ? undefined : v)),
  toJSON: S(withToJSON), toJSONKey: S(toJSONKey), toJSONArr: S([withToJSON]),
  date: S(new Date(86400000)), dateObj: S({ when: new Date(0) }), dateToJSON: new Date(1e12).toJSON(),
  unicode: S('héllo ☃ 😀'), control: S('\u0000\u0001\b\f\n\r\t\u001f"\\/'),
  lineSep: S('\u2028\u2029'), del: S('\u007f'),
  mapSet: S([new Map([[1, 2]]), new Set([1]), /re/g, new Error('e')]),
  numKeys: S({ 2: 'b', 1: 'a', x: 'x' }), boxed: S([new String('s'), new Number(3), new Boolean(false)]),
  sparse: S([1, , 3]), emptyNested: S([[], {}, [[]], [{}]]),
  parse: [JSON.parse('1'), JSON.parse('"s"'), JSON.parse('[1,"a",null,true,{"b":[]}]'), JSON.parse(' {"a" : 1 } '), JSON.parse('-0.5e2'), JSON.parse('"\\u0041\\n"')],
  parseDup: JSON.parse('{"a":1,"a":2}'), parseOrder: Object.keys(JSON.parse('{"b":1,"2":2,"a":3,"1":4}')),
  parseBig: JSON.parse('12345678901234567890'), parseNegZero: Object.is(JSON.parse('-0'), -0), parseExp: JSON.parse('1E3'),
  errs,
  errMsg1: (() => { try { JSON.parse('{"a":'); } catch (e) { return e.message; } })(),
  errMsg2: (() => { try { JSON.parse('[1,]'); } catch (e) { return e.message; } })(),
  errMsg3: (() => { try { JSON.parse(''); } catch (e) { return e.message; } })(),
  errMsg4: (() => { try { JSON.parse('{"a":tru}'); } catch (e) { return e.message; } })(),
  cyclic: (() => { const c = {}; c.self = c; try { S(c); return 'no'; } catch (e) { return e.name + ':' + (e instanceof TypeError); } })(),
  revived, reviverLog, reviverDrop,
  roundTrip: JSON.parse(S({ s: 'a"b\\c', n: [1.25, -3], t: true })),
  stringifyStringKeyEscape: S({ 'a"b': 1, 'new\nline': 2 }),
  nestedIndentArr: S([1, [2, [3]]], null, 1),
  undefinedInObjIndent: S({ a: undefined, b: 1 }, null, 2),
  keyOrderAfterDelete: (() => { const o = { a: 1, b: 2 }; delete o.a; o.a = 3; return S(o); })(),
};
