export const meta = { name: 'child', description: 'a child workflow' };
const n = args?.n ?? 0;
phase('Child');
if (args?.nest) {
  try { await workflow('child', { n: 0 }); } catch (e) { return { inner: e.message }; }
}
const rs = await parallel(Array.from({ length: n }, (_, i) => () => agent(`child ${args.tag} ${i}`, { label: `child-${i}` })));
log(`child did ${rs.length}`);
return { tag: args.tag, rs, total: budget.total };
