export const meta = { name: 'builtins-edge', description: 'Map/Set, Promise statics, Error and Function corners' };

const E = f => { try { return f(); } catch (e) { return e.name + ': ' + e.message; } };
const EA = async f => { try { return await f(); } catch (e) { return e.name + ': ' + e.message; } };
function greet(greeting, punct) { return greeting + ', ' + (typeof punct === 'string' ? punct : '?'); }

return {
  mapCtorErr: [E(() => new Map([1])), E(() => new Map(5)), E(() => Map()), E(() => new Set(5))],
  mapCtorNull: [new Map(null).size, new Set(undefined).size, new Map([]).size],
  mapKeysTypes: (() => { const m = new Map([[1, 'n'], ['1', 's'], [true, 'b'], [null, 'null'], [undefined, 'u']]); return [m.size, m.get(1), m.get('1'), m.get(true), m.get(null), m.get(undefined), m.get()]; })(),
  setChain: [...new Set().add(1).add(2).add(1)],
  mapGetMissing: new Map().get('x') === undefined,
  mapForEachMutate: (() => { const m = new Map([[1, 1], [2, 2]]); const seen = []; m.forEach((v, k) => { seen.push(k); if (k === 1) m.set(3, 3); }); return seen; })(),
  setForEachDelete: (() => { const s = new Set([1, 2, 3]); const seen = []; s.forEach(v => { seen.push(v); s.delete(2); }); return seen; })(),
  mapEntriesArr: [...new Map([['a', 1]]).entries()], setEntries: [...new Set(['x']).entries()],
  sizeAfterOps: (() => { const s = new Set([1, 2, 3]); s.delete(2); s.add(4); s.add(1); return [s.size, [...s]]; })(),
  mapString: [String(new Map()), String(new Set()), JSON.stringify([...new Map([[{ a: 1 }, [1]]])])],
  promiseStatics: await Promise.all([
    EA(() => Promise.all(5)),
    EA(() => Promise.all()),
    EA(() => Promise.race(null)),
    EA(() => Promise.allSettled([1, Promise.reject('plain')]).then(r => JSON.stringify(r))),
    EA(() => Promise.any([Promise.reject(1)]).catch(e => [e.constructor === AggregateError, e.message, e.errors])),
    EA(() => Promise.reject(7)),
    EA(() => new Promise(5)),
    EA(() => Promise.resolve(Promise.reject(new Error('inner-rej')))),
    EA(() => Promise.all(new Set([1, Promise.resolve(2)]))),
    EA(() => Promise.all('ab')),
  ]),
  errorProps: (() => { const e = new TypeError('msg'); return [e.name, e.message, 'message' in e, Object.keys(e).length, e.toString(), e.constructor === TypeError]; })(),
  errorSubclasses: ['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError'].map(n => { const C = { Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError }[n]; const e = new C('m'); return [e.name, e instanceof Error, String(e)]; }),
  errorOptions: [new Error('a', { cause: 0 }).cause, 'cause' in new Error('b'), new Error('c', {}).cause === undefined, new Error('d', { cause: undefined }).hasOwnProperty('cause')],
  errorMessageObj: [new Error({ toString() { return 'tos'; } }).message, new Error(['a', 'b']).message],
  errorNameChange: (() => { const e = new RangeError('r'); e.message = 'changed'; return String(e); })(),
  aggregate: (() => { const a = new AggregateError(new Set([1, 2])); return [a.message, a.errors, a.name, a instanceof Error]; })(),
  bind: [greet.bind(null, 'Hi')('!'), greet.bind(null)('Yo', '.'), greet.bind(null, 'A', 'B')('C'), greet.bind(null).name],
  call: [greet.call(null, 'Hey', '?'), greet.apply(null, ['Hello', '!!']), greet.apply(null), greet.apply(null, { length: 2, 0: 'x', 1: 'y' })],
  applyErr: E(() => greet.apply(null, 5)),
  fnProps: [greet.name, greet.length, typeof greet.toString(), greet.toString().startsWith('function greet')],
  arrowToString: (x => x + 1).toString(),
  nativeToString: Math.max.toString(),
};
