export const meta = { name: 'throw-custom', description: 'Throwing an object with a message' };

throw Object.assign(new Error('custom object error'), { name: 'ValidationError' });
