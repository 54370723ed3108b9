export const meta = { name: 'budget-args', description: 'budget with --budget, args passed verbatim' };

const before = budget.remaining();
const answers = [];
for (const topic of args.topics) {
  answers.push(await agent(`Summarize ${topic}`, { label: topic, schema: { type: 'object', properties: { summary: { type: 'string', maxLength: 20 } } } }));
}
const after = budget.remaining();
const frozen = Object.isFrozen(budget);
const exhausted = await (async () => {
  const out = [];
  for (let i = 0; i < 50; i++) {
    try { await agent('filler ' + i, { schema: { type: 'string', minLength: 100, maxLength: 100 } }); out.push('ok'); }
    catch (e) { out.push(e.message); break; }
  }
  return [out.length, out[out.length - 1]];
})();
return {
  total: budget.total, before, spentSome: after < before, frozen, count: answers.length,
  keys: answers.map(a => Object.keys(a)), exhausted,
  args, argType: typeof args, nested: args.opts?.depth ?? 'none', missing: args.nope === undefined,
};
