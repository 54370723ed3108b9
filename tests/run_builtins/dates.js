export const meta = { name: 'dates', description: 'Date with fixed timestamps (UTC)' };

const d0 = new Date(0);
const d = new Date(Date.UTC(2024, 1, 29, 13, 45, 30, 123));
const fromStr = new Date('2023-07-04T10:20:30.456Z');
const fromDateOnly = new Date('2023-07-04');
const invalid = new Date('not a date');
const mutable = new Date(Date.UTC(2020, 0, 31));
mutable.setUTCMonth(1);
const addDays = new Date(Date.UTC(2024, 11, 31));
addDays.setUTCDate(addDays.getUTCDate() + 1);
const ms = new Date(1e12);

return {
  iso: [d0.toISOString(), d.toISOString(), fromStr.toISOString(), fromDateOnly.toISOString(), ms.toISOString(), new Date(-1).toISOString()],
  json: [JSON.stringify(new Date(86400000)), JSON.stringify({ d: d0 }), d.toJSON(), invalid.toJSON()],
  utc: [Date.UTC(2024, 0, 1), Date.UTC(1970, 0, 1), Date.UTC(2000, 12, 1), Date.UTC(2024, 1, 30), Date.UTC(99, 0), Date.UTC(2024)],
  getters: [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCDay(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds(), d.getTime(), d.valueOf(), +d],
  localGetters: [d.getFullYear(), d.getMonth(), d.getDate(), d.getDay(), d.getHours(), d.getTimezoneOffset()],
  parse: [Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-01T00:00:00.000+02:00'), isNaN(Date.parse('garbage')), Date.parse('2024-03-10T12:00Z')],
  invalid: [isNaN(invalid.getTime()), String(invalid), invalid.getUTCFullYear()],
  invalidIso: (() => { try { invalid.toISOString(); return 'no'; } catch (e) { return [e.name, e.message]; } })(),
  mutable: mutable.toISOString(), addDays: addDays.toISOString(),
  diff: (new Date('2024-03-01T00:00:00Z') - new Date('2024-02-01T00:00:00Z')) / 86400000,
  compare: [d0 < d, d0.getTime() === new Date(0).getTime(), d0 == new Date(0)],
  componentsCtor: new Date(Date.UTC(2024, 0, 1, 0, 0, 0)).getTime(),
  overflow: new Date(Date.UTC(2024, 0, 32)).toISOString(),
  setters: (() => { const t = new Date(0); t.setUTCFullYear(2001); t.setUTCHours(25); t.setUTCMinutes(61); return [t.toISOString(), t.setTime(5), t.getTime()]; })(),
  copy: (() => { const c = new Date(d.getTime()); c.setUTCDate(1); return [c.toISOString(), d.toISOString()]; })(),
  copyFromDate: new Date(d).toISOString(),
  strings: [d.toUTCString(), d0.toDateString(), d0.toString(), String(d0)],
  typeofs: [typeof d, d instanceof Date, Object.prototype.toString.call(d)],
  year: [new Date('0001-01-01T00:00:00Z').getUTCFullYear(), new Date(Date.UTC(-1, 0)).toISOString(), new Date(8.64e15).toISOString()],
  tooBig: isNaN(new Date(8.64e15 + 1).getTime()),
  isoDigits: new Date('2024-01-01T00:00:00.5Z').getTime(),
  sortDates: [new Date(3000), new Date(1000), new Date(2000)].sort((a, b) => a - b).map(x => x.getTime()),
};
