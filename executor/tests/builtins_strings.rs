//! Differential tests of the string, regex, number, `Math` and global built-ins against Node.
//!
//! Every case is a JavaScript expression. Node evaluates it in a `node:vm` context set up like the
//! workflow sandbox (`tests/common_js/eval_cases.js`); the Rust side evaluates the same text with a
//! tiny expression evaluator written here (literals, identifiers, member access, calls, `new`,
//! assignment to scratch variables, comma, and `+ - * / % **`), which calls the built-ins through
//! `Rt` directly: the interpreter is not involved. Both sides format the result with the same
//! formatter (`fmt`), and a throw as `throws <name>: <message>`; the texts must be identical.
//! The Node half is skipped, with a message, when `node` is not on PATH.

mod common;

use std::collections::HashMap;
use std::process::Command;

use wfc_executor::eval::builtins::global;
use wfc_executor::eval::ops;
use wfc_executor::eval::value::{number_to_string, ordered_keys, Kind, Obj, Value};
use wfc_executor::eval::Rt;

use common::Gen;

const CASES: &[&str] = &[
    // ---- String: indexing and slicing -------------------------------------------------------------
    r#""abc".length"#,
    r#""😀a".length"#,
    r#""héllo".length"#,
    r#""abc".at(-1)"#,
    r#""abc".at(3)"#,
    r#""abc".at(-4)"#,
    r#""a😀b".at(1)"#,
    r#""abc".charAt(1)"#,
    r#""abc".charAt(5)"#,
    r#""abc".charAt(-1)"#,
    r#""abc".charAt(1.7)"#,
    r#""abc".charAt()"#,
    r#""😀".charAt(0)"#,
    r#""abc".charCodeAt(0)"#,
    r#""abc".charCodeAt(9)"#,
    r#""😀".charCodeAt(0)"#,
    r#""😀".charCodeAt(1)"#,
    r#""é".charCodeAt(0)"#,
    r#""😀".codePointAt(0)"#,
    r#""😀".codePointAt(1)"#,
    r#""a😀".codePointAt(1)"#,
    r#""abc".codePointAt(3)"#,
    r#""hello world".slice(-5)"#,
    r#""hello".slice(1, -1)"#,
    r#""hello".slice(3, 1)"#,
    r#""hello".slice(NaN, 2)"#,
    r#""hello".slice(-Infinity, Infinity)"#,
    r#""a😀b".slice(1, 3)"#,
    r#""a😀b".slice(1, 2)"#,
    r#""a😀b".slice(2)"#,
    r#""hello".substring(3, 1)"#,
    r#""hello".substring(-2, 2)"#,
    r#""hello".substring(2, NaN)"#,
    r#""hello".substring(1)"#,
    r#""hello".substr(-3, 2)"#,
    r#""hello".substr(1)"#,
    r#""hello".substr(1, -1)"#,
    r#""hello".substr(-10, 3)"#,
    r#""héllo wörld".slice(1, 8)"#,
    // ---- String: searching ----------------------------------------------------------------------------
    r#""hello".indexOf("l")"#,
    r#""hello".indexOf("l", 3)"#,
    r#""hello".indexOf("")"#,
    r#""hello".indexOf("", 10)"#,
    r#""hello".indexOf("z")"#,
    r#""a😀b😀".indexOf("😀", 2)"#,
    r#""a😀b😀".indexOf("b")"#,
    r#""hello".lastIndexOf("l")"#,
    r#""hello".lastIndexOf("l", 2)"#,
    r#""hello".lastIndexOf("")"#,
    r#""hello".lastIndexOf("", 2)"#,
    r#""hello".lastIndexOf("h", -5)"#,
    r#""canal".lastIndexOf("a", NaN)"#,
    r#""😀x😀x".lastIndexOf("x")"#,
    r#""😀x😀x".lastIndexOf("😀", 2)"#,
    r#""hello".includes("ell")"#,
    r#""hello".includes("ell", 2)"#,
    r#""hello".includes(/ell/)"#,
    r#""hello".startsWith("he")"#,
    r#""hello".startsWith("l", 2)"#,
    r#""hello".startsWith("")"#,
    r#""hello".endsWith("lo")"#,
    r#""hello".endsWith("l", 4)"#,
    r#""hello".endsWith("hello", 99)"#,
    r#""😀a".endsWith("a")"#,
    r#""😀a".startsWith("😀")"#,
    r#""hello".startsWith(/h/)"#,
    r#""hello".endsWith(/o/)"#,
    r#""undefined".includes()"#,
    r#""hello".search("l+")"#,
    r#""hello".search(/z/)"#,
    r#""😀hello".search(/l/)"#,
    r#""a.b".search(".")"#,
    // ---- String: case, trim, pad, repeat, concat ------------------------------------------------------
    r#""Hello".toUpperCase()"#,
    r#""Hello".toLowerCase()"#,
    r#""straße".toUpperCase()"#,
    r#""ΑΣ".toLowerCase()"#,
    r#""İ".toLowerCase().length"#,
    r#""ǆ".toUpperCase()"#,
    r#""abc".toLocaleUpperCase()"#,
    r#""  hi \n".trim()"#,
    r#""\u00a0\ufeffhi\u2028".trim()"#,
    r#""\u0085hi".trim()"#,
    r#""  hi  ".trimStart()"#,
    r#""  hi  ".trimEnd()"#,
    r#""abc".padStart(6, "xy")"#,
    r#""abc".padEnd(6, "xy")"#,
    r#""abc".padStart(2)"#,
    r#""abc".padStart(5)"#,
    r#""abc".padStart(5, "")"#,
    r#""abc".padEnd(4, "😀")"#,
    r#""abc".padStart(2**29)"#,
    r#""5".padStart(3, 0)"#,
    r#""ab".repeat(3)"#,
    r#""ab".repeat(0)"#,
    r#""ab".repeat(2.9)"#,
    r#""a".repeat(-1)"#,
    r#""a".repeat(-1.5)"#,
    r#""a".repeat(Infinity)"#,
    r#""a".repeat(2**29)"#,
    r#""".repeat(2**40)"#,
    r#""a".concat(1, null, undefined, [2, 3])"#,
    r#""x".concat()"#,
    // ---- String: split ------------------------------------------------------------------------------
    r#""a,b,,c".split(",")"#,
    r#""a,b,c".split(",", 2)"#,
    r#""abc".split("")"#,
    r#""".split("")"#,
    r#""".split(",")"#,
    r#""abc".split()"#,
    r#""abc".split(undefined, 0)"#,
    r#""a😀b".split("")"#,
    r#""a-b_c".split(/[-_]/)"#,
    r#""a1b2c3".split(/(\d)/)"#,
    r#""a1b2c3".split(/(\d)/, 3)"#,
    r#""abc".split(/(?:)/)"#,
    r#""".split(/(?:)/)"#,
    r#""".split(/a/)"#,
    r#""a, b ,c".split(/\s*,\s*/)"#,
    r#""test".split(/(t)?/)"#,
    r#""a😀b".split(/(?:)/u)"#,
    r#""one  two".split(" ")"#,
    r#""line1\nline2\r\nline3".split(/\r?\n/)"#,
    r#""abc".split("", 2)"#,
    r#""a,b".split(",", -1)"#,
    r#""xAyAz".split("A", 2**32 + 1)"#,
    // ---- String: replace ----------------------------------------------------------------------------
    r#""aXbX".replace("X", "-")"#,
    r#""aXbX".replaceAll("X", "$&$&")"#,
    r#""abc".replace("b", "[$`|$'|$$|$&]")"#,
    r#""abc".replace("b", "$1")"#,
    r#""abc".replace("", "-")"#,
    r#""abc".replaceAll("", "-")"#,
    r#""a😀".replaceAll("", "-")"#,
    r#""aaa".replaceAll("aa", "b")"#,
    r#""abc".replace("b", upper)"#,
    r#""abcb".replaceAll("b", show)"#,
    r#""abc".replace(/(b)(c)?/, show)"#,
    r#""2020-01-02".replace(/(\d+)-(\d+)-(\d+)/, "$3/$2/$1")"#,
    r#""2020-01-02".replace(/(?<y>\d+)-(?<m>\d+)-(?<d>\d+)/, "$<d>.$<m>.$<y>")"#,
    r#""2020-01".replace(/(?<y>\d+)-(?<m>\d+)/, show)"#,
    r#""abc".replace(/b/, "$<x>")"#,
    r#""abc".replace(/(?<x>b)/, "[$<x>|$<nope>|$<x]")"#,
    r#""aaa".replace(/a/g, "b")"#,
    r#""aaa".replace(/A/gi, "$&$&")"#,
    r#""abc".replace(/x*/g, "-")"#,
    r#""a😀b".replace(/(?:)/gu, "-")"#,
    r#""abcdefghijk".replace(/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)/, "$11-$10-$01-$00-$9")"#,
    r#""abc".replace(/(b)/, "$0|$2|$10")"#,
    r#""aXbX".replaceAll(/x/gi, upper)"#,
    r#""a".replaceAll(/a/, "b")"#,
    r#""x".replace("x", boom)"#,
    r#""a.b.c".replaceAll(".", "/")"#,
    r#""😀😀".replace("😀", "x")"#,
    r#""a😀b😀".replace(/😀/g, show)"#,
    r#""abc".replace(/b/y, "x")"#,
    r#"(r = /b/y, r.lastIndex = 1, ["abc".replace(r, "x"), r.lastIndex])"#,
    r#""aaa".replace(/a/gy, "b")"#,
    r#""baaa".replace(/a/gy, "b")"#,
    // ---- String: match / matchAll -----------------------------------------------------------------------
    r#""abc".match(/b/)"#,
    r#""abc".match(/x/)"#,
    r#""abcabc".match(/b/g)"#,
    r#""abc".match(/x/g)"#,
    r#""abc".match("b.")"#,
    r#""abc".match()"#,
    r#""a1b22".match(/\d+/g)"#,
    r#""😀a😀".match(/a/)"#,
    r#""2020-01".match(/(?<y>\d+)-(?<m>\d+)/)"#,
    r#""ab".match(/(a)|(b)/)"#,
    r#"[..."abab".matchAll(/a(b)/g)]"#,
    r#"[..."abab".matchAll("b")]"#,
    r#"(r = /a/g, r.lastIndex = 1, [[..."aXa".matchAll(r)], r.lastIndex])"#,
    r#""abab".matchAll(/a/)"#,
    r#"[..."a😀a".matchAll(/a/g)]"#,
    r#""aaa".match(/a*?/g)"#,
    r#""xyz".match(/(?<=x)y/)"#,
    r#""ABC".match(/b/i)"#,
    r#""a\nb".match(/^b$/m)"#,
    r#""a\nb".match(/a.b/s)"#,
    r#""a\nb".match(/a.b/)"#,
    r#""€100".match(/\d+/)"#,
    // ---- RegExp ---------------------------------------------------------------------------------------------
    r#"/a/g.exec("bab")"#,
    r#"(r = /a/g, [r.exec("aa").index, r.lastIndex, r.exec("aa").index, r.lastIndex, r.exec("aa"), r.lastIndex])"#,
    r#"(r = /a/y, [r.test("ba"), r.lastIndex, r.test("ab"), r.lastIndex])"#,
    r#"(r = /o/g, r.lastIndex = 5, r.exec("foo boo"))"#,
    r#"(r = /o/g, r.lastIndex = 50, [r.exec("foo"), r.lastIndex])"#,
    r#"/(?<b>x)(?<a>y)/d.exec("xy")"#,
    r#"/(a)|(b)/d.exec("b")"#,
    r#"/😀(.)/u.exec("x😀yz")"#,
    r#"/a/.test("cat")"#,
    r#"/A/.test("cat")"#,
    r#"/^\w+@\w+\.com$/.test("me@site.com")"#,
    r#"/\bfoo\b/.test("a foo b")"#,
    r#"/[/]/.source"#,
    r#"/a\/b/.source"#,
    r#"new RegExp("a/b").source"#,
    r#"new RegExp("").source"#,
    r#"String(new RegExp("", "dgimsuy"))"#,
    r#"new RegExp("\n").source"#,
    r#"new RegExp("ab+c", "gi")"#,
    r#"new RegExp(/ab/g)"#,
    r#"new RegExp(/ab/g, "i")"#,
    r#"new RegExp("x", "gg")"#,
    r#"new RegExp("x", "q")"#,
    r#"new RegExp("x", "uv")"#,
    r#"RegExp("a", "m").multiline"#,
    r#"new RegExp()"#,
    r#"new RegExp(undefined, "g")"#,
    r#"new RegExp(12, "g").test("x12")"#,
    r#"/x/gimsuy.flags"#,
    r#"/x/dg.hasIndices"#,
    r#"[/x/g.global, /x/.global, /x/i.ignoreCase, /x/s.dotAll, /x/u.unicode, /x/y.sticky]"#,
    r#"/ab/g.toString()"#,
    r#"/x/.lastIndex"#,
    r#"new RegExp("(")"#,
    r#"new RegExp(")")"#,
    r#"new RegExp("*")"#,
    r#"new RegExp("[")"#,
    r#"new RegExp("a{2,1}")"#,
    r#"new RegExp("\\")"#,
    r#"new RegExp("(?<a>x)(?<a>y)")"#,
    r#"new RegExp("[b-a]")"#,
    r#"new RegExp("a**")"#,
    r#"new RegExp("{", "u")"#,
    r#"new RegExp("\\-", "u")"#,
    r#"new RegExp("x{", "").test("x{")"#,
    r#"new RegExp("]").test("]")"#,
    r#"/[\w-]+/.exec("ab-c d")"#,
    r#"/\p{L}+/u.exec("12héllo")"#,
    r#"/(\d+)\s\1/.test("12 12")"#,
    r#"/(?<n>a)\k<n>/.test("aa")"#,
    r#"/[^]/.test("\n")"#,
    r#"/\u{1F600}/u.test("😀")"#,
    r#"/./su.exec("😀")"#,
    // ---- String: misc ---------------------------------------------------------------------------------------------
    r#""x".localeCompare("X")"#,
    r#""a".localeCompare("B")"#,
    r#""a".localeCompare("a")"#,
    r#""b".localeCompare("a")"#,
    r#""a-b".localeCompare("ab")"#,
    r#""a b".localeCompare("a-b")"#,
    r#""é".localeCompare("f")"#,
    r#""é".localeCompare("e")"#,
    r#""résumé".localeCompare("resume")"#,
    r#""10".localeCompare("9")"#,
    r#""10".localeCompare("9", undefined, {numeric: true})"#,
    r#""item10".localeCompare("item9", "en", {numeric: true})"#,
    r#""a".localeCompare("A", "en", {sensitivity: "base"})"#,
    r#""é".localeCompare("e", "en", {sensitivity: "base"})"#,
    r#""é".localeCompare("e", "en", {sensitivity: "accent"})"#,
    r#""a".localeCompare("A", "en", {sensitivity: "accent"})"#,
    r#""1".localeCompare("a")"#,
    r#""_".localeCompare("-")"#,
    r#""Zebra".localeCompare("apple")"#,
    r#""Ab".localeCompare("ab")"#,
    r#""ä".localeCompare("az")"#,
    r#""".localeCompare("a")"#,
    r#""a".localeCompare()"#,
    r#""e\u0301".localeCompare("é")"#,
    r#""é".normalize("NFD").length"#,
    r#""e\u0301".normalize()"#,
    r#""e\u0301".normalize() === "é""#,
    r#""Å".normalize("NFD").length"#,
    r#""ﬁ".normalize("NFKC")"#,
    r#""Ａｂｃ１".normalize("NFKC")"#,
    r#""한국어".normalize("NFD").length"#,
    r#""한국어".normalize("NFD").normalize("NFC")"#,
    r#""ệ".normalize("NFD").normalize("NFC") === "ệ""#,
    r#""abc".normalize("NFX")"#,
    r#""x".toString()"#,
    r#""x".valueOf()"#,
    r#"new String("ab")"#,
    r#"new String("ab").length"#,
    r#"new String("ab").toUpperCase()"#,
    r#"new String("ab").valueOf()"#,
    r#"new String("ab")[1]"#,
    r#"String(123)"#,
    r#"String(-0)"#,
    r#"String(null)"#,
    r#"String([1, [2, 3]])"#,
    r#"String()"#,
    r#"String(seven)"#,
    r#"String.fromCharCode(72, 105)"#,
    r#"String.fromCharCode(0xD83D, 0xDE00)"#,
    r#"String.fromCharCode(65.9, "66", 65536 + 67)"#,
    r#"String.fromCodePoint(128512, 97)"#,
    r#"String.fromCodePoint(-1)"#,
    r#"String.fromCodePoint(1.5)"#,
    r#"String.fromCodePoint("x")"#,
    r#"String.fromCodePoint(0x110000)"#,
    r#"String.raw({raw: ["a", "b", "c"]}, 1, 2, 3)"#,
    r#"String.raw({raw: "xyz"}, "-", "+")"#,
    r#"String.prototype.trim.call(null)"#,
    r#"String.prototype.toString.call(1)"#,
    r#"String.prototype.toUpperCase.call(true)"#,
    r#""abc".isWellFormed()"#,
    // ---- Number -------------------------------------------------------------------------------------------------------
    r#"(1234.5678).toFixed(2)"#,
    r#"(1.005).toFixed(2)"#,
    r#"(0.5).toFixed(0)"#,
    r#"(1.5).toFixed(0)"#,
    r#"(2.5).toFixed(0)"#,
    r#"(-2.5).toFixed(0)"#,
    r#"(1.45).toFixed(1)"#,
    r#"(0).toFixed(2)"#,
    r#"(-0).toFixed(2)"#,
    r#"(-0.0001).toFixed(2)"#,
    r#"(0.000001).toFixed(7)"#,
    r#"(123.456).toFixed()"#,
    r#"(1e21).toFixed(2)"#,
    r#"(999.995).toFixed(2)"#,
    r#"(9.995).toFixed(2)"#,
    r#"(0.1).toFixed(20)"#,
    r#"(1.23e-10).toFixed(2)"#,
    r#"(5e-7).toFixed(6)"#,
    r#"(99.99).toFixed(1)"#,
    r#"(NaN).toFixed(2)"#,
    r#"(1).toFixed(101)"#,
    r#"(1).toFixed(-1)"#,
    r#"(1).toFixed(100).length"#,
    r#"(123.456).toPrecision(4)"#,
    r#"(123.456).toPrecision(2)"#,
    r#"(0.000001234).toPrecision(2)"#,
    r#"(0.0000001234).toPrecision(2)"#,
    r#"(1e21).toPrecision(3)"#,
    r#"(123456).toPrecision(2)"#,
    r#"(-0).toPrecision(3)"#,
    r#"(99.99).toPrecision(3)"#,
    r#"(1.5).toPrecision()"#,
    r#"(1).toPrecision(0)"#,
    r#"(Infinity).toPrecision(0)"#,
    r#"(0).toExponential()"#,
    r#"(123456).toExponential(2)"#,
    r#"(1.5e-7).toExponential()"#,
    r#"(-1.25).toExponential(1)"#,
    r#"(255).toString(16)"#,
    r#"(255).toString(2)"#,
    r#"(-255.5).toString(2)"#,
    r#"(0.1).toString(3)"#,
    r#"(0.5).toString(36)"#,
    r#"(1e21).toString(36)"#,
    r#"(Math.PI).toString(7)"#,
    r#"(1e-7).toString(2)"#,
    r#"(2**60).toString(3)"#,
    r#"(35).toString(36)"#,
    r#"(-0).toString(2)"#,
    r#"(NaN).toString(16)"#,
    r#"(-Infinity).toString(16)"#,
    r#"(123.456).toString(8)"#,
    r#"(1).toString(1)"#,
    r#"(1).toString(37)"#,
    r#"(1e21).toString()"#,
    r#"(1.5e-7).toString()"#,
    r#"(1234567.891).toLocaleString()"#,
    r#"(1.0005).toLocaleString()"#,
    r#"(-0).toLocaleString()"#,
    r#"(-0.0001).toLocaleString()"#,
    r#"(1e21).toLocaleString()"#,
    r#"(Infinity).toLocaleString()"#,
    r#"(-Infinity).toLocaleString()"#,
    r#"(NaN).toLocaleString()"#,
    r#"(0.0001).toLocaleString()"#,
    r#"(0.1 + 0.2).toLocaleString()"#,
    r#"(9.9996).toLocaleString()"#,
    r#"(999999.9999).toLocaleString()"#,
    r#"(12).toLocaleString()"#,
    r#"(-1234.5).toLocaleString()"#,
    r#"(1234.5).toLocaleString(undefined, {minimumFractionDigits: 2})"#,
    r#"(1.23456).toLocaleString(undefined, {minimumFractionDigits: 5})"#,
    r#"(1.2345678).toLocaleString(undefined, {minimumFractionDigits: 4})"#,
    r#"(2.5).toLocaleString(undefined, {maximumFractionDigits: 0})"#,
    r#"(0.125).toLocaleString(undefined, {maximumFractionDigits: 2})"#,
    r#"(1e-7).toLocaleString(undefined, {maximumFractionDigits: 20})"#,
    r#"(12345.5).toLocaleString("en-US", {useGrouping: false})"#,
    r#"(1).toLocaleString(undefined, {maximumFractionDigits: 101})"#,
    r#"(1).toLocaleString(undefined, {minimumFractionDigits: 5, maximumFractionDigits: 2})"#,
    r#"(1).toLocaleString(undefined, {maximumFractionDigits: "2"})"#,
    r#"(5).valueOf()"#,
    r#"Number.prototype.toFixed.call("1")"#,
    r#"Number("42")"#,
    r#"Number("  0x1F  ")"#,
    r#"Number("")"#,
    r#"Number("1e3")"#,
    r#"Number("12px")"#,
    r#"Number(null)"#,
    r#"Number(undefined)"#,
    r#"Number()"#,
    r#"Number([5])"#,
    r#"Number(seven)"#,
    r#"Number(true)"#,
    r#"new Number(5)"#,
    r#"new Number(5).toFixed(1)"#,
    r#"Number.isInteger(5)"#,
    r#"Number.isInteger(5.5)"#,
    r#"Number.isInteger("5")"#,
    r#"Number.isInteger(Infinity)"#,
    r#"Number.isSafeInteger(2**53)"#,
    r#"Number.isSafeInteger(2**53 - 1)"#,
    r#"Number.isFinite("5")"#,
    r#"Number.isFinite(5)"#,
    r#"Number.isNaN("x")"#,
    r#"Number.isNaN(NaN)"#,
    r#"Number.parseFloat("3.14abc")"#,
    r#"Number.parseInt("08")"#,
    r#"[Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, Number.EPSILON]"#,
    r#"[Number.MAX_VALUE, Number.MIN_VALUE, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN]"#,
    r#"Boolean(0)"#,
    r#"Boolean("0")"#,
    r#"Boolean()"#,
    r#"new Boolean(false)"#,
    r#"true.toString()"#,
    r#"false.valueOf()"#,
    r#"Boolean.prototype.toString.call(1)"#,
    // ---- Math ------------------------------------------------------------------------------------------------------------
    r#"Math.round(-2.5)"#,
    r#"Math.round(2.5)"#,
    r#"Math.round(-0.4)"#,
    r#"Math.round(0.49999999999999994)"#,
    r#"Math.round(-0)"#,
    r#"Math.round("1.6")"#,
    r#"Math.round(NaN)"#,
    r#"Math.round(2**53 + 2)"#,
    r#"Math.max()"#,
    r#"Math.min()"#,
    r#"Math.max(1, "3", 2)"#,
    r#"Math.max(1, NaN, 3)"#,
    r#"Math.max(-0, 0)"#,
    r#"Math.max(0, -0)"#,
    r#"Math.min(0, -0)"#,
    r#"Math.min(-0, 0)"#,
    r#"Math.min(1, undefined)"#,
    r#"Math.max(null, -1)"#,
    r#"Math.pow(2, 10)"#,
    r#"Math.pow(1, NaN)"#,
    r#"Math.pow(1, Infinity)"#,
    r#"Math.pow(-1, -Infinity)"#,
    r#"Math.pow(NaN, 0)"#,
    r#"Math.pow(-8, 1/3)"#,
    r#"Math.pow(-0, -1)"#,
    r#"Math.pow(2, -1074)"#,
    r#"Math.abs(-5.5)"#,
    r#"Math.abs("-1")"#,
    r#"Math.abs()"#,
    r#"Math.floor(-1.5)"#,
    r#"Math.ceil(-0.5)"#,
    r#"Math.trunc(-4.7)"#,
    r#"Math.trunc(0.3)"#,
    r#"Math.sign(-3)"#,
    r#"Math.sign(-0)"#,
    r#"Math.sign("x")"#,
    r#"Math.sqrt(2)"#,
    r#"Math.sqrt(-1)"#,
    r#"Math.cbrt(-27)"#,
    r#"Math.hypot(3, 4)"#,
    r#"Math.hypot()"#,
    r#"Math.hypot(NaN, Infinity)"#,
    r#"Math.hypot(1e200, 1e200)"#,
    r#"Math.clz32(1)"#,
    r#"Math.clz32(0)"#,
    r#"Math.clz32(-1)"#,
    r#"Math.imul(0xffffffff, 5)"#,
    r#"Math.imul(3, 4)"#,
    r#"Math.fround(5.5)"#,
    r#"Math.fround(5.05)"#,
    r#"Math.log(Math.E)"#,
    r#"Math.log10(1000)"#,
    r#"Math.log2(8)"#,
    r#"Math.log1p(0)"#,
    r#"Math.expm1(0)"#,
    r#"Math.exp(1)"#,
    r#"Math.sin(0)"#,
    r#"Math.cos(Math.PI)"#,
    r#"Math.tan(0)"#,
    r#"Math.atan2(1, 1)"#,
    r#"Math.atan2(-0, -1)"#,
    r#"Math.atan2(1.0657182648624707e9, 8.3843941473988e14)"#,
    r#"Math.pow(8.796301869885997e10, -6.743295750637844e-3)"#,
    r#"Math.pow(2.4723718051473144e8, 4)"#,
    r#"Math.cbrt(2.5)"#,
    r#"String(916816042223118.25)"#,
    r#"(916816042223118.25).toString()"#,
    r#"916816042223118.25"#,
    r#"(916816042223118.25).toLocaleString()"#,
    r#"(916816042223118.25).toExponential()"#,
    r#"Math.asin(2)"#,
    r#"Math.acosh(1)"#,
    r#"Math.atanh(1)"#,
    r#"Math.sinh(0)"#,
    r#"Math.tanh(Infinity)"#,
    r#"[Math.PI, Math.E, Math.LN2, Math.LN10, Math.LOG2E, Math.LOG10E, Math.SQRT2, Math.SQRT1_2]"#,
    r#"Math.random()"#,
    r#"Math.max(seven, 3)"#,
    // ---- globals ----------------------------------------------------------------------------------------------------------
    r#"parseInt("  0x1fz")"#,
    r#"parseInt("42px")"#,
    r#"parseInt("-0")"#,
    r#"parseInt("")"#,
    r#"parseInt("abc")"#,
    r#"parseInt("ff", 16)"#,
    r#"parseInt("0x10", 16)"#,
    r#"parseInt("0x10", 10)"#,
    r#"parseInt("101", 2)"#,
    r#"parseInt("z", 36)"#,
    r#"parseInt("10", 37)"#,
    r#"parseInt("10", 1)"#,
    r#"parseInt("10", 0)"#,
    r#"parseInt("12", 4294967306)"#,
    r#"parseInt(0.0000005)"#,
    r#"parseInt(1e21)"#,
    r#"parseInt("  +7 ")"#,
    r#"parseInt("123456789012345678901234567890")"#,
    r#"parseInt("fffffffffffffffff", 16)"#,
    r#"parseInt("1fffffffffffff1", 16)"#,
    r#"parseInt("\u00a0 12")"#,
    r#"parseInt(null, 36)"#,
    r#"parseFloat("3.14abc")"#,
    r#"parseFloat("  -.5e3x")"#,
    r#"parseFloat("1e")"#,
    r#"parseFloat("1.")"#,
    r#"parseFloat(".")"#,
    r#"parseFloat("-Infinityx")"#,
    r#"parseFloat("infinity")"#,
    r#"parseFloat("-0")"#,
    r#"parseFloat("1e1000")"#,
    r#"parseFloat("0x10")"#,
    r#"parseFloat("1.5e+2.3")"#,
    r#"parseFloat([" 2.5 "])"#,
    r#"isNaN("abc")"#,
    r#"isNaN("12")"#,
    r#"isNaN(undefined)"#,
    r#"isFinite("12")"#,
    r#"isFinite("Infinity")"#,
    r#"isFinite(null)"#,
    r#"encodeURIComponent("a b&c/d?é😀")"#,
    r#"encodeURIComponent("-_.!~*'()")"#,
    r#"encodeURI("http://x.com/a b?q=1&r=é#h")"#,
    r#"decodeURIComponent("a%20b%26%C3%A9%F0%9F%98%80")"#,
    r#"decodeURIComponent("%")"#,
    r#"decodeURIComponent("%zz")"#,
    r#"decodeURIComponent("%C3")"#,
    r#"decodeURIComponent("%C0%80")"#,
    r#"decodeURIComponent("%ED%A0%80")"#,
    r#"decodeURI("%23%41%2f%20")"#,
    r#"decodeURI("%E0%A4%A")"#,
    r#"console.log("x", 1)"#,
    r#"console.warn()"#,
    r#"setTimeout(1)"#,
    r#"setTimeout("code", 5)"#,
    r#"clearTimeout(5)"#,
    r#"queueMicrotask"#,
    r#"structuredClone"#,
    r#"require"#,
    r#"process"#,
    r#"fetch"#,
    r#"Buffer"#,
    // ---- more edge cases ------------------------------------------------------------------------------
    r#""😀".match(/./)"#,
    r#""😀".match(/./u)"#,
    r#""😀".split(/(?:)/)"#,
    r#""😀".replace(/(?:)/g, "-")"#,
    r#""a😀".match(/(?:)/g)"#,
    r#""x".match(/\c/)"#,
    r#"/\8/.test("8")"#,
    r#"/a{,5}/.test("a{,5}")"#,
    r#"/(?=a)*/.test("b")"#,
    r#"/\k/.test("k")"#,
    r#"/[\d-z]/.test("-")"#,
    r#"/\_/.test("_")"#,
    r#"/ſ/i.test("s")"#,
    r#"/\w/iu.test("ſ")"#,
    r#"/[a-z]/i.test("K")"#,
    r#"/\u212A/i.test("k")"#,
    r#"/\u212A/iu.test("k")"#,
    r#"/ß/i.test("SS")"#,
    r#"/^.$/.test("\u2028")"#,
    r#"/\s/.test("\ufeff")"#,
    r#"/\d/u.test("٣")"#,
    r#"/(a)(?:b)(c)?/.exec("ab")"#,
    r#"/$/.exec("ab").index"#,
    r#""ab".split(/$/)"#,
    r#""ab".split(/^/m)"#,
    r#""a\nb".split(/^/m)"#,
    r#""abc".split(/(?<=b)/)"#,
    r#""abc".split(/b/, 0)"#,
    r#""a b  c".split(/\s+/, 2)"#,
    r#""abc".replace(/b/, "$")"#,
    r#""abc".replace(/b/, "x$")"#,
    r#""abc".replace("b", "$<a>")"#,
    r#""abc".replace(/(?<a>b)/, "$<a")"#,
    r#""abc".replace(/(b)/g, "$11")"#,
    r#""abc".replace(/(b)/g, "$01$1$001")"#,
    r#""abc".replace(/b/, null)"#,
    r#""abc".replace(/b/, seven)"#,
    r#""abc".replace("b")"#,
    r#""null".replace(null, "x")"#,
    r#""a1b2".replace(/\d/g, Number)"#,
    r#""aaa".lastIndexOf("a", 1.5)"#,
    r#""aaa".lastIndexOf("a", -Infinity)"#,
    r#""aaa".indexOf("a", Infinity)"#,
    r#""aaa".indexOf("", Infinity)"#,
    r#""abc".at("1")"#,
    r#""abc".at(NaN)"#,
    r#""abc".at(Infinity)"#,
    r#""abc".slice(1, "2")"#,
    r#""abc".padStart(NaN, "x")"#,
    r#""abc".padEnd(6, null)"#,
    r#""abc".padEnd(6, undefined)"#,
    r#""abc".substring(Infinity, -Infinity)"#,
    r#""abc".substr(Infinity)"#,
    r#""abc".substr(-Infinity, 2)"#,
    r#""abc".codePointAt(-1)"#,
    r#""abc".charCodeAt(NaN)"#,
    r#"String.fromCharCode(0xD83D)"#,
    r#"String.fromCharCode(0xD83D).length"#,
    r#"String.fromCharCode()"#,
    r#"String.fromCodePoint()"#,
    r#"String.fromCodePoint(0x1F600).length"#,
    r#"String.raw({raw: []})"#,
    r#""Ǆ".toLowerCase()"#,
    r#""ﬃ".toUpperCase()"#,
    r#""ŉ".toUpperCase()"#,
    r#""ΌΣΟΣ".toLowerCase()"#,
    r#""Σ".toLowerCase()"#,
    r#""aΣ b".toLowerCase()"#,
    r#""i̇".toUpperCase()"#,
    r#""ℌ".toLowerCase()"#,
    r#""\u1680a\u180e".trim()"#,
    r#""\u200bx".trim()"#,
    r#""abc".localeCompare("abd")"#,
    r#""abc".localeCompare("ab")"#,
    r#""a".localeCompare("á")"#,
    r#""á".localeCompare("à")"#,
    r#""A".localeCompare("á")"#,
    r#""Ä".localeCompare("ä")"#,
    r#""äb".localeCompare("Ab")"#,
    r#""ss".localeCompare("ß")"#,
    r#""ß".localeCompare("st")"#,
    r#""æ".localeCompare("af")"#,
    r#""ø".localeCompare("p")"#,
    r#""ø".localeCompare("o")"#,
    r#""α".localeCompare("z")"#,
    r#""Α".localeCompare("α")"#,
    r#""б".localeCompare("а")"#,
    r#""中".localeCompare("a")"#,
    r#""😀".localeCompare("a")"#,
    r#""😀".localeCompare("!")"#,
    r#""€".localeCompare("$")"#,
    r#""€".localeCompare("1")"#,
    r#"" ".localeCompare("_")"#,
    r#""\t".localeCompare(" ")"#,
    r#""a\u0001b".localeCompare("ab")"#,
    r#""file10.txt".localeCompare("file9.txt", undefined, {numeric: true})"#,
    r#""file010".localeCompare("file10", undefined, {numeric: true})"#,
    r#""a".localeCompare("b", undefined, {sensitivity: "bogus"})"#,
    r#""Straße".localeCompare("Strasse")"#,
    r#""apple".localeCompare("Apple", undefined, {sensitivity: "case"})"#,
    r#""ä".localeCompare("a", undefined, {sensitivity: "case"})"#,
    r#""café".normalize("NFD")"#,
    r#""Ω".normalize("NFD")"#,
    r#""Ω".normalize()"#,
    r#""ḝ".normalize("NFD").length"#,
    r#""e\u0327\u0306".normalize()"#,
    r#""①²½".normalize("NFKD")"#,
    r#""\u00a0".normalize("NFKC")"#,
    r#""Ǆ".normalize("NFKD")"#,
    r#""😀é".normalize("NFD").length"#,
    r#""ﾊ".normalize("NFKC")"#,
    r#"(0.000001).toFixed(6)"#,
    r#"(0.0000005).toFixed(6)"#,
    r#"(1.255).toFixed(2)"#,
    r#"(8.345).toFixed(2)"#,
    r#"(10.235).toFixed(2)"#,
    r#"(1e20).toFixed(2)"#,
    r#"(123456789012345680000).toFixed(1)"#,
    r#"(-1.5).toFixed(0)"#,
    r#"(0.05).toFixed(1)"#,
    r#"(0.45).toFixed(1)"#,
    r#"(2**-1074).toFixed(100)"#,
    r#"(1.7976931348623157e308).toPrecision(5)"#,
    r#"(5e-324).toPrecision(3)"#,
    r#"(0.1).toPrecision(21)"#,
    r#"(123.456).toPrecision(100).length"#,
    r#"(1e-6).toPrecision(1)"#,
    r#"(1e-7).toPrecision(1)"#,
    r#"(9.5).toPrecision(1)"#,
    r#"(-9.96).toPrecision(2)"#,
    r#"(1234.5).toExponential()"#,
    r#"(1e21).toExponential(3)"#,
    r#"(0.00015).toExponential(1)"#,
    r#"(5e-324).toExponential()"#,
    r#"(1).toExponential(-1)"#,
    r#"(Infinity).toExponential(-1)"#,
    r#"(0.1).toString(2)"#,
    r#"(0.3).toString(16)"#,
    r#"(1/3).toString(3)"#,
    r#"(2**53).toString(7)"#,
    r#"(1e300).toString(36)"#,
    r#"(5e-324).toString(2).length"#,
    r#"(0.999999999).toString(5)"#,
    r#"(-1e-7).toString(36)"#,
    r#"(12345.6789).toString(32)"#,
    r#"(4294967295).toString(16)"#,
    r#"(255).toString("16")"#,
    r#"(255).toString(16.9)"#,
    r#"(255).toString(undefined)"#,
    r#"(1e100).toLocaleString()"#,
    r#"(123.456).toLocaleString(undefined, {maximumFractionDigits: 0})"#,
    r#"(0.5).toLocaleString(undefined, {maximumFractionDigits: 0})"#,
    r#"(1.5).toLocaleString(undefined, {maximumFractionDigits: 0})"#,
    r#"(-2.5).toLocaleString(undefined, {maximumFractionDigits: 0})"#,
    r#"(0.0005).toLocaleString()"#,
    r#"(0.00049).toLocaleString()"#,
    r#"(1000).toLocaleString()"#,
    r#"(100).toLocaleString()"#,
    r#"(1234567).toLocaleString(undefined, {minimumFractionDigits: 1, maximumFractionDigits: 1})"#,
    r#"(3).toLocaleString(undefined, {minimumFractionDigits: 2})"#,
    r#"(2**53).toLocaleString()"#,
    r#"(1e-10).toLocaleString()"#,
    r#"(5e-324).toLocaleString()"#,
    r#"Math.round(0.5)"#,
    r#"Math.round(-0.5)"#,
    r#"Math.round(-0.5000000000000001)"#,
    r#"Math.round(1.5)"#,
    r#"Math.round(4503599627370495.5)"#,
    r#"Math.round(-4503599627370495.5)"#,
    r#"Math.round(Infinity)"#,
    r#"Math.max([1], [2])"#,
    r#"Math.min("a", 1)"#,
    r#"Math.max(boom)"#,
    r#"Math.pow(0, 0)"#,
    r#"Math.pow(-0, 3)"#,
    r#"Math.pow(-Infinity, 3)"#,
    r#"Math.pow(-Infinity, 2)"#,
    r#"Math.pow(0.5, Infinity)"#,
    r#"Math.pow(2, 0.5)"#,
    r#"Math.sign(0)"#,
    r#"Math.abs(-0)"#,
    r#"Math.floor(-0)"#,
    r#"Math.ceil(0.2)"#,
    r#"Math.trunc(-0.2)"#,
    r#"Math.cbrt(2)"#,
    r#"Math.exp(-Infinity)"#,
    r#"Math.log(0)"#,
    r#"Math.log(-1)"#,
    r#"Math.log10(2)"#,
    r#"Math.log2(3)"#,
    r#"Math.sin(1)"#,
    r#"Math.cos(1)"#,
    r#"Math.tan(1)"#,
    r#"Math.asin(0.5)"#,
    r#"Math.acos(0.5)"#,
    r#"Math.atan(1)"#,
    r#"Math.sinh(1)"#,
    r#"Math.cosh(1)"#,
    r#"Math.tanh(0.5)"#,
    r#"Math.asinh(1)"#,
    r#"Math.acosh(2)"#,
    r#"Math.atanh(0.5)"#,
    r#"Math.expm1(1e-10)"#,
    r#"Math.log1p(1e-10)"#,
    r#"Math.exp(10)"#,
    r#"Math.hypot(1, 1)"#,
    r#"Math.hypot(-3)"#,
    r#"Math.hypot(0.1, 0.2, 0.3)"#,
    r#"Math.fround(2**128)"#,
    r#"Math.fround(NaN)"#,
    r#"Math.clz32(0.5)"#,
    r#"Math.clz32(2**32)"#,
    r#"Math.imul(2**31, 2)"#,
    r#"Math.imul(-1, 8)"#,
    r#"parseInt("12", 8.9)"#,
    r#"parseInt("0b11")"#,
    r#"parseInt("0o11")"#,
    r#"parseInt("1e3")"#,
    r#"parseInt("-0x1A")"#,
    r#"parseInt("0x")"#,
    r#"parseInt("- 1")"#,
    r#"parseInt("٣")"#,
    r#"parseInt("zzzzzzzzzzzzz", 36)"#,
    r#"parseInt("123456789abcdefghij", 20)"#,
    r#"parseInt("1000000000000000000000000", 3)"#,
    r#"parseInt("11111111111111111111111111111111111111111111111111111111111111111", 2)"#,
    r#"parseInt("7", -1)"#,
    r#"parseInt(seven)"#,
    r#"parseInt("Infinity")"#,
    r#"parseFloat("  1_000")"#,
    r#"parseFloat("+.e1")"#,
    r#"parseFloat("-.5")"#,
    r#"parseFloat("1e+")"#,
    r#"parseFloat("5e-324")"#,
    r#"parseFloat("2e-324")"#,
    r#"parseFloat("0.1e1")"#,
    r#"parseFloat("\u2003 42")"#,
    r#"parseFloat("+Infinity")"#,
    r#"parseFloat(".5.5")"#,
    r#"parseFloat("00012.50")"#,
    r#"isNaN("")"#,
    r#"isNaN(" ")"#,
    r#"isNaN(seven)"#,
    r#"isFinite("0x10")"#,
    r#"encodeURIComponent("\u0000\u007f")"#,
    r#"encodeURIComponent(null)"#,
    r#"encodeURI("\ud800")"#,
    r#"decodeURIComponent("%F4%90%80%80")"#,
    r#"decodeURIComponent("%E2%82%AC")"#,
    r#"decodeURIComponent("%e2%82%ac")"#,
    r#"decodeURIComponent("%FF")"#,
    r#"decodeURIComponent("%C3%28")"#,
    r#"decodeURI("%3B%2F%3F%3A%40%26%3D%2B%24%2C%23%25")"#,
    r#"decodeURIComponent("%3B%2F%3F%3A%40%26%3D%2B%24%2C%23%25")"#,
    r#"decodeURIComponent("%41%")"#,
    r#"setTimeout()"#,
    r#"setTimeout(null, 10)"#,
    r#"clearTimeout()"#,
    r#"clearTimeout("1")"#,
    r#"console.info("%s is %d", "x", 5)"#,
    r#"console.error(new RegExp("x"), [1, {a: 2}])"#,
    r#"console.trace(seven)"#,
    r#"console.debug({}, [], "a\nb")"#,
    // ---- regex state and identities --------------------------------------------------------------------
    r#"(r = /a/g, r.lastIndex = 2, ["aXa".search(r), r.lastIndex])"#,
    r#"(r = /a/g, r.lastIndex = 1, ["aa".match(r), r.lastIndex])"#,
    r#"(r = /a/g, r.lastIndex = 1, ["aa".replace(r, "b"), r.lastIndex])"#,
    r#"(r = /a/, r.lastIndex = 1, [r.exec("aa").index, r.lastIndex])"#,
    r#"(r = /a/y, r.lastIndex = 1, [r.exec("aa").index, r.lastIndex])"#,
    r#"(r = /,/g, r.lastIndex = 1, ["a,b".split(r), r.lastIndex])"#,
    r#"(r = /a/g, [r.test("a"), r.test("a"), r.test("a")])"#,
    r#"(r = /a/g, r.lastIndex = -5, [r.exec("ba").index, r.lastIndex])"#,
    r#"/(?<x>a)|(?<y>b)/.exec("b").groups"#,
    r#""xaxa".replace(/a/g, show)"#,
    r#""abc".replace(/(?<x>b)/g, show)"#,
    r#"(r = /b/g, [r.exec("😀b😀b").index, r.lastIndex, r.exec("😀b😀b").index, r.lastIndex])"#,
    r#""😀b😀b".replace(/b/g, show)"#,
    r#""😀b😀b".split(/b/)"#,
    r#""😀abc".search(/c/)"#,
    r#"/(?<y>\d+)/d.exec("x😀12").indices"#,
    r#"String(new RegExp("/"))"#,
    r#"new RegExp("[/]").source"#,
    r#"new RegExp("a", "").flags"#,
    r#"(r = /x/g, RegExp(r) === r)"#,
    r#"(r = /x/g, new RegExp(r) === r)"#,
    r#"(r = /x/g, RegExp(r, "g") === r)"#,
    r#""x".constructor === String"#,
    r#"String.prototype.slice === "".slice"#,
    r#"Number.parseInt === parseInt"#,
    r#"(5).constructor === Number"#,
    r#"/x/.constructor === RegExp"#,
    r#"true.constructor === Boolean"#,
    r#"Math === Math"#,
    r#""abc"[1]"#,
    r#""abc"["length"]"#,
    r#""a😀"[1]"#,
    r#""abc".indexOf("c", -5)"#,
    r#""aaa".split("a")"#,
    r#""ab".concat(seven)"#,
    r#"String(new Number(5))"#,
    r#"String(new Boolean(true))"#,
    r#"new String(seven)"#,
    r#"new String()"#,
    r#""%" + encodeURIComponent("%")"#,
    r#"RegExp.prototype.exec.call("x", "x")"#,
    r#"Number.prototype.toString.call(new Number(255), 16)"#,
    r#"Boolean.prototype.valueOf.call(new Boolean(true))"#,
    r#"String.prototype.valueOf.call(new String("w"))"#,
    // ---- console formatting (util.format, single-line cases) -----------------------------------------
    r#"format("a", 1, -0, null, undefined, true, 1e21)"#,
    r#"format("%s is %d", "x", "42")"#,
    r#"format("%s", {a: 1})"#,
    r#"format("%s", {a: {b: 1}})"#,
    r#"format("%s|%s", -0, [1, 2])"#,
    r#"format("%d|%i|%f|%c|%%", "abc", "4.7", "1.5x", "css")"#,
    r#"format("100%")"#,
    r#"format("%s")"#,
    r#"format("%O", {a: [1]})"#,
    r#"format([1, 2, 3])"#,
    r#"format({a: {b: {c: {d: 1}}}})"#,
    r#"format([[1, [2, [3, [4]]]]])"#,
    r#"format({"a-b": 1, c: [1, "x"]})"#,
    r#"format(["it's"])"#,
    r#"format(String)"#,
    r#"format(new String("ab"))"#,
    r#"format(/a/g)"#,
    r#"format({}, [])"#,
    r#"format("a\nb", ["a\nb"])"#,
    r#"format([undefined, null])"#,
    r#"format(seven)"#,
    r#"format(1, "%s", 2)"#,
];

/// Cases where the evaluator differs from V8 on purpose (documented in the modules): skipped from
/// the comparison, listed so that the report shows them.
const KNOWN_GAPS: &[&str] = &[
    // Without the `u` flag V8 matches UTF-16 code units; `regress` on UTF-8 text matches an
    // astral character whole (regexp.rs).
    r#""😀".match(/./)"#,
    r#""😀".split(/(?:)/)"#,
    r#""😀".replace(/(?:)/g, "-")"#,
    r#""a😀".match(/(?:)/g)"#,
    // `regress` folds case with Unicode simple case folding, V8 with `toUpperCase` (non-`u`) or
    // case folding (`u`): they disagree on the long s (U+017F).
    r#"/ſ/i.test("s")"#,
    r#"/\w/iu.test("ſ")"#,
    // A lone surrogate is stored as U+FFFD (value.rs), so it encodes instead of throwing.
    r#"encodeURI("\ud800")"#,
    // The platform's libm and V8's fdlibm port can differ in the last bit (math.rs).
    r#"Math.atan2(1.0657182648624707e9, 8.3843941473988e14)"#,
    r#"Math.pow(8.796301869885997e10, -6.743295750637844e-3)"#,
    r#"Math.pow(2.4723718051473144e8, 4)"#,
    r#"Math.cbrt(2.5)"#,
];

// ---- a tiny evaluator of the case expressions -------------------------------------------------------

struct Eval<'a> {
    rt: &'a Rt,
    src: Vec<char>,
    pos: usize,
    vars: HashMap<String, Value>,
}

type R = Result<Value, Value>;

impl<'a> Eval<'a> {
    fn new(rt: &'a Rt, src: &str) -> Eval<'a> {
        Eval {
            rt,
            src: src.chars().collect(),
            pos: 0,
            vars: HashMap::new(),
        }
    }

    fn fail(&self, what: &str) -> ! {
        let src: String = self.src.iter().collect();
        panic!("cannot parse case `{src}` at {}: {what}", self.pos)
    }

    fn skip_ws(&mut self) {
        while self.pos < self.src.len() && self.src[self.pos].is_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_ws();
        self.src.get(self.pos).copied()
    }

    fn peek_str(&mut self, s: &str) -> bool {
        self.skip_ws();
        let n = s.chars().count();
        self.src.len() >= self.pos + n
            && self.src[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(s.chars())
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.peek_str(s) {
            self.pos += s.chars().count();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, s: &str) {
        if !self.eat(s) {
            self.fail(&format!("expected `{s}`"));
        }
    }

    fn ident(&mut self) -> Option<String> {
        self.skip_ws();
        let start = self.pos;
        while self.pos < self.src.len()
            && (self.src[self.pos].is_alphanumeric()
                || self.src[self.pos] == '_'
                || self.src[self.pos] == '$')
        {
            if self.pos == start && self.src[self.pos].is_ascii_digit() {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then(|| self.src[start..self.pos].iter().collect())
    }

    fn program(&mut self) -> R {
        let v = self.expr()?;
        self.skip_ws();
        if self.pos != self.src.len() {
            self.fail("trailing input");
        }
        Ok(v)
    }

    fn expr(&mut self) -> R {
        let mut v = self.assign()?;
        while self.eat(",") {
            v = self.assign()?;
        }
        Ok(v)
    }

    fn assign(&mut self) -> R {
        let save = self.pos;
        if let Some(name) = self.ident() {
            if self.peek_str("=") && !self.peek_str("==") {
                self.expect("=");
                let v = self.assign()?;
                self.vars.insert(name, v.clone());
                return Ok(v);
            }
            // `obj.key = value`
            if self.peek_str(".") {
                let after_dot = self.pos;
                self.expect(".");
                if let Some(key) = self.ident() {
                    if self.peek_str("=") && !self.peek_str("==") {
                        self.expect("=");
                        let target = self.lookup(&name)?;
                        let v = self.assign()?;
                        self.rt.set(&target, &key, v.clone())?;
                        return Ok(v);
                    }
                }
                self.pos = after_dot;
            }
        }
        self.pos = save;
        self.equality()
    }

    fn equality(&mut self) -> R {
        let a = self.additive()?;
        if self.eat("===") {
            let b = self.additive()?;
            return Ok(Value::Bool(wfc_executor::eval::value::strict_equals(
                &a, &b,
            )));
        }
        Ok(a)
    }

    fn additive(&mut self) -> R {
        let mut a = self.multiplicative()?;
        loop {
            if self.eat("+") {
                let b = self.multiplicative()?;
                a = ops::add(self.rt, &a, &b)?;
            } else if self.peek_str("-") {
                self.expect("-");
                let b = self.multiplicative()?;
                a = Value::Number(ops::to_number(self.rt, &a)? - ops::to_number(self.rt, &b)?);
            } else {
                return Ok(a);
            }
        }
    }

    fn multiplicative(&mut self) -> R {
        let mut a = self.exponent()?;
        loop {
            let op = if self.peek_str("**") {
                return Ok(a);
            } else if self.eat("*") {
                '*'
            } else if self.eat("/") {
                '/'
            } else if self.eat("%") {
                '%'
            } else {
                return Ok(a);
            };
            let b = self.exponent()?;
            let (x, y) = (ops::to_number(self.rt, &a)?, ops::to_number(self.rt, &b)?);
            a = Value::Number(match op {
                '*' => x * y,
                '/' => x / y,
                _ => x % y,
            });
        }
    }

    fn exponent(&mut self) -> R {
        let a = self.unary()?;
        if self.eat("**") {
            let b = self.exponent()?;
            let (x, y) = (ops::to_number(self.rt, &a)?, ops::to_number(self.rt, &b)?);
            return Ok(Value::Number(wfc_executor::eval::builtins::math::pow(x, y)));
        }
        Ok(a)
    }

    fn unary(&mut self) -> R {
        if self.eat("-") {
            let v = self.unary()?;
            return Ok(Value::Number(-ops::to_number(self.rt, &v)?));
        }
        if self.eat("!") {
            let v = self.unary()?;
            return Ok(Value::Bool(!v.truthy()));
        }
        let save = self.pos;
        if self.ident().as_deref() == Some("new") {
            let name = self
                .ident()
                .unwrap_or_else(|| self.fail("constructor name"));
            let ctor = self.lookup(&name)?;
            let args = if self.eat("(") {
                self.args(")")?
            } else {
                Vec::new()
            };
            let v = self.rt.construct(&ctor, &args)?;
            return self.postfix(v);
        }
        self.pos = save;
        let v = self.primary()?;
        self.postfix(v)
    }

    fn postfix(&mut self, mut v: Value) -> R {
        loop {
            if self.peek_str("..") {
                self.fail("`..`");
            }
            if self.eat(".") {
                let key = self.ident().unwrap_or_else(|| self.fail("property name"));
                if self.eat("(") {
                    let args = self.args(")")?;
                    let f = self.rt.get(&v, &key)?;
                    v = self.rt.call(&f, &v, &args)?;
                } else {
                    v = self.rt.get(&v, &key)?;
                }
            } else if self.eat("[") {
                let k = self.expr()?;
                self.expect("]");
                let key = ops::to_key(self.rt, &k)?;
                v = self.rt.get(&v, &key)?;
            } else if self.eat("(") {
                let args = self.args(")")?;
                v = self.rt.call(&v, &Value::Undefined, &args)?;
            } else {
                return Ok(v);
            }
        }
    }

    fn args(&mut self, close: &str) -> Result<Vec<Value>, Value> {
        let mut out = Vec::new();
        if self.eat(close) {
            return Ok(out);
        }
        loop {
            if self.eat("...") {
                let v = self.assign()?;
                match v.as_object() {
                    Some(o) if o.is_array() => out.extend(o.array_elements()),
                    _ => self.fail("spread of a non-array"),
                }
            } else {
                out.push(self.assign()?);
            }
            if self.eat(close) {
                return Ok(out);
            }
            self.expect(",");
        }
    }

    fn lookup(&mut self, name: &str) -> R {
        if let Some(v) = self.vars.get(name) {
            return Ok(v.clone());
        }
        match name {
            "true" => return Ok(Value::Bool(true)),
            "false" => return Ok(Value::Bool(false)),
            "null" => return Ok(Value::Null),
            "upper" | "show" | "boom" | "seven" | "format" => return Ok(helper(self.rt, name)),
            _ => {}
        }
        self.rt
            .global(name)
            .ok_or_else(|| self.rt.reference_error(&format!("{name} is not defined")))
    }

    fn primary(&mut self) -> R {
        let c = self.peek().unwrap_or_else(|| self.fail("unexpected end"));
        match c {
            '(' => {
                self.expect("(");
                let v = self.expr()?;
                self.expect(")");
                Ok(v)
            }
            '[' => {
                self.expect("[");
                let items = self.args("]")?;
                Ok(self.rt.new_array(items))
            }
            '{' => {
                self.expect("{");
                let mut props: Vec<(String, Value)> = Vec::new();
                if !self.eat("}") {
                    loop {
                        let key = if matches!(self.peek(), Some('"' | '\'')) {
                            self.string_literal()
                        } else {
                            self.ident().unwrap_or_else(|| self.fail("key"))
                        };
                        self.expect(":");
                        props.push((key, self.assign()?));
                        if self.eat("}") {
                            break;
                        }
                        self.expect(",");
                    }
                }
                let v = self.rt.object_from(Vec::new());
                for (k, x) in props {
                    self.rt.set(&v, &k, x)?;
                }
                Ok(v)
            }
            '"' | '\'' => Ok(Value::string(self.string_literal())),
            '/' => {
                self.pos += 1;
                let mut pattern = String::new();
                let mut in_class = false;
                loop {
                    let c = *self.src.get(self.pos).unwrap_or_else(|| self.fail("regex"));
                    self.pos += 1;
                    match c {
                        '\\' => {
                            pattern.push(c);
                            pattern.push(self.src[self.pos]);
                            self.pos += 1;
                        }
                        '[' => {
                            in_class = true;
                            pattern.push(c);
                        }
                        ']' => {
                            in_class = false;
                            pattern.push(c);
                        }
                        '/' if !in_class => break,
                        _ => pattern.push(c),
                    }
                }
                let mut flags = String::new();
                while self.pos < self.src.len() && self.src[self.pos].is_ascii_alphabetic() {
                    flags.push(self.src[self.pos]);
                    self.pos += 1;
                }
                wfc_executor::eval::builtins::regexp::new_regexp(self.rt, &pattern, &flags)
            }
            c if c.is_ascii_digit() || c == '.' => Ok(Value::Number(self.number_literal())),
            _ => {
                let name = self.ident().unwrap_or_else(|| self.fail("expression"));
                self.lookup(&name)
            }
        }
    }

    fn number_literal(&mut self) -> f64 {
        self.skip_ws();
        let start = self.pos;
        if self.peek_str("0x") {
            self.pos += 2;
            let hs = self.pos;
            while self.pos < self.src.len() && self.src[self.pos].is_ascii_hexdigit() {
                self.pos += 1;
            }
            let h: String = self.src[hs..self.pos].iter().collect();
            return u64::from_str_radix(&h, 16).expect("hex literal") as f64;
        }
        while self.pos < self.src.len() {
            let c = self.src[self.pos];
            let exp_sign =
                (c == '+' || c == '-') && matches!(self.src.get(self.pos - 1), Some('e' | 'E'));
            if c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || exp_sign {
                self.pos += 1;
            } else {
                break;
            }
        }
        let text: String = self.src[start..self.pos].iter().collect();
        text.parse().unwrap_or_else(|_| self.fail("number"))
    }

    fn string_literal(&mut self) -> String {
        self.skip_ws();
        let quote = self.src[self.pos];
        self.pos += 1;
        let mut units: Vec<u16> = Vec::new();
        loop {
            let c = *self
                .src
                .get(self.pos)
                .unwrap_or_else(|| self.fail("string"));
            self.pos += 1;
            if c == quote {
                break;
            }
            if c != '\\' {
                let mut buf = [0u16; 2];
                units.extend_from_slice(c.encode_utf16(&mut buf));
                continue;
            }
            let e = self.src[self.pos];
            self.pos += 1;
            let hex = |this: &mut Self, n: usize| -> u32 {
                let h: String = this.src[this.pos..this.pos + n].iter().collect();
                this.pos += n;
                u32::from_str_radix(&h, 16).unwrap_or_else(|_| this.fail("escape"))
            };
            match e {
                'n' => units.push(10),
                't' => units.push(9),
                'r' => units.push(13),
                '0' => units.push(0),
                'b' => units.push(8),
                'f' => units.push(12),
                'v' => units.push(11),
                'x' => {
                    let u = hex(self, 2);
                    units.push(u as u16);
                }
                'u' if self.src[self.pos] == '{' => {
                    self.pos += 1;
                    let close = self.src[self.pos..]
                        .iter()
                        .position(|c| *c == '}')
                        .unwrap_or_else(|| self.fail("escape"));
                    let cp = hex(self, close);
                    self.pos += 1;
                    let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                    let mut buf = [0u16; 2];
                    units.extend_from_slice(ch.encode_utf16(&mut buf));
                }
                'u' => {
                    let u = hex(self, 4);
                    units.push(u as u16);
                }
                other => {
                    let mut buf = [0u16; 2];
                    units.extend_from_slice(other.encode_utf16(&mut buf));
                }
            }
        }
        String::from_utf16_lossy(&units)
    }
}

/// The test helpers Node defines in `eval_cases.js`.
fn helper(rt: &Rt, name: &str) -> Value {
    match name {
        "upper" => rt.native_fn("upper", |rt, _, args| {
            let s = ops::to_string(rt, args.first().unwrap_or(&Value::Undefined))?;
            Ok(Value::string(s.to_uppercase()))
        }),
        "show" => rt.native_fn("show", |rt, _, args| {
            let parts: Vec<String> = args.iter().map(|a| fmt(rt, a)).collect();
            Ok(Value::string(format!("<{}>", parts.join("|"))))
        }),
        "boom" => rt.native_fn("boom", |rt, _, _| Err(rt.type_error("boom"))),
        "format" => rt.native_fn("format", |rt, _, args| {
            Ok(Value::string(global::format_args(rt, args)?))
        }),
        _ => rt.object_from(vec![
            (
                "valueOf",
                rt.native_fn("valueOf", |_, _, _| Ok(Value::Number(7.0))),
            ),
            (
                "toString",
                rt.native_fn("toString", |_, _, _| Ok(Value::str("seven"))),
            ),
        ]),
    }
}

/// The formatter of `eval_cases.js`, in Rust.
fn fmt(rt: &Rt, v: &Value) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => {
            if *n == 0.0 && n.is_sign_negative() {
                "-0".into()
            } else {
                number_to_string(*n)
            }
        }
        Value::String(s) => serde_json::to_string(&**s).expect("a string serializes"),
        Value::Object(o) => fmt_object(rt, v, o),
    }
}

fn fmt_object(rt: &Rt, v: &Value, o: &Obj) -> String {
    enum Shape {
        Function,
        RegExp,
        Wrapper(&'static str, Value),
        Error,
        Array(Vec<Value>),
        Plain,
    }
    let shape = match &o.borrow().kind {
        Kind::Function(_) => Shape::Function,
        Kind::RegExp(_) => Shape::RegExp,
        Kind::Primitive(p) => Shape::Wrapper(
            match p {
                Value::String(_) => "String",
                Value::Number(_) => "Number",
                _ => "Boolean",
            },
            p.clone(),
        ),
        Kind::Error(_) => Shape::Error,
        Kind::Array(items) => Shape::Array(items.clone()),
        _ => Shape::Plain,
    };
    let extra = |rt: &Rt| -> Vec<String> {
        let keys = ordered_keys(&o.borrow().props);
        keys.iter()
            .map(|k| {
                let x = o.get_own(k).unwrap_or_default();
                format!("{k}:{}", fmt(rt, &x))
            })
            .collect()
    };
    match shape {
        Shape::Function => "function".into(),
        Shape::RegExp => {
            let text = ops::to_string(rt, v).expect("regex to string");
            let li = rt.get(v, "lastIndex").expect("lastIndex");
            format!("{text}@{}", fmt(rt, &li))
        }
        Shape::Wrapper(kind, p) => format!("{kind}({})", fmt(rt, &p)),
        Shape::Error => {
            let name = rt.get(v, "name").expect("name");
            let message = rt.get(v, "message").expect("message");
            format!(
                "Error({}: {})",
                ops::to_string(rt, &name).expect("name"),
                ops::to_string(rt, &message).expect("message")
            )
        }
        Shape::Array(items) => {
            let mut parts: Vec<String> = items.iter().map(|x| fmt(rt, x)).collect();
            parts.extend(extra(rt));
            format!("[{}]", parts.join(","))
        }
        Shape::Plain => format!("{{{}}}", extra(rt).join(",")),
    }
}

fn rust_outcome(src: &str) -> String {
    let rt = Rt::new();
    let mut e = Eval::new(&rt, src);
    match e.program() {
        Ok(v) => fmt(&rt, &v),
        Err(err) => {
            let name = rt.get(&err, "name").unwrap_or_default();
            let message = rt.get(&err, "message").unwrap_or_default();
            format!(
                "throws {}: {}",
                ops::to_string(&rt, &name).expect("name"),
                ops::to_string(&rt, &message).expect("message")
            )
        }
    }
}

/// Runs the cases through Node, or `None` when `node` is not available.
fn node_outcomes(cases: &[&str]) -> Option<Vec<String>> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/common_js/eval_cases.js");
    let mut node = Command::new("node");
    node.arg(script);
    common::node_json(node, &cases)
}

#[test]
fn builtins_match_node() {
    assert!(CASES.len() >= 150, "at least 150 cases");
    let Some(node) = node_outcomes(CASES) else {
        return;
    };
    assert_eq!(node.len(), CASES.len());
    let mut failures = Vec::new();
    for (case, js) in CASES.iter().zip(&node) {
        let rust = rust_outcome(case);
        if KNOWN_GAPS.contains(case) {
            if &rust == js {
                eprintln!("known gap now agrees with node (remove it from KNOWN_GAPS): {case}");
            } else {
                eprintln!("known gap: {case}\n    node: {js}\n    rust: {rust}");
            }
            continue;
        }
        if &rust != js {
            failures.push(format!("{case}\n    node: {js}\n    rust: {rust}"));
        }
    }
    eprintln!(
        "{} cases, {} known gaps, {} differ",
        CASES.len(),
        KNOWN_GAPS.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from node:\n{}",
        failures.len(),
        CASES.len(),
        failures.join("\n")
    );
}

#[test]
fn known_gaps_are_still_cases() {
    for gap in KNOWN_GAPS {
        assert!(CASES.contains(gap), "{gap} is not a case");
    }
}

// ---- the host side of setTimeout, clearTimeout and console -----------------------------------------

#[derive(Default)]
struct RecordingHost {
    timers: std::cell::RefCell<Vec<(u64, usize)>>,
    cleared: std::cell::RefCell<Vec<u64>>,
    logs: std::cell::RefCell<Vec<(String, String)>>,
}

impl wfc_executor::eval::Host for RecordingHost {
    fn agent(&self, rt: &Rt, _call: wfc_executor::eval::AgentCallInfo) -> Result<Value, Value> {
        Err(rt.type_error("no agents here"))
    }
    fn set_timeout(&self, _rt: &Rt, _callback: Value, delay_ms: u64, args: Vec<Value>) -> u64 {
        let mut t = self.timers.borrow_mut();
        t.push((delay_ms, args.len()));
        t.len() as u64
    }
    fn clear_timeout(&self, id: u64) {
        self.cleared.borrow_mut().push(id);
    }
    fn log(
        &self,
        _script: Option<&wfc_executor::eval::Script>,
        level: wfc_executor::eval::LogLevel,
        message: &str,
    ) {
        self.logs
            .borrow_mut()
            .push((format!("{level:?}"), message.to_string()));
    }
    fn budget(&self) -> (Option<f64>, f64) {
        (None, 0.0)
    }
    fn workflow(
        &self,
        rt: &Rt,
        _script: &std::rc::Rc<wfc_executor::eval::Script>,
        _target: Value,
        _args: Value,
    ) -> Result<Value, Value> {
        Err(rt.type_error("no workflows here"))
    }
}

#[test]
fn timers_and_console_reach_the_host() {
    let rt = Rt::new();
    let host = std::rc::Rc::new(RecordingHost::default());
    rt.set_host(host.clone());
    let run = |src: &str| -> String {
        let mut e = Eval::new(&rt, src);
        match e.program() {
            Ok(v) => fmt(&rt, &v),
            Err(err) => fmt(&rt, &rt.get(&err, "message").unwrap_or_default()),
        }
    };
    assert_eq!(run(r#"setTimeout(upper, 2.7, "a", "b")"#), "1");
    assert_eq!(run(r#"setTimeout(upper)"#), "2");
    assert_eq!(run(r#"setTimeout(upper, "50")"#), "3");
    assert_eq!(run(r#"setTimeout(upper, -5)"#), "4");
    assert_eq!(run(r#"setTimeout(upper, 2**31)"#), "5");
    assert_eq!(run(r#"setTimeout(upper, 2**31 - 1)"#), "6");
    assert_eq!(run(r#"setTimeout(upper, NaN)"#), "7");
    assert_eq!(
        *host.timers.borrow(),
        vec![
            (2, 2),
            (1, 0),
            (50, 0),
            (1, 0),
            (1, 0),
            (2_147_483_647, 0),
            (1, 0)
        ]
    );
    assert_eq!(
        run(r#"setTimeout("upper", 5)"#),
        r#""setTimeout() expects a function as its first argument""#
    );
    assert_eq!(host.timers.borrow().len(), 7);
    // The runtime finds the timer with `===`: only numbers cancel.
    run(r#"clearTimeout(3)"#);
    run(r#"clearTimeout("4")"#);
    run(r#"clearTimeout(undefined)"#);
    assert_eq!(*host.cleared.borrow(), vec![3]);
    run(r#"console.warn("x %d", 5, {a: [1, "s"]})"#);
    run(r#"console.log()"#);
    run(r#"console.error(new String("e"), null, -0)"#);
    assert_eq!(
        *host.logs.borrow(),
        vec![
            (
                "Console(\"warn\")".to_string(),
                "x 5 { a: [ 1, 's' ] }".to_string()
            ),
            ("Console(\"log\")".to_string(), String::new()),
            (
                "Console(\"error\")".to_string(),
                "[String: 'e'] null -0".to_string()
            ),
        ]
    );
}

#[test]
fn timer_delay_is_coerced_like_node() {
    for (ms, want) in [
        (0.0, 1),
        (0.5, 1),
        (1.0, 1),
        (1.9, 1),
        (2.5, 2),
        (-1.0, 1),
        (f64::NAN, 1),
        (f64::INFINITY, 1),
        (2_147_483_647.0, 2_147_483_647),
        (2_147_483_648.0, 1),
    ] {
        assert_eq!(global::timer_delay(ms), want, "{ms}");
    }
}

// ---- generated cases ----------------------------------------------------------------------------------

impl Gen {
    /// A short string over letters, digits, punctuation, whitespace, accents and emoji.
    fn text(&mut self, astral: bool) -> String {
        const ATOMS: &[&str] = &[
            "a", "b", "A", "B", "x", "Z", "0", "7", " ", "-", "_", ",", ".", "é", "E", "ü", "ß",
            "\\n", "\\t", "$", "ab", "ba", "  ",
        ];
        let n = self.below(7);
        let mut s = String::new();
        for _ in 0..n {
            if astral && self.below(6) == 0 {
                s.push('😀');
            } else {
                s.push_str(self.pick(ATOMS));
            }
        }
        s
    }

    fn int(&mut self) -> String {
        self.pick(&[
            "0",
            "1",
            "2",
            "3",
            "5",
            "-1",
            "-3",
            "10",
            "NaN",
            "Infinity",
            "-Infinity",
            "1.5",
            "undefined",
        ])
        .to_string()
    }

    /// A double of some magnitude, as a JavaScript literal.
    fn number(&mut self) -> String {
        let special = [
            "0", "-0", "0.5", "1.5", "2.5", "-2.5", "0.125", "1e21", "123.456", "5e-7",
        ];
        if self.below(5) == 0 {
            return format!("({})", self.pick(&special));
        }
        let mantissa = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        let exp = self.below(30) as i32 - 12;
        let mut x = mantissa * 10f64.powi(exp);
        if self.below(3) == 0 {
            x = (x * 1000.0).round() / 1000.0;
        }
        if self.below(4) == 0 {
            x = -x;
        }
        format!("({x:e})")
    }
}

fn generated_cases() -> Vec<String> {
    let mut g = Gen(0x5EED_CAFE);
    let mut out = Vec::new();
    let quote = |s: &str| format!("\"{s}\"");
    for _ in 0..1500 {
        let s = quote(&g.text(true));
        let t = quote(&g.text(true));
        let i = g.int();
        let j = g.int();
        let case = match g.below(22) {
            0 => format!("{s}.slice({i}, {j})"),
            1 => format!("{s}.substring({i}, {j})"),
            2 => format!("{s}.substr({i}, {j})"),
            3 => format!("[{s}.at({i}), {s}.charAt({i}), {s}.charCodeAt({i}), {s}.codePointAt({i})]"),
            4 => format!("[{s}.indexOf({t}, {i}), {s}.lastIndexOf({t}, {i}), {s}.includes({t}, {i})]"),
            5 => format!("[{s}.startsWith({t}, {i}), {s}.endsWith({t}, {i})]"),
            6 => format!("[{s}.padStart({j}, {t}), {s}.padEnd(8, {t})]"),
            7 => format!("{s}.split({t}, {i})"),
            8 => format!("{s}.split({t})"),
            9 => format!("[{s}.replace({t}, \"[$&]\"), {s}.replaceAll({t}, \"<$`>\")]"),
            10 => format!("[{s}.trim(), {s}.trimStart(), {s}.trimEnd()]"),
            11 => format!("[{s}.toUpperCase(), {s}.toLowerCase()]"),
            12 => format!("[{s}.normalize(\"NFD\"), {s}.normalize(\"NFD\").normalize()]"),
            13 => {
                let (a, b) = (quote(&g.text(false)), quote(&g.text(false)));
                format!("[{a}.localeCompare({b}), {b}.localeCompare({a})]")
            }
            14 => {
                let a = quote(&g.text(false));
                let re = g.pick(&["/a/g", "/[a-z]+/gi", "/(\\w)(\\d)?/g", "/\\s*,\\s*/", "/(?<p>[.,])/g", "/b*/g", "/$/", "/^/gm"]);
                format!("[{a}.replace({re}, \"{{$1|$&}}\"), {a}.split({re}), {a}.match({re}), {a}.search({re})]")
            }
            15 => {
                let a = quote(&g.text(true));
                let re = g.pick(&["/./gu", "/\\p{L}/gu", "/(?:)/gu", "/[😀é]/gu", "/\\S+/gu"]);
                format!("[{a}.replace({re}, \"<$&>\"), {a}.split({re}), {a}.match({re})]")
            }
            16 => {
                let x = g.number();
                let d = g.below(12);
                format!("[{x}.toFixed({d}), {x}.toPrecision({}), {x}.toExponential({d})]", d + 1)
            }
            17 => {
                let x = g.number();
                let r = 2 + g.below(35);
                format!("{x}.toString({r})")
            }
            18 => {
                let x = g.number();
                format!("[{x}.toLocaleString(), {x}.toLocaleString(undefined, {{maximumFractionDigits: {}}})]", g.below(6))
            }
            19 => {
                let p = quote(g.pick(&["  12px", "0x1f", "-0", "1e3", "  .5e-3x", "077", "+9.99", "z", "1_0", "\\u00a01.5", "-Infinity", "0b1"]));
                let r = g.pick(&["", ", 16", ", 2", ", 36", ", 8", ", 0", ", 10"]);
                format!("[parseInt({p}{r}), parseFloat({p}), Number({p})]")
            }
            20 => {
                let x = g.number();
                let y = g.number();
                // Not pow, cbrt, atan2 or the other transcendental functions: the platform's libm
                // and V8's fdlibm port may differ in the last bit (a documented gap, see
                // KNOWN_GAPS).
                let f = g.pick(&["round", "floor", "ceil", "trunc", "sign", "abs", "sqrt", "fround", "clz32"]);
                let h = g.pick(&["max", "min", "imul", "hypot"]);
                format!("[Math.{f}({x}), Math.{h}({x}, {y})]")
            }
            _ => format!("[encodeURIComponent({s}), decodeURIComponent(encodeURIComponent({s})), encodeURI({s})]"),
        };
        out.push(case);
    }
    out
}

#[test]
fn generated_cases_match_node() {
    let cases = generated_cases();
    let refs: Vec<&str> = cases.iter().map(String::as_str).collect();
    let Some(node) = node_outcomes(&refs) else {
        return;
    };
    let mut failures = Vec::new();
    for (case, js) in cases.iter().zip(&node) {
        let rust = rust_outcome(case);
        if &rust != js {
            failures.push(format!("{case}\n    node: {js}\n    rust: {rust}"));
        }
    }
    eprintln!("{} generated cases, {} differ", cases.len(), failures.len());
    assert!(
        failures.is_empty(),
        "{} of {} generated cases differ from node:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
