export const meta = { name: 'result-undefined', description: 'A script returning undefined prints null' };

const x = [1, 2, 3].forEach(v => v);
return x;
