export const meta = { name: 'throw-cycle', description: 'A cyclic result cannot be serialized' };

const a = { name: 'a' };
a.self = a;
return a;
