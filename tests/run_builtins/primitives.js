export const meta = { name: 'primitives', description: 'parallel, pipeline, agent argument checks, phase, log, budget' };

phase('Setup');
log('starting');
log({ not: 'a string' });
const msg = async f => { try { await f(); return 'no throw'; } catch (e) { return [e?.name, e?.message, String(e), e instanceof Error]; } };

const par = await parallel([
  () => 1,
  () => { throw new Error('sync-throw'); },
  async () => { throw new Error('async-throw'); },
  () => Promise.resolve('resolved'),
  'plain-value',
  Promise.resolve('promise-elem'),
  Promise.reject(new Error('rejected-elem')),
  () => undefined,
  null,
  async () => { await null; return { nested: [1, 2] }; },
]);
const parEmpty = await parallel([]);
const callOrder = [];
await parallel([0, 1, 2].map(i => () => { callOrder.push(i); return i; }));
const parIsArray = Array.isArray(par);

const stageArgs = [];
const pipe = await pipeline(
  ['a', 'b', 'c'],
  (prev, item, index) => { stageArgs.push([prev, item, index]); return prev + '1'; },
  (prev, item, index) => { stageArgs.push([prev, item, index]); if (item === 'b') throw new Error('stage2'); return prev + '2'; },
  async (prev, item, index) => { stageArgs.push([prev, item, index]); return prev.toUpperCase(); },
);
const pipeNull = await pipeline([1, 2], x => (x === 1 ? null : x), prev => (prev === null ? 'got-null' : prev * 10));
const pipeNoStages = await pipeline([1, 2, 3]);
const pipeEmpty = await pipeline([], x => x);

const errors = {
  parallelNonArray: await msg(() => parallel('nope')),
  pipelineNonArray: await msg(() => pipeline({}, x => x)),
  pipelineBadStage: await msg(() => pipeline([1], x => x, 'not-fn')),
  agentNoPrompt: await msg(() => agent()),
  agentNumPrompt: await msg(() => agent(42)),
  agentBadOpts: await msg(() => agent('hi', 'opts')),
  agentBadOptsNum: await msg(() => agent('hi', 5)),
  schemaContradiction: await msg(() => agent('x', { schema: { type: 'object', properties: { a: { type: 'string' } }, required: ['b'], additionalProperties: false } })),
};

phase('Agents');
const a1 = await agent('Say hello', { label: 'greeter' });
const a2 = await agent('Give structured', { schema: { type: 'object', properties: { name: { type: 'string' }, n: { type: 'integer', minimum: 1, maximum: 5 }, tags: { type: 'array', items: { type: 'string' }, maxItems: 2 } }, required: ['name'] } });
const a3 = await agent('enum', { schema: { enum: ['x', 'y', 'z'] } });
const aNullOpts = await agent('null opts', null);
const viaParallel = await parallel(['p', 'q'].map(p => () => agent('item ' + p, { label: 'item-' + p })));
const viaPipeline = await pipeline(['r'], x => agent('stage ' + x, { schema: { type: 'number' } }), (prev, item, i) => [typeof prev, item, i]);

return {
  par, parEmpty, callOrder, parIsArray, pipe, stageArgs, pipeNull, pipeNoStages, pipeEmpty, errors,
  a1: typeof a1, a1len: a1.length > 0, a2, a2keys: Object.keys(a2), a3, aNullOpts: typeof aNullOpts, viaParallel, viaPipeline,
  budget: [budget.total, budget.remaining(), typeof budget.remaining, budget.remaining() === Infinity],
  argsValue: args === undefined,
  typeofs: [typeof agent, typeof parallel, typeof pipeline, typeof phase, typeof log, typeof workflow],
  phaseRet: phase('Done') === undefined, logRet: log('x') === undefined,
};
