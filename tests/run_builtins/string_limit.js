export const meta = { name: 'string-limit', description: 'doubling a string past V8s limit throws' };
let s = 'x'; let r;
try { for (let i = 0; i < 40; i++) s += s; r = s.length; } catch (e) { r = e.message; }
let t = 'y'; try { for (let i = 0; i < 40; i++) t = `${t}${t}`; } catch (e) { r += ' / ' + e.message; }
return r;
