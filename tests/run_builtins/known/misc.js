export const meta = { name: 'known-misc', description: 'Small differences owned outside the builtins' };

function greet(greeting, punct) { return greeting + punct; }
const E = f => { try { return f(); } catch (e) { return e.name + ': ' + e.message; } };
return {
  // ops.rs: V8 checks "is an object" before "is callable".
  instanceofPrimitive: E(() => ({}) instanceof 5),
  // value.rs: native functions (bound ones included) have no arity, so length is 0.
  boundLength: greet.bind(null, 1).length,
};
