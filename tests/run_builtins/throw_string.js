export const meta = { name: 'throw-string', description: 'Throwing a string fails the run with its text' };

const steps = ['a', 'b'];
if (steps.length === 2) throw 'plain string thrown';
return steps;
