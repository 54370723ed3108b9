//! `RegExp`: the constructor, regex literals, the methods of regex objects, and the regex halves of
//! `String.prototype.match`/`matchAll`/`replace`/`replaceAll`/`search`/`split`.
//!
//! Matching is done by the `regress` crate (ECMAScript syntax and semantics) on the UTF-8 text;
//! positions are converted to UTF-16 units for `index` and `lastIndex`. Differences from V8:
//! - Without the `u` flag, JavaScript matches UTF-16 code units, so `.` can match half of an
//!   astral character (an emoji) and an empty match can stop between its halves. Here a character
//!   outside the BMP is always matched whole.
//! - The syntax error messages are V8's for the common errors, `regress`'s wording otherwise.
//! - The `Symbol.match`/`Symbol.replace`/… protocol and user overrides of `exec` are not
//!   consulted: a `RegExp` object always matches with the built-in algorithm.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regress::Match;

use super::string::{
    arg, get_substitution, install_statics, next_char_boundary, prototype, Cursor,
};
use crate::eval::ops;
use crate::eval::value::{Ctor, Func, Kind, Native, NativeImpl, Obj, RegExpData, Res, Value};
use crate::eval::Rt;

/// The flags in the order `flags` lists them.
const FLAG_ORDER: &str = "dgimsuvy";

/// A regex literal `/source/flags` (called by the interpreter).
pub fn new_regexp(rt: &Rt, source: &str, flags: &str) -> Res<Value> {
    create(rt, source, flags, false)
}

/// `new RegExp(pattern, flags)` with a string pattern and flags (the constructor's error for bad
/// flags).
pub fn new_regexp_ctor(rt: &Rt, pattern: &str, flags: &str) -> Res<Value> {
    create(rt, pattern, flags, true)
}

/// The regex object behind a value, if it is one.
pub fn as_regexp(v: &Value) -> Option<Obj> {
    match v {
        Value::Object(o) if matches!(o.borrow().kind, Kind::RegExp(_)) => Some(o.clone()),
        _ => None,
    }
}

/// The `flags` of a regex object (canonical order).
pub fn flags_of(re: &Obj) -> String {
    match &re.borrow().kind {
        Kind::RegExp(r) => r.flags.clone(),
        _ => String::new(),
    }
}

fn source_of(re: &Obj) -> String {
    match &re.borrow().kind {
        Kind::RegExp(r) => r.source.clone(),
        _ => String::new(),
    }
}

fn canonical_flags(flags: &str) -> Option<String> {
    let mut seen = [false; 8];
    for c in flags.chars() {
        let i = FLAG_ORDER.find(c)?;
        if seen[i] {
            return None;
        }
        seen[i] = true;
    }
    // `u` and `v` exclude each other.
    if seen[5] && seen[6] {
        return None;
    }
    Some(
        FLAG_ORDER
            .chars()
            .zip(seen)
            .filter(|(_, s)| *s)
            .map(|(c, _)| c)
            .collect(),
    )
}

fn create(rt: &Rt, pattern: &str, flags: &str, from_ctor: bool) -> Res<Value> {
    let Some(canon) = canonical_flags(flags) else {
        let msg = if from_ctor {
            format!("Invalid flags supplied to RegExp constructor '{flags}'")
        } else {
            "Invalid regular expression flags".to_string()
        };
        return Err(rt.error("SyntaxError", &msg));
    };
    let rflags = regress::Flags {
        icase: canon.contains('i'),
        multiline: canon.contains('m'),
        dot_all: canon.contains('s'),
        unicode: canon.contains('u'),
        unicode_sets: canon.contains('v'),
        ..regress::Flags::default()
    };
    let source = escape_source(pattern);
    let regex = compile(pattern, &canon, rflags)
        .map_err(|e| rt.error("SyntaxError", &syntax_message(&source, &canon, &e)))?;
    Ok(Value::Object(Obj::new(Kind::RegExp(Box::new(
        RegExpData {
            source,
            flags: canon,
            regex,
            last_index: 0,
        },
    )))))
}

thread_local! {
    /// Compiled patterns by (pattern, flags): a regex literal in a loop is evaluated (and would be
    /// compiled) on every iteration.
    static COMPILED: RefCell<HashMap<(String, String), regress::Regex>> =
        RefCell::new(HashMap::new());
}

/// Compiles a pattern (or clones the cached compilation).
fn compile(pattern: &str, flags: &str, rflags: regress::Flags) -> Result<regress::Regex, String> {
    let key = (pattern.to_string(), flags.to_string());
    if let Some(r) = COMPILED.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(r);
    }
    let regex =
        regress::Regex::from_unicode(pattern.chars().map(u32::from), rflags).map_err(|e| e.text)?;
    COMPILED.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() >= 256 {
            c.clear();
        }
        c.insert(key, regex.clone());
    });
    Ok(regex)
}

/// `EscapeRegExpPattern`: the `source` of a regex (`/` escaped outside classes, line
/// terminators escaped, `(?:)` for the empty pattern).
fn escape_source(p: &str) -> String {
    if p.is_empty() {
        return "(?:)".into();
    }
    let mut out = String::with_capacity(p.len() + 2);
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push('\\');
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '/' if !in_class => out.push_str("\\/"),
            '[' => {
                in_class = true;
                out.push(c);
            }
            ']' => {
                in_class = false;
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

/// V8's message for a pattern `regress` rejects.
fn syntax_message(source: &str, flags: &str, err: &str) -> String {
    let unicode = flags.contains('u') || flags.contains('v');
    let reason = if err.starts_with("Unbalanced parenthesis") {
        if unmatched_close(source) {
            "Unmatched ')'"
        } else {
            "Unterminated group"
        }
    } else if err.starts_with("Invalid atom character")
        || err.starts_with("Invalid braced quantifier")
    {
        if unicode && (source.contains('{') || source.contains('}') || source.contains(']')) {
            "Lone quantifier brackets"
        } else {
            "Nothing to repeat"
        }
    } else if err.starts_with("Unbalanced bracket") {
        "Unterminated character class"
    } else if err.starts_with("Invalid token at named capture group identifier") {
        if source.contains("(?<") {
            "Invalid capture group name"
        } else {
            "Invalid group"
        }
    } else if err.starts_with("Invalid quantifier") {
        if unicode {
            "Incomplete quantifier"
        } else {
            "numbers out of order in {} quantifier"
        }
    } else if err.starts_with("Incomplete escape") {
        "\\ at end of pattern"
    } else if err.starts_with("Backreference to invalid named capture group") {
        "Invalid named capture referenced"
    } else if err.starts_with("Range values reversed") {
        "Range out of order in character class"
    } else if err.starts_with("Invalid character escape") {
        "Invalid escape"
    } else if err.starts_with("Invalid unicode escape") {
        "Invalid Unicode escape"
    } else {
        err
    };
    format!("Invalid regular expression: /{source}/{flags}: {reason}")
}

/// Whether a pattern closes a group it never opened.
fn unmatched_close(p: &str) -> bool {
    let mut depth = 0usize;
    let mut in_class = false;
    let mut chars = p.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '[' => in_class = true,
            ']' => in_class = false,
            '(' if !in_class => depth += 1,
            ')' if !in_class => {
                if depth == 0 {
                    return true;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    false
}

// ---- the constructor and the methods --------------------------------------------------------------

/// The `RegExp` constructor.
pub fn constructor(rt: &Rt) -> Value {
    let call: NativeImpl = Rc::new(|rt, _, args| {
        let pattern = arg(args, 0);
        if as_regexp(pattern).is_some() && matches!(arg(args, 1), Value::Undefined) {
            return Ok(pattern.clone());
        }
        construct(rt, pattern, arg(args, 1))
    });
    let construct_fn: NativeImpl = Rc::new(|rt, _, args| construct(rt, arg(args, 0), arg(args, 1)));
    let f = Obj::new(Kind::Function(Func::Native(Native {
        name: "RegExp".into(),
        call,
        construct: Some(construct_fn),
        ctor: Some(Ctor::RegExp),
    })));
    install_statics(rt, &f, &["prototype"], static_property);
    Value::Object(f)
}

/// The statics of `RegExp`: only `RegExp.prototype`.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    if key != "prototype" {
        return None;
    }
    rt.cached_method("RegExp", key, |rt| {
        Some(prototype(
            rt,
            &Value::Undefined,
            &["exec", "test", "toString"],
            |rt, _, key| method_value(rt, key),
        ))
    })
}

fn construct(rt: &Rt, pattern: &Value, flags: &Value) -> Res<Value> {
    let (p, f) = match as_regexp(pattern) {
        Some(re) => {
            let f = match flags {
                Value::Undefined => flags_of(&re),
                other => ops::to_string(rt, other)?.to_string(),
            };
            (source_of(&re), f)
        }
        None => {
            let p = match pattern {
                Value::Undefined => String::new(),
                other => ops::to_string(rt, other)?.to_string(),
            };
            let f = match flags {
                Value::Undefined => String::new(),
                other => ops::to_string(rt, other)?.to_string(),
            };
            (p, f)
        }
    };
    new_regexp_ctor(rt, &p, &f)
}

/// What `re[key]` finds on `RegExp.prototype`: the flag getters, `source`, `flags`, `lastIndex`,
/// and the methods `exec`, `test` and `toString`.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let re = as_regexp(receiver)?;
    {
        let data = re.borrow();
        let Kind::RegExp(r) = &data.kind else {
            return None;
        };
        let flag = |c: char| Some(Value::Bool(r.flags.contains(c)));
        match key {
            "lastIndex" => return Some(Value::Number(r.last_index as f64)),
            "source" => return Some(Value::str(&r.source)),
            "flags" => return Some(Value::str(&r.flags)),
            "global" => return flag('g'),
            "ignoreCase" => return flag('i'),
            "multiline" => return flag('m'),
            "sticky" => return flag('y'),
            "unicode" => return flag('u'),
            "unicodeSets" => return flag('v'),
            "dotAll" => return flag('s'),
            "hasIndices" => return flag('d'),
            _ => {}
        }
    }
    match key {
        "constructor" => rt.global("RegExp"),
        _ => method_value(rt, key),
    }
}

/// The methods of `RegExp.prototype`.
fn method_value(rt: &Rt, key: &str) -> Option<Value> {
    match key {
        "exec" => rt.cached_method("RegExp.prototype", key, |rt| {
            Some(rt.native_fn("exec", |rt, this, args| {
                let re = this_regexp(rt, this, "exec")?;
                let s = ops::to_string(rt, arg(args, 0))?;
                exec(rt, &re, &s)
            }))
        }),
        "test" => rt.cached_method("RegExp.prototype", key, |rt| {
            Some(rt.native_fn("test", |rt, this, args| {
                let re = this_regexp(rt, this, "test")?;
                let s = ops::to_string(rt, arg(args, 0))?;
                let mut cur = Cursor::new(&s);
                Ok(Value::Bool(builtin_exec(&re, &s, &mut cur).is_some()))
            }))
        }),
        "toString" => rt.cached_method("RegExp.prototype", key, |rt| {
            Some(rt.native_fn("toString", |rt, this, _| {
                let re = this_regexp(rt, this, "toString")?;
                Ok(Value::string(format!(
                    "/{}/{}",
                    source_of(&re),
                    flags_of(&re)
                )))
            }))
        }),
        _ => None,
    }
}

fn this_regexp(rt: &Rt, this: &Value, method: &str) -> Res<Obj> {
    as_regexp(this).ok_or_else(|| {
        let receiver = match this {
            Value::Object(o) => match ops::class_name(o) {
                "Array" => "[object Array]".to_string(),
                name => format!("#<{name}>"),
            },
            other => ops::primitive_to_string(other).to_string(),
        };
        rt.type_error(&format!(
            "Method RegExp.prototype.{method} called on incompatible receiver {receiver}"
        ))
    })
}

// ---- matching --------------------------------------------------------------------------------------

#[derive(Clone, Copy)]
struct Flags {
    global: bool,
    sticky: bool,
    has_indices: bool,
}

fn state(re: &Obj) -> (Flags, usize) {
    match &re.borrow().kind {
        Kind::RegExp(r) => (
            Flags {
                global: r.flags.contains('g'),
                sticky: r.flags.contains('y'),
                has_indices: r.flags.contains('d'),
            },
            r.last_index,
        ),
        _ => (
            Flags {
                global: false,
                sticky: false,
                has_indices: false,
            },
            0,
        ),
    }
}

fn set_last_index(re: &Obj, v: usize) {
    if let Kind::RegExp(r) = &mut re.borrow_mut().kind {
        r.last_index = v;
    }
}

/// The first match at or after the byte offset `start` (only at `start` when `sticky`).
fn find_at(re: &Obj, s: &str, start: usize, sticky: bool) -> Option<Match> {
    if start > s.len() || !s.is_char_boundary(start) {
        return None;
    }
    let data = re.borrow();
    let Kind::RegExp(r) = &data.kind else {
        return None;
    };
    let m = r.regex.find_from(s, start).next()?;
    (!sticky || m.start() == start).then_some(m)
}

/// `RegExpBuiltinExec`: starts at `lastIndex` for `g`/`y` regexes and updates it.
fn builtin_exec(re: &Obj, s: &str, cur: &mut Cursor) -> Option<Match> {
    let (f, last_index) = state(re);
    let uses_last_index = f.global || f.sticky;
    let start = if uses_last_index { last_index } else { 0 };
    if start > cur.len_units() {
        if uses_last_index {
            set_last_index(re, 0);
        }
        return None;
    }
    let b = cur.byte_of(start);
    match find_at(re, s, b, f.sticky) {
        None => {
            if uses_last_index {
                set_last_index(re, 0);
            }
            None
        }
        Some(m) => {
            if uses_last_index {
                set_last_index(re, cur.unit_of(m.end()));
            }
            Some(m)
        }
    }
}

/// `AdvanceStringIndex` for a UTF-16 position.
fn advance(s: &str, cur: &mut Cursor, index: usize) -> usize {
    let b = cur.byte_of(index);
    if b >= s.len() {
        return index + 1;
    }
    cur.unit_of(next_char_boundary(s, b))
}

fn named_groups(m: &Match, s: &str) -> Option<Vec<(String, Option<String>)>> {
    let groups: Vec<(String, Option<String>)> = m
        .named_groups()
        .map(|(name, r)| {
            (
                name.to_string(),
                r.and_then(|r| s.get(r)).map(str::to_string),
            )
        })
        .collect();
    (!groups.is_empty()).then_some(groups)
}

fn groups_object(groups: &[(String, Option<String>)]) -> Value {
    let o = Obj::new(Kind::Object);
    {
        let mut d = o.borrow_mut();
        d.null_proto = true;
        for (name, v) in groups {
            let v = v.as_deref().map_or(Value::Undefined, Value::str);
            d.props.insert(name.as_str().into(), v);
        }
    }
    Value::Object(o)
}

/// The result array of `exec`: the match and its groups, with `index`, `input`, `groups` (and
/// `indices` for the `d` flag).
fn match_array(rt: &Rt, m: &Match, s: &str, cur: &mut Cursor, has_indices: bool) -> Value {
    let text = |r: &Option<std::ops::Range<usize>>| {
        r.clone()
            .and_then(|r| s.get(r))
            .map_or(Value::Undefined, Value::str)
    };
    let mut items = Vec::with_capacity(m.captures.len() + 1);
    items.push(text(&Some(m.range())));
    items.extend(m.captures.iter().map(text));
    let index = cur.unit_of(m.start());
    let named = named_groups(m, s);
    let arr = Obj::new(Kind::Array(items));
    {
        let mut d = arr.borrow_mut();
        d.props.insert("index".into(), Value::Number(index as f64));
        d.props.insert("input".into(), Value::str(s));
        d.props.insert(
            "groups".into(),
            named.as_deref().map_or(Value::Undefined, groups_object),
        );
    }
    if has_indices {
        let mut pair = |r: &Option<std::ops::Range<usize>>| match r {
            Some(r) => {
                let a = cur.unit_of(r.start) as f64;
                let b = cur.unit_of(r.end) as f64;
                rt.new_array(vec![Value::Number(a), Value::Number(b)])
            }
            None => Value::Undefined,
        };
        let mut pairs = vec![pair(&Some(m.range()))];
        pairs.extend(m.captures.iter().map(&mut pair));
        let indices = Obj::new(Kind::Array(pairs));
        let groups = match m.named_groups().next() {
            None => Value::Undefined,
            Some(_) => {
                let o = Obj::new(Kind::Object);
                o.borrow_mut().null_proto = true;
                for (name, r) in m.named_groups() {
                    o.set_own(name.into(), pair(&r));
                }
                Value::Object(o)
            }
        };
        indices.borrow_mut().props.insert("groups".into(), groups);
        arr.borrow_mut()
            .props
            .insert("indices".into(), Value::Object(indices));
    }
    Value::Object(arr)
}

/// `RegExp.prototype.exec`.
pub fn exec(rt: &Rt, re: &Obj, s: &str) -> Res<Value> {
    let (f, _) = state(re);
    let mut cur = Cursor::new(s);
    Ok(match builtin_exec(re, s, &mut cur) {
        Some(m) => match_array(rt, &m, s, &mut cur, f.has_indices),
        None => Value::Null,
    })
}

/// `String.prototype.match` with a regex.
pub fn string_match(rt: &Rt, re: &Obj, s: &str) -> Res<Value> {
    let (f, _) = state(re);
    if !f.global {
        return exec(rt, re, s);
    }
    set_last_index(re, 0);
    let mut cur = Cursor::new(s);
    let mut out = Vec::new();
    while let Some(m) = builtin_exec(re, s, &mut cur) {
        out.push(Value::str(&s[m.range()]));
        if m.range().is_empty() {
            let (_, li) = state(re);
            let next = advance(s, &mut cur, li);
            set_last_index(re, next);
        }
    }
    Ok(if out.is_empty() {
        Value::Null
    } else {
        rt.new_array(out)
    })
}

/// `String.prototype.matchAll` with a global regex: every match array, eagerly (the regex's own
/// `lastIndex` is left alone, as the spec matches with a copy).
pub fn match_all(rt: &Rt, re: &Obj, s: &str) -> Res<Value> {
    let (f, mut last_index) = state(re);
    let mut cur = Cursor::new(s);
    let mut out = Vec::new();
    loop {
        if last_index > cur.len_units() {
            break;
        }
        let b = cur.byte_of(last_index);
        let Some(m) = find_at(re, s, b, f.sticky) else {
            break;
        };
        last_index = cur.unit_of(m.end());
        out.push(match_array(rt, &m, s, &mut cur, f.has_indices));
        if m.range().is_empty() {
            last_index = advance(s, &mut cur, last_index);
        }
    }
    Ok(rt.new_array(out))
}

/// `String.prototype.replace`/`replaceAll` with a regex (`replaceAll` has checked the `g` flag).
pub fn replace(rt: &Rt, re: &Obj, s: &str, replacer: &Value) -> Res<Value> {
    let (f, _) = state(re);
    let template = if replacer.is_callable() {
        None
    } else {
        Some(ops::to_string(rt, replacer)?)
    };
    let mut cur = Cursor::new(s);
    let mut results = Vec::new();
    if f.global {
        set_last_index(re, 0);
    }
    while let Some(m) = builtin_exec(re, s, &mut cur) {
        let empty = m.range().is_empty();
        results.push(m);
        if !f.global {
            break;
        }
        if empty {
            let (_, li) = state(re);
            let next = advance(s, &mut cur, li);
            set_last_index(re, next);
        }
    }
    if results.is_empty() {
        return Ok(Value::str(s));
    }
    let whole = Value::str(s);
    let mut out = String::with_capacity(s.len());
    let mut next = 0;
    for m in &results {
        let matched = &s[m.range()];
        let position = m.start();
        let captures: Vec<Option<&str>> = m
            .captures
            .iter()
            .map(|c| c.clone().and_then(|r| s.get(r)))
            .collect();
        let named = named_groups(m, s);
        let replacement = match &template {
            Some(t) => get_substitution(matched, s, position, &captures, named.as_deref(), t),
            None => {
                let mut args = Vec::with_capacity(captures.len() + 4);
                args.push(Value::str(matched));
                args.extend(
                    captures
                        .iter()
                        .map(|c| c.map_or(Value::Undefined, Value::str)),
                );
                args.push(Value::Number(cur.unit_of(position) as f64));
                args.push(whole.clone());
                if let Some(groups) = &named {
                    args.push(groups_object(groups));
                }
                let r = rt.call(replacer, &Value::Undefined, &args)?;
                ops::to_string(rt, &r)?.to_string()
            }
        };
        if position >= next {
            out.push_str(&s[next..position]);
            out.push_str(&replacement);
            next = position + matched.len();
        }
    }
    out.push_str(s.get(next..).unwrap_or(""));
    Ok(Value::string(out))
}

/// `String.prototype.search` with a regex: the UTF-16 index of the first match or -1
/// (`lastIndex` is restored).
pub fn search(_rt: &Rt, re: &Obj, s: &str) -> Res<Value> {
    let (_, previous) = state(re);
    set_last_index(re, 0);
    let mut cur = Cursor::new(s);
    let m = builtin_exec(re, s, &mut cur);
    set_last_index(re, previous);
    Ok(Value::Number(
        m.map_or(-1.0, |m| cur.unit_of(m.start()) as f64),
    ))
}

/// `String.prototype.split` with a regex: the pieces between matches and the captured groups.
pub fn split(rt: &Rt, re: &Obj, s: &str, limit: &Value) -> Res<Value> {
    let lim = match limit {
        Value::Undefined => u32::MAX,
        v => crate::eval::value::to_uint32(ops::to_number(rt, v)?),
    } as usize;
    if lim == 0 {
        return Ok(rt.new_array(Vec::new()));
    }
    let size = s.len();
    if size == 0 {
        return Ok(if find_at(re, s, 0, true).is_some() {
            rt.new_array(Vec::new())
        } else {
            rt.new_array(vec![Value::str(s)])
        });
    }
    let mut out: Vec<Value> = Vec::new();
    let (mut p, mut q) = (0usize, 0usize);
    while q < size {
        // The leftmost match from q: no match starts at the positions it skipped, so jumping
        // there is the spec's sticky scan one position at a time.
        let Some(m) = find_at(re, s, q, false) else {
            break;
        };
        if m.start() >= size {
            break;
        }
        q = m.start();
        let e = m.end().min(size);
        if e == p {
            q = next_char_boundary(s, q);
            continue;
        }
        out.push(Value::str(&s[p..q]));
        if out.len() == lim {
            return Ok(rt.new_array(out));
        }
        p = e;
        for c in &m.captures {
            out.push(
                c.clone()
                    .and_then(|r| s.get(r))
                    .map_or(Value::Undefined, Value::str),
            );
            if out.len() == lim {
                return Ok(rt.new_array(out));
            }
        }
        q = p;
    }
    out.push(Value::str(&s[p..]));
    Ok(rt.new_array(out))
}
