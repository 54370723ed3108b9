export const meta = { name: 'throw-type-error', description: 'An uncaught TypeError fails the run' };

const value = { list: null };
const n = [1, 2].map(x => x * 2);
return value.list.length + n.length;
