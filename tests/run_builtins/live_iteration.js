export const meta = { name: 'live-iteration', description: 'for-of over a Set/Map sees changes made during the loop' };

const iterMut = (() => { const st = new Set([1, 2]); const out = []; for (const v of st) { out.push(v); if (v < 4) st.add(v + 2); } return out; })();
const mapIterDel = (() => { const mm = new Map([[1, 'a'], [2, 'b'], [3, 'c']]); const out = []; for (const [k] of mm) { out.push(k); if (k === 1) mm.delete(2); } return out; })();
// Deleting the current entry and one before it must not skip the next one.
const deleteBehind = (() => { const st = new Set([1, 2, 3, 4]); const out = []; for (const v of st) { out.push(v); if (v === 2) { st.delete(1); st.delete(2); st.add(9); } } return out; })();
const drainMap = (() => { const mm = new Map([[1, 'a'], [2, 'b'], [3, 'c']]); const out = []; for (const [k, v] of mm) { out.push(k + v); mm.delete(k); if (k === 1) mm.set(7, 'z'); } return out; })();
return { iterMut, mapIterDel, deleteBehind, drainMap };
