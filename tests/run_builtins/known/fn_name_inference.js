export const meta = { name: 'known-fn-name-inference', description: 'Anonymous functions take the name of the binding they initialise' };

const arrowName = () => {};
const fnExpr = function () {};
const obj = { method: () => {} };
return { arrowName: arrowName.name, fnExpr: fnExpr.name, prop: obj.method.name };
