export const meta = { name: 'parent', description: 'calls child workflows' };
phase('Parent');
const a = await workflow('child', { n: 2, tag: 'by-name' });
const b = await workflow({ scriptPath: './child.js' }, { n: 1, tag: 'by-path' });
let missing;
try { await workflow('nope', {}); } catch (e) { missing = e.message; }
let nested;
try { nested = await workflow('child', { n: 0, nest: true }); } catch (e) { nested = e.message; }
const c = await workflow('tools:child', { n: 1, tag: 'namespaced' });
const after = await agent(`summarize ${JSON.stringify([a, b])}`, { label: 'summary' });
return { a, b, c, missing, nested, after };
