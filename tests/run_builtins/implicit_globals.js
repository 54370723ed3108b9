export const meta = { name: 'implicit-globals', description: 'Names assigned without a declaration (sloppy mode)' };

// Before its first assignment the name does not exist.
const before = typeof note;
let readBefore;
try { readBefore = note; } catch (e) { readBefore = `${e.name}: ${e.message}`; }
let bumpBefore;
try { counter += 1; } catch (e) { bumpBefore = e.name; }

note = 'first';
counter = 0;
counter += 2;
counter++;

function setFromInside(v) { fromFn = v; return fromFn; }
const inside = setFromInside(7);

[pa, pb = 'dflt'] = ['a'];
({ k: ok, ...restObj } = { k: 1, x: 2, y: 3 });

const seen = [];
for (item of ['x', 'y']) seen.push(item);
for (key in { p: 1, q: 2 }) seen.push(key);

// A local of the same name shadows the global.
function shadow() { let note = 'local'; return note; }

return {
  before,
  readBefore,
  bumpBefore,
  note,
  counter,
  inside,
  fromFn,
  pa,
  pb,
  ok,
  restObj,
  seen,
  item,
  key,
  shadowed: shadow(),
  after: typeof note,
};
