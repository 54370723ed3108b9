export const meta = { name: 'arrays-more', description: 'Array sort, from, destructuring, spread, copies' };

const nums = [10, 9, 1, 100, 25, 2];
const defSorted = [...nums].sort();
const numSorted = [...nums].sort((a, b) => a - b);
const descSorted = [...nums].sort((a, b) => b - a);
const mixed = [3, 'b', undefined, 'a', 1, null, 'B', 20].sort();
const stable = [
  { k: 1, v: 'a' }, { k: 0, v: 'b' }, { k: 1, v: 'c' }, { k: 0, v: 'd' }, { k: 1, v: 'e' },
].sort((x, y) => x.k - y.k).map(o => o.v).join('');
const strs = ['banana', 'apple', 'Cherry', 'apple2', 'éclair', 'Zed'];
const ts = [3, 1, 2];
const tsCopy = ts.toSorted();
const tr = ts.toReversed();
const tsp = ts.toSpliced(1, 1, 'x', 'y');
const wi = ts.with(1, 99);
const holes = Array.from({ length: 3 });
const fromMap = Array.from({ length: 4 }, (_, i) => i * i);
const fromStr = Array.from('héllo');
const fromSet = Array.from(new Set([1, 1, 2, 3]));
const fromArrayLike = Array.from({ length: 2, 0: 'a', 1: 'b' });
const fromIter = Array.from([1, 2, 3], x => x * 2);
const [x1, , x3 = 'def', ...restArr] = [1, 2, undefined, 4, 5];
const [p = 5, q = p * 2] = [];
const { a: aa, b: { c: cc } = { c: 'dc' }, ...restObj } = { a: 1, d: 4, e: 5 };
let s1 = 1, s2 = 2;
[s1, s2] = [s2, s1];
const spreadStr = [...'abc'];
const spreadConcat = [0, ...[1, 2], ...new Set([3]), ...'4'];
function restFn(first, ...others) { return [first, others.length, others]; }
const entries = [];
for (const [i, v] of ['x', 'y'].entries()) entries.push(i + v);
const keys = [...['a', 'b', 'c'].keys()];
const values = [...['a', 'b'].values()];
const arr = [1, 2, 3];
arr.length = 1;
const arr2 = [1];
arr2[3] = 4;
const arr2Json = JSON.stringify(arr2);
const sortedObjs = [{ n: 'b', a: 2 }, { n: 'a', a: 2 }, { n: 'c', a: 1 }]
  .sort((x, y) => x.a - y.a || x.n.localeCompare(y.n)).map(o => o.n);
const bools = [true, false, true].sort();
const emptySort = [].sort();
const sortReturnsSame = (() => { const z = [2, 1]; return z.sort() === z; })();
const cmpBool = [3, 1, 2].sort((a, b) => a > b ? 1 : -1);
const nestedSort = [[2, 'b'], [1, 'a'], [2, 'a']].sort().map(x => x.join(''));
const negSort = [-1, -10, 5, 0, -0.5].sort();
const floatSort = [0.5, 0.25, 10.5, 1e21, 1e-7].sort();

return {
  defSorted, numSorted, descSorted, mixed, stable,
  strsDefault: [...strs].sort(), strsLocale: [...strs].sort((a, b) => a.localeCompare(b)),
  ts, tsCopy, tr, tsp, wi,
  holesLen: holes.length, holesUndef: holes.every(h => h === undefined), holesMap: holes.map((_, i) => i), holesJson: JSON.stringify(holes),
  fromMap, fromStr, fromSet, fromArrayLike, fromIter,
  x1, x3, restArr, p, q, aa, cc, restObj, s1, s2,
  spreadStr, spreadConcat, rest: restFn(1, 2, 3), restNone: restFn(),
  entries, keys, values, arr, arr2Len: arr2.length, arr2Json, sortedObjs, bools, emptySort, sortReturnsSame, cmpBool, nestedSort,
  negSort, floatSort,
  findLastObj: [{ id: 1, ok: true }, { id: 2, ok: true }, { id: 3 }].findLast(o => o.ok).id,
  chain: [5, 3, 8, 1].filter(x => x > 2).map(x => x * 2).sort((a, b) => a - b).reverse().slice(0, 2),
  uniq: [...new Set([3, 1, 3, 2, 1])],
  maxSpread: Math.max(...[1, 5, 3]), minEmpty: Math.min(...[]),
  groupish: ['one', 'two', 'three', 'four'].reduce((acc, w) => { (acc[w.length] ||= []).push(w); return acc; }, {}),
  zip: [1, 2, 3].map((x, i) => [x, 'abc'[i]]),
  indexOfStrict: ['1', 1].indexOf(1), lastIndexOfNeg: [1, 2, 1, 2].lastIndexOf(1, -2),
  fillNeg: new Array(3).fill('z', -1), arrayIncludesUndef: [undefined].includes(), 
  sliceStr: Array.prototype.slice.call('abc', 1),
  mapCall: Array.prototype.map.call('ab', c => c + c),
  lenAfterPush: (() => { const z = []; z.push(); z.push(undefined); return z.length; })(),
};
