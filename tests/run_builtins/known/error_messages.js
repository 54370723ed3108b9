export const meta = { name: 'known-error-messages', description: 'V8 TypeError messages the evaluator words differently' };

const catchIt = f => { try { f(); return 'no throw'; } catch (e) { return [e?.name, e?.message]; } };
const undef = undefined;
const nul = null;

return {
  notIterable: catchIt(() => { const [a] = {}; return a; }),
  spreadUndef: catchIt(() => [...undef]),
  destructUndef: catchIt(() => { const { a } = undef; return a; }),
  destructNull: catchIt(() => { const { a } = nul; return a; }),
  inOnPrim: catchIt(() => 'a' in 'abc'),
};
