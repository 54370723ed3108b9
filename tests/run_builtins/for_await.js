export const meta = { name: 'for-await', description: 'for await over arrays of values and promises' };

const seen = [];
for await (const x of [1, Promise.resolve(2), 3]) seen.push(x);

const results = [];
for await (const r of ['a', 'b'].map(f => agent(`review ${f}`))) results.push(typeof r);

let caught = null;
try {
  for await (const v of [Promise.resolve('ok'), Promise.reject(new Error('nope'))]) seen.push(v);
} catch (e) {
  caught = e.message;
}

const early = [];
for await (const x of [10, 20, 30]) {
  if (x === 20) break;
  early.push(x);
}

const pairs = [];
for await (const [k, v] of [Promise.resolve(['a', 1]), ['b', 2]]) pairs.push(`${k}=${v}`);

return { seen, results, caught, early, pairs };
