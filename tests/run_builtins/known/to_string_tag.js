export const meta = { name: 'known-to-string-tag', description: 'Object.prototype.toString of the JSON and Math namespaces' };

return { json: Object.prototype.toString.call(JSON), math: Object.prototype.toString.call(Math) };
