export const meta = { name: 'arrays-callbacks', description: 'Callbacks observing and mutating arrays during iteration' };

const visited = [];
const grow = [1, 2, 3];
grow.forEach((x, i, arr) => { visited.push(x); if (i === 0) arr.push(99); });
const shrinkVisited = [];
const shrink = [1, 2, 3, 4];
shrink.forEach((x, i, arr) => { shrinkVisited.push(x); if (i === 0) arr.pop(); });
const mapGrow = [1, 2].map((x, i, arr) => { if (i === 0) arr.push(3); return x * 10; });
const filterIdx = ['a', 'b', 'c'].filter((x, i, arr) => arr.indexOf(x) === i && i !== 1);
const forOfGrow = [];
const fg = [1, 2];
for (const x of fg) { forOfGrow.push(x); if (fg.length < 5) fg.push(x + 10); }
const cmpCalls = [];
const sorted = [3, 1, 2].sort((a, b) => { cmpCalls.push(`${a}${b}`); return a - b; });
const cmpReturnsBool = [5, 1, 4, 2, 3].sort((a, b) => a > b);
const cmpReturnsStr = [3, 1, 2].sort((a, b) => String(a - b));
const sortUndefined = [3, undefined, 1, undefined, 2].sort();
const sortUndefinedCmp = [3, undefined, 1].sort((a, b) => b - a);
const longSort = Array.from({ length: 40 }, (_, i) => (i * 17) % 23).sort((a, b) => a - b);
const longStable = Array.from({ length: 30 }, (_, i) => ({ k: i % 3, i })).sort((a, b) => a.k - b.k).map(o => o.i);
const reduceIdx = [];
[10, 20, 30].reduce((acc, x, i, arr) => { reduceIdx.push([acc, x, i, arr.length]); return acc + x; });
const everyShort = [];
[1, 2, 3, 4].every(x => { everyShort.push(x); return x < 2; });
const someShort = [];
[1, 2, 3, 4].some(x => { someShort.push(x); return x === 2; });
const findIdx = [];
[5, 6, 7].find((x, i) => { findIdx.push(i); return x === 6; });
const flatMapIdx = ['a', 'b'].flatMap((x, i) => [x, i]);
const spliceInLoop = (() => { const arr = [1, 2, 3, 4, 5, 6]; for (let i = arr.length - 1; i >= 0; i--) if (arr[i] % 2 === 0) arr.splice(i, 1); return arr; })();
const fromThis = Array.from([1, 2], function (x) { return x * 3; });
const nestedMap = [[1, 2], [3]].map(row => row.map(x => x * 2));
const reduceObj = [['a', 1], ['b', 2]].reduce((o, [k, v]) => ({ ...o, [k]: v }), {});
const includesObj = (() => { const o = {}; return [[o].includes(o), [{}].includes({})]; })();
const joinCycle = (() => { const a = [1]; a.push(a); return a.join(); })();
const lengthSet = (() => { const a = [1, 2, 3]; a.length = 5; return [a.length, JSON.stringify(a)]; })();
const indexAssign = (() => { const a = []; a[2] = 'x'; return [a.length, JSON.stringify(a)]; })();
const negIndex = (() => { const a = [1]; a[-1] = 'neg'; return [a.length, a[-1], Object.keys(a)]; })();
const strIndex = (() => { const a = [1, 2]; return [a['1'], a['01'], a[1.0]]; })();
const fillObj = (() => { const a = new Array(2).fill({}); a[0].x = 1; return JSON.stringify(a); })();
const frozenArr = (() => { const a = Object.freeze([1, 2]); try { a.push(3); } catch (e) { return [e.name, a.length]; } return 'no'; })();
const copyArr = (() => { const a = [1, [2]]; const b = [...a]; b[1].push(3); b[0] = 9; return [a, b]; })();

return {
  visited, shrinkVisited, mapGrow, filterIdx, forOfGrow, sorted, cmpCalls, cmpReturnsBool, cmpReturnsStr, sortUndefined, sortUndefinedCmp,
  longSort, longStable, reduceIdx, everyShort, someShort, findIdx, flatMapIdx, spliceInLoop, fromThis, nestedMap, reduceObj, includesObj,
  joinCycle, lengthSet, indexAssign, negIndex, strIndex, fillObj, frozenArr, copyArr,
};
