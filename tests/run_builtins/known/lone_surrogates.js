export const meta = { name: 'known-lone-surrogates', description: 'Lone surrogates are replaced by U+FFFD (strings are UTF-8)' };

return {
  code: '\ud800'.charCodeAt(0),
  json: JSON.stringify('\ud800'),
  jsonLow: JSON.stringify('a\udc00b'),
  half: JSON.stringify('😀'.slice(0, 1)),
  splitEmpty: JSON.stringify('😀x'.split('')),
  nonUnicodeDot: '😀😀'.match(/./g).length,
};
