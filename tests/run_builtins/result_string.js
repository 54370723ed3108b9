export const meta = { name: 'result-string', description: 'A primitive result is printed as JSON' };

return ['quote"', 'new\nline', 'uni☃'].join('|');
