export const meta = { name: 'errors', description: 'Error objects, built-in TypeError/ReferenceError messages' };

const catchIt = f => { try { f(); return 'no throw'; } catch (e) { return [e?.name, e?.message, String(e)]; } };
const undef = undefined;
const nul = null;
const obj = { a: 1, fn: 5 };
const e1 = new Error('x');
const e2 = new TypeError('bad type');
const e3 = Error('no new');
const e4 = new RangeError();
const custom = new Error('with cause', { cause: 'root' });
const agg = new AggregateError([new Error('a'), new Error('b')], 'many');
const named = new Error('renamed');
named.name = 'CustomError';
const withProps = Object.assign(new Error('props'), { code: 'E_CODE' });

return {
  basic: [e1.message, e1.name, String(e1), e1 instanceof Error, e2 instanceof TypeError, e2 instanceof Error, e2 instanceof RangeError, String(e2)],
  noNew: [e3.message, e3 instanceof Error], empty: [e4.message, String(e4), e4.name],
  cause: custom.cause, agg: [agg.name, agg.message, agg.errors.length, agg.errors[1].message],
  named: String(named), withProps: [withProps.code, withProps.message],
  json: [JSON.stringify(e1), JSON.stringify({ e: e1 }), Object.keys(e1)],
  callUndef: catchIt(() => undef()),
  callProp: catchIt(() => obj.missing()),
  callNum: catchIt(() => obj.fn()),
  callNested: catchIt(() => obj.a.b.c()),
  readUndef: catchIt(() => undef.x),
  readNull: catchIt(() => nul.x),
  readNullIdx: catchIt(() => nul[0]),
  readUndefNested: catchIt(() => obj.missing.deep),
  writeUndef: catchIt(() => { undef.x = 1; }),
  notDefined: catchIt(() => notDefinedAnywhere),
  notDefinedCall: catchIt(() => notDefinedFn()),
  newNonCtor: catchIt(() => new obj.fn()),
  notIterableNum: catchIt(() => { for (const x of 5) {} }),
  invalidLen: catchIt(() => new Array(-1)),
  toFixedRange: catchIt(() => (1).toFixed(101)),
  radixRange: catchIt(() => (1).toString(1)),
  freezePush: catchIt(() => Object.freeze([1]).push(2)),
  nullProto: catchIt(() => Object.keys(null)),
  throwString: catchIt(() => { throw 'plain'; }),
  errorToStringCustom: (() => { const e = new Error('m'); e.name = ''; return String(e); })(),
  errorMessageCoerce: [new Error(42).message, new Error(undefined).message, new Error(null).message],
  instanceofChecks: [[] instanceof Array, [] instanceof Object, {} instanceof Array, new Date(0) instanceof Date],
  stackType: typeof e1.stack,
  finallyRethrow: (() => { const seen = []; try { try { throw new TypeError('t'); } finally { seen.push('fin'); } } catch (e) { seen.push(e.name); } return seen; })(),
  catchScope: (() => { let e = 'outer'; try { throw new Error('inner'); } catch (e) { e = 'reassigned'; } return e; })(),
  hasOwnMessage: [Object.prototype.hasOwnProperty.call(e1, 'message'), e1.hasOwnProperty('name')],
};
