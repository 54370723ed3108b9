export const meta = { name: 'known-live-iteration', description: 'for-of over a Set/Map sees changes made during the loop' };

const iterMut = (() => { const st = new Set([1, 2]); const out = []; for (const v of st) { out.push(v); if (v < 4) st.add(v + 2); } return out; })();
const mapIterDel = (() => { const mm = new Map([[1, 'a'], [2, 'b'], [3, 'c']]); const out = []; for (const [k] of mm) { out.push(k); if (k === 1) mm.delete(2); } return out; })();
return { iterMut, mapIterDel };
