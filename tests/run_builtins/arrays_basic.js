export const meta = { name: 'arrays-basic', description: 'Array methods: mutation, search, iteration' };

const a = [3, 1, 2];
const pushed = a.push(4, 5);
const popped = a.pop();
const shifted = a.shift();
const unshifted = a.unshift(9, 8);
const sp = [1, 2, 3, 4, 5, 6];
const removed = sp.splice(1, 2, 'a', 'b', 'c');
const sp2 = [1, 2, 3, 4];
const removed2 = sp2.splice(-2);
const sp3 = [1, 2, 3];
const removed3 = sp3.splice(1, 0, 'x');
const sp4 = [1, 2, 3, 4, 5];
const removed4 = sp4.splice(-3, 1);
const sp5 = [1, 2, 3];
const removed5 = sp5.splice();
const sl = [1, 2, 3, 4, 5];
const nested = [1, [2, [3, [4, [5]]]]];
const r = [1, 2, 3];
r.reverse();
const filled = new Array(4).fill(0);
const filled2 = [1, 2, 3, 4, 5].fill(7, 1, -1);
const cw = [1, 2, 3, 4, 5].copyWithin(0, 3);
const cw2 = [1, 2, 3, 4, 5].copyWithin(1, 0, 2);

return {
  pushed, popped, shifted, unshifted, a,
  removed, sp, removed2, sp2, removed3, sp3, removed4, sp4, removed5, sp5,
  slice1: sl.slice(1, 3), slice2: sl.slice(-2), slice3: sl.slice(), slice4: sl.slice(3, 1), slice5: sl.slice(-10, 2),
  concat: [1, 2].concat([3, [4]], 5, [[6]]),
  indexOf: [1, 2, 3, 2].indexOf(2), lastIndexOf: [1, 2, 3, 2].lastIndexOf(2), indexOfFrom: [1, 2, 3, 2].indexOf(2, 2),
  indexOfMissing: [1, 2].indexOf(5), indexOfNaN: [NaN].indexOf(NaN), includesNaN: [NaN].includes(NaN),
  includesFrom: [1, 2, 3].includes(1, 1), includesNeg: [1, 2, 3].includes(3, -1),
  includesZero: [-0].includes(0), indexOfZero: [0].indexOf(-0),
  find: [5, 12, 8, 130].find(x => x > 10), findIndex: [5, 12, 8].findIndex(x => x > 10),
  findLast: [5, 12, 8, 130].findLast(x => x < 100), findLastIndex: [5, 12, 8].findLastIndex(x => x > 100),
  findMissing: [1, 2].find(x => x > 5) === undefined, findIndexMissing: [1].findIndex(x => x > 5),
  some: [1, 2, 3].some(x => x > 2), someEmpty: [].some(x => true), every: [1, 2, 3].every(x => x > 0), everyEmpty: [].every(x => false),
  filter: [1, 2, 3, 4, 5, 6].filter((x, i) => x % 2 === 0 || i === 0),
  map: [1, 2, 3].map((x, i, arr) => x * i + arr.length),
  mapParseInt: ['1', '2', '3'].map(parseInt),
  forEachSum: (() => { let s = 0; [1, 2, 3].forEach((x, i) => { s += x * 10 + i; }); return s; })(),
  reduce: [1, 2, 3, 4].reduce((acc, x) => acc + x), reduceInit: [1, 2, 3].reduce((acc, x) => acc + x, 10),
  reduceIdx: ['a', 'b', 'c'].reduce((acc, x, i) => acc + x + i, ''),
  reduceRight: ['a', 'b', 'c'].reduceRight((acc, x) => acc + x), reduceRightInit: [1, 2, 3].reduceRight((acc, x) => acc.concat([x]), []),
  reduceSingle: [42].reduce((a, b) => a + b),
  reduceEmpty: (() => { try { [].reduce((a, b) => a + b); return 'no'; } catch (e) { return [e.name, e.message, e instanceof TypeError]; } })(),
  reduceEmptyInit: [].reduce((a, b) => a + b, 'init'),
  flat: nested.flat(), flat2: nested.flat(2), flatInf: nested.flat(Infinity), flat0: nested.flat(0),
  flatMap: [1, 2, 3].flatMap(x => [x, x * 2]), flatMapNested: [1, 2].flatMap(x => [[x]]), flatMapScalar: [1, 2].flatMap(x => x),
  reversed: r, filled, filled2, cw, cw2,
  at: [1, 2, 3].at(0), atNeg: [1, 2, 3].at(-1), atOut: [1, 2, 3].at(5) === undefined, atNeg4: [1, 2, 3].at(-4) === undefined,
  atFrac: [1, 2, 3].at(1.7),
  join: [1, null, undefined, 2].join(), joinSep: [1, 2, 3].join(' - '), joinEmpty: [].join(), joinNested: [[1, 2], [3]].join(';'),
  joinEmptySep: ['a', 'b'].join(''), toStr: String([1, [2, 3], null]), arrPlus: [1, 2] + '', emptyArrPlus: [] + [],
  isArray: [Array.isArray([]), Array.isArray({}), Array.isArray('abc'), Array.isArray(new Array(2))],
  arrayOf: Array.of(1, 2, 3), arrayOf1: Array.of(7), newArray3: new Array(1, 2, 3), newArrayLen: new Array(5).length,
  length: [1, 2, 3].length,
};
