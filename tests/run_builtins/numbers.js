export const meta = { name: 'numbers', description: 'Number formatting, parsing, Math, arithmetic edge cases' };

const S = x => (Object.is(x, -0) ? '-0' : String(x));

return {
  toFixed: [(1.005).toFixed(2), (1.45).toFixed(1), (0).toFixed(2), (-1.5).toFixed(0), (1e21).toFixed(2), (123.456).toFixed(), (0.000001).toFixed(7), (-0.0001).toFixed(2), (2.5).toFixed(0), (1.255).toFixed(2)],
  toPrecision: [(123.456).toPrecision(4), (0.00001234).toPrecision(2), (1e21).toPrecision(3), (123456).toPrecision(2), (1.5).toPrecision(1), (0).toPrecision(3)],
  toExponential: [(12345).toExponential(2), (0.00015).toExponential(1), (1).toExponential()],
  radix: [(255).toString(2), (255).toString(36), (-255).toString(16), (0.5).toString(2), (3.75).toString(16), (35).toString(36), (1e21).toString(10)],
  toStr: [S(0.1 + 0.2), S(1 / 3), S(100), S(1e21), S(1e-7), S(123e-20), S(2 ** 53), S(2 ** 53 + 1), S(-1e-7), S(5e-324), S(1.7976931348623157e308), S(0.000001), S(-0)],
  parseInt: [parseInt('42px'), parseInt('  -17'), parseInt('0x1F'), parseInt('1010', 2), parseInt('z', 36), parseInt(''), parseInt('3.9'), parseInt('1e3'), parseInt(null), parseInt('12', 1), parseInt('0.0000005'), parseInt(0.0000005), parseInt('-0'), parseInt('+5'), parseInt('ff', 16), parseInt('08')],
  parseFloat: [parseFloat('3.14abc'), parseFloat('.5'), parseFloat('-.5e2'), parseFloat('Infinityx'), parseFloat('abc'), parseFloat('1e1000'), parseFloat('  2  '), parseFloat('1.2.3')],
  Number: [Number(''), Number(' 12 '), Number('12px'), Number('0x10'), Number('0b101'), Number('0o17'), Number(null), Number(undefined), Number(true), Number([]), Number([5]), Number([1, 2]), Number({}), Number('1e3'), Number('-Infinity'), Number('1_000')],
  predicates: [Number.isInteger(5), Number.isInteger(5.0), Number.isInteger(5.5), Number.isInteger('5'), Number.isSafeInteger(2 ** 53), Number.isFinite('5'), isFinite('5'), Number.isNaN('x'), isNaN('x'), Number.isInteger(Infinity)],
  constants: [Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON > 0, Number.MAX_VALUE, Number.MIN_VALUE, Number.POSITIVE_INFINITY],
  math: [Math.round(2.5), Math.round(-2.5), Math.round(0.49999999999999994), S(Math.round(-0.4)), Math.floor(-1.5), Math.ceil(-1.5), S(Math.ceil(-0.5)), Math.trunc(-4.7), Math.sign(-3), Math.abs(-7.5), Math.max(), Math.min(), Math.max(1, NaN), Math.max(-0, 0), Math.min(0, -0) === 0],
  math2: [Math.sqrt(16), Math.cbrt(27), Math.pow(2, 10), Math.pow(2, -1), Math.hypot(3, 4), Math.log(Math.E), Math.log10(1000), Math.log2(8), Math.exp(0), Math.PI, Math.sin(0), Math.cos(Math.PI), Math.atan2(1, 1), Math.fround(5.5), Math.clz32(1), Math.sign(-0), Math.expm1(0), Math.log1p(0)],
  arith: [0.1 + 0.2, 7 % 3, -7 % 3, 7 % -3, 5.5 % 2, S(-4 % 2), 2 ** 10, 2 ** -2, (-2) ** 3, 2 ** 3 ** 2, 1 / 0, -1 / 0, S(0 / 0), S(-0 + 0), S(-0 - 0), S(0 * -1), 10 / 3, Infinity - Infinity, Infinity * 0, 9007199254740993, 0.1 * 3, 1e16 + 1],
  bitwise: [5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 31, 1 << 32, -1 >>> 0, -1 >> 28, -16 >>> 28, 2 ** 32 | 0, 2.7 | 0, -2.7 | 0, ~~'12', 1.5e10 | 0, NaN | 0],
  coercion: ['5' * '2', '5' + 2, '5' - 2, +'', +' ', +'\n', +[], +{}, 1 + null, 1 + undefined, true + true, [] + {}, [1] * 2, '3' > '12', 3 > '12', null + 'x', -'5', +true, 'b' + 'a' + +'a' + 'a'],
  looseEq: [0 == '', 0 == '0', '' == '0', null == undefined, null == 0, undefined == 0, NaN == NaN, [] == false, [0] == false, [1] == 1, '1' == 1, true == 1, true == '1', null == false, ({}) == '[object Object]', 'a' == new String('a')],
  strictEq: [0 === -0, NaN === NaN, Object.is(NaN, NaN), Object.is(0, -0), '1' === 1, null === null, undefined === undefined],
  relational: [null >= 0, null > 0, undefined >= 0, NaN < 1, 'a' < 1, [2] > 1, '10' > 9],
  typeofs: [typeof 1, typeof NaN, typeof '1', typeof (1 + ''), typeof undeclaredVar, typeof null, typeof [].length],
  incr: (() => { let i = 0; const a = i++; const b = ++i; let j = '5'; j++; let k = 'x'; k++; return [a, b, i, j, S(k)]; })(),
  compound: (() => { let x = 10; x += 5; x -= 3; x *= 2; x /= 4; x %= 4; x **= 3; x <<= 2; x >>= 1; x |= 1; x &= 7; x ^= 2; return x; })(),
  numLiterals: [0x1f, 0o17, 0b101, 1_000_000, .5, 5., 1e3, 0.1e-2],
  toLocale: [(1234.5).toLocaleString(), (1234567.891).toLocaleString('en-US'), (0.5).toLocaleString()],
  numberObj: [typeof new Number(1), new Number(5) + 1, Number.parseFloat === parseFloat, (5).valueOf()],
  mathRound: [1.005 * 100, Math.round(1.005 * 100) / 100, Math.round(-0.5), Math.round(1.5), Math.floor(-0), Math.max(...[3, 7, 2])],
  tofixedRounding: [(8.345).toFixed(2), (8.335).toFixed(2), (0.5).toFixed(0), (1.5).toFixed(0), (10.235).toFixed(2), (1e-10).toFixed(3)],
  large: [2 ** 64, 123456789 * 987654321, 1e300 * 1e10, -(2 ** 31), 2 ** 31 >> 0, 4294967295 >> 0, S(Number.MIN_VALUE / 2)],
};
