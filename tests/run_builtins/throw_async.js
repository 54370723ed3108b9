export const meta = { name: 'throw-async', description: 'A rejection awaited at the top level fails the run' };

async function failLater() {
  await new Promise(r => setTimeout(r, 5));
  throw new RangeError('late failure ' + [1, 2, 3].join('-'));
}
await failLater();
return 'unreachable';
