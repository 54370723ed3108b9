export const meta = { name: 'throw-date-now', description: 'Date.now() is unavailable' };

const stamp = Date.now();
return stamp;
