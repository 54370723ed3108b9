export const meta = { name: 'throw-random', description: 'Math.random() is unavailable' };

return Math.random();
