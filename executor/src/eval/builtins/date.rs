//! `Date`, with the workflow sandbox's restrictions: `Date.now()`, `Date()` (a call without `new`)
//! and `new Date()` with no argument throw [`DATE_MSG`] (a script must not read the clock: it
//! breaks resume); `new Date(x)`, `new Date(y, m, …)`, `Date.parse` and `Date.UTC` work.
//!
//! **The local time zone is UTC**: local getters and setters equal the UTC ones, `toString`
//! prints `GMT+0000 (Coordinated Universal Time)` and `getTimezoneOffset()` is 0, as Node prints
//! them with `TZ=UTC`.
//!
//! `Date.parse` follows V8's parser: the ES5 ISO format first (`YYYY[-MM[-DD]][THH:mm[:ss[.s+]]]`
//! with `Z`/`±HH:mm`/`±HHmm`, `±YYYYYY` years, a lowercase `t`/`z`), then V8's legacy fallback
//! (`Jan 15, 2024`, `2024/01/15`, `Mon, 01 Jan 2024 00:00:00 GMT`, `toString()` output,
//! `10:00 PM`, `GMT+2`, `(comments)`, 2-digit years, the default year 2001, …).
//!
//! `toLocaleDateString`/`toLocaleTimeString`/`toLocaleString` always format as `en-US` in UTC
//! whatever the locale and `timeZone` arguments; the options `weekday`, `year`, `month`, `day`,
//! `hour`, `minute`, `second`, `hour12`, `dateStyle` and `timeStyle` are honoured for the common
//! combinations, an approximation of ICU's patterns.

use std::rc::Rc;

use crate::eval::ops::{self, Hint};
use crate::eval::value::{to_integer, Ctor, Func, Kind, Native, NativeImpl, Obj, Res, Value};
use crate::eval::Rt;

/// The message of the sandbox's clock guard.
pub const DATE_MSG: &str = "Date.now() / new Date() are unavailable in workflow scripts (breaks resume). Stamp results after the workflow returns, or pass timestamps via args.";

const MS_PER_DAY: f64 = 86_400_000.0;
const MAX_TIME: f64 = 8.64e15;

const DAY_NAMES: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_LONG: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTH_NAMES: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const MONTH_LONG: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn arg(args: &[Value], i: usize) -> Value {
    args.get(i).cloned().unwrap_or_default()
}

// ---- time arithmetic (ECMA-262 §21.4.1) ---------------------------------------------------------

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m as u32, d as u32)
}

/// `MakeDay(year, month, date)`.
pub fn make_day(year: f64, month: f64, date: f64) -> f64 {
    if !year.is_finite() || !month.is_finite() || !date.is_finite() {
        return f64::NAN;
    }
    let (y, m, dt) = (to_integer(year), to_integer(month), to_integer(date));
    let ym = y + (m / 12.0).floor();
    if ym.abs() > 1_000_000.0 {
        return f64::NAN;
    }
    let mn = m.rem_euclid(12.0);
    days_from_civil(ym as i64, mn as i64 + 1, 1) as f64 + dt - 1.0
}

/// `MakeTime(hour, min, sec, ms)`.
pub fn make_time(h: f64, m: f64, s: f64, ms: f64) -> f64 {
    if !h.is_finite() || !m.is_finite() || !s.is_finite() || !ms.is_finite() {
        return f64::NAN;
    }
    to_integer(h) * 3_600_000.0 + to_integer(m) * 60_000.0 + to_integer(s) * 1000.0 + to_integer(ms)
}

/// `MakeDate(day, time)`.
pub fn make_date(day: f64, time: f64) -> f64 {
    let t = day * MS_PER_DAY + time;
    if t.is_finite() {
        t
    } else {
        f64::NAN
    }
}

/// `TimeClip(t)`.
pub fn time_clip(t: f64) -> f64 {
    if !t.is_finite() || t.abs() > MAX_TIME {
        return f64::NAN;
    }
    to_integer(t) + 0.0
}

/// The calendar fields of a finite time value (UTC).
#[derive(Clone, Copy)]
struct Parts {
    year: i64,
    /// 0-based.
    month: u32,
    day: u32,
    weekday: usize,
    hour: u32,
    minute: u32,
    second: u32,
    ms: u32,
}

fn parts(t: f64) -> Parts {
    let day = (t / MS_PER_DAY).floor();
    let in_day = (t - day * MS_PER_DAY) as i64;
    let (year, month, d) = civil_from_days(day as i64);
    Parts {
        year,
        month: month - 1,
        day: d,
        weekday: (day as i64 + 4).rem_euclid(7) as usize,
        hour: (in_day / 3_600_000) as u32,
        minute: (in_day / 60_000 % 60) as u32,
        second: (in_day / 1000 % 60) as u32,
        ms: (in_day % 1000) as u32,
    }
}

// ---- formatting -------------------------------------------------------------------------------------

/// `toISOString`'s text of a finite time value.
pub fn iso_string(t: f64) -> String {
    let p = parts(t);
    let year = if (0..=9999).contains(&p.year) {
        format!("{:04}", p.year)
    } else if p.year < 0 {
        format!("-{:06}", -p.year)
    } else {
        format!("+{:06}", p.year)
    };
    format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.month + 1,
        p.day,
        p.hour,
        p.minute,
        p.second,
        p.ms
    )
}

/// A year as V8's `toString`/`toUTCString` print it: at least four digits, after the sign.
fn signed_year(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

fn date_part(p: &Parts) -> String {
    format!(
        "{} {} {:02} {}",
        DAY_NAMES[p.weekday],
        MONTH_NAMES[p.month as usize],
        p.day,
        signed_year(p.year)
    )
}

fn time_part(p: &Parts) -> String {
    format!(
        "{:02}:{:02}:{:02} GMT+0000 (Coordinated Universal Time)",
        p.hour, p.minute, p.second
    )
}

fn utc_string(p: &Parts) -> String {
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        DAY_NAMES[p.weekday],
        p.day,
        MONTH_NAMES[p.month as usize],
        signed_year(p.year),
        p.hour,
        p.minute,
        p.second
    )
}

/// `Date.prototype.toString`'s text of a time value (`Invalid Date` for NaN).
pub fn time_to_string(t: f64) -> String {
    if t.is_nan() {
        return "Invalid Date".into();
    }
    let p = parts(t);
    format!("{} {}", date_part(&p), time_part(&p))
}

/// `ToString` of a Date object (`String(date)`, `` `${date}` ``).
pub fn to_string(_rt: &Rt, v: &Value) -> Res<Value> {
    let t = match v {
        Value::Object(o) => match &o.borrow().kind {
            Kind::Date(t) => *t,
            _ => f64::NAN,
        },
        _ => f64::NAN,
    };
    Ok(Value::string(time_to_string(t)))
}

/// The `en-US` options of a `toLocale*String` call that this module understands.
#[derive(Default)]
struct LocaleOpts {
    weekday: Option<String>,
    year: Option<String>,
    month: Option<String>,
    day: Option<String>,
    hour: Option<String>,
    minute: Option<String>,
    second: Option<String>,
    hour12: Option<bool>,
    date_style: Option<String>,
    time_style: Option<String>,
}

impl LocaleOpts {
    fn read(rt: &Rt, v: &Value) -> Res<LocaleOpts> {
        let mut o = LocaleOpts::default();
        if !matches!(v, Value::Object(_)) {
            return Ok(o);
        }
        let s = |key: &str| -> Res<Option<String>> {
            match rt.get(v, key)? {
                Value::Undefined => Ok(None),
                x => Ok(Some(ops::to_string(rt, &x)?.to_string())),
            }
        };
        o.weekday = s("weekday")?;
        o.year = s("year")?;
        o.month = s("month")?;
        o.day = s("day")?;
        o.hour = s("hour")?;
        o.minute = s("minute")?;
        o.second = s("second")?;
        o.date_style = s("dateStyle")?;
        o.time_style = s("timeStyle")?;
        o.hour12 = match rt.get(v, "hour12")? {
            Value::Undefined => None,
            x => Some(x.truthy()),
        };
        Ok(o)
    }

    fn has_date(&self) -> bool {
        self.weekday.is_some() || self.year.is_some() || self.month.is_some() || self.day.is_some()
    }

    fn has_time(&self) -> bool {
        self.hour.is_some() || self.minute.is_some() || self.second.is_some()
    }
}

fn num(style: &str, n: u32) -> String {
    if style == "2-digit" {
        format!("{:02}", n % 100)
    } else {
        n.to_string()
    }
}

fn year_text(style: &str, y: i64) -> String {
    if style == "2-digit" {
        format!("{:02}", y.rem_euclid(100))
    } else {
        y.to_string()
    }
}

fn locale_date(p: &Parts, o: &LocaleOpts) -> String {
    if let Some(style) = &o.date_style {
        let long = MONTH_LONG[p.month as usize];
        return match style.as_str() {
            "full" => format!("{}, {long} {}, {}", DAY_LONG[p.weekday], p.day, p.year),
            "long" => format!("{long} {}, {}", p.day, p.year),
            "medium" => format!("{} {}, {}", MONTH_NAMES[p.month as usize], p.day, p.year),
            _ => format!("{}/{}/{:02}", p.month + 1, p.day, p.year.rem_euclid(100)),
        };
    }
    let weekday = o.weekday.as_deref().map(|w| match w {
        "long" => DAY_LONG[p.weekday].to_string(),
        "narrow" => DAY_LONG[p.weekday][..1].to_string(),
        _ => DAY_NAMES[p.weekday].to_string(),
    });
    let year = o.year.as_deref().map(|s| year_text(s, p.year));
    let day = o.day.as_deref().map(|s| num(s, p.day));
    let text_month = match o.month.as_deref() {
        Some("long") => Some(MONTH_LONG[p.month as usize].to_string()),
        Some("short") => Some(MONTH_NAMES[p.month as usize].to_string()),
        Some("narrow") => Some(MONTH_LONG[p.month as usize][..1].to_string()),
        _ => None,
    };
    let body = if let Some(m) = text_month {
        match (day, year) {
            (Some(d), Some(y)) => format!("{m} {d}, {y}"),
            (Some(d), None) => format!("{m} {d}"),
            (None, Some(y)) => format!("{m} {y}"),
            (None, None) => m,
        }
    } else {
        let month = o.month.as_deref().map(|s| num(s, p.month + 1));
        let fields: Vec<String> = [month, day, year].into_iter().flatten().collect();
        fields.join("/")
    };
    match weekday {
        Some(w) if body.is_empty() => w,
        Some(w) => format!("{w}, {body}"),
        None => body,
    }
}

fn locale_time(p: &Parts, o: &LocaleOpts) -> String {
    let h12 = o.hour12.unwrap_or(true);
    let (hour, suffix) = if h12 {
        let h = if p.hour.is_multiple_of(12) {
            12
        } else {
            p.hour % 12
        };
        (h, if p.hour < 12 { " AM" } else { " PM" })
    } else {
        (p.hour, "")
    };
    if let Some(style) = &o.time_style {
        let h = if h12 {
            hour.to_string()
        } else {
            format!("{hour:02}")
        };
        return match style.as_str() {
            "full" => format!(
                "{h}:{:02}:{:02}{suffix} Coordinated Universal Time",
                p.minute, p.second
            ),
            "long" => format!("{h}:{:02}:{:02}{suffix} UTC", p.minute, p.second),
            "medium" => format!("{h}:{:02}:{:02}{suffix}", p.minute, p.second),
            _ => format!("{h}:{:02}{suffix}", p.minute),
        };
    }
    let (hs, ms, ss) = if o.has_time() {
        (o.hour.as_deref(), o.minute.as_deref(), o.second.as_deref())
    } else {
        (Some("numeric"), Some("2-digit"), Some("2-digit"))
    };
    let mut fields = Vec::new();
    if let Some(s) = hs {
        fields.push(if s == "2-digit" || !h12 {
            format!("{hour:02}")
        } else {
            hour.to_string()
        });
    }
    if ms.is_some() {
        fields.push(if hs.is_some() {
            format!("{:02}", p.minute)
        } else {
            num(ms.unwrap_or("numeric"), p.minute)
        });
    }
    if ss.is_some() {
        fields.push(if hs.is_some() || ms.is_some() {
            format!("{:02}", p.second)
        } else {
            num(ss.unwrap_or("numeric"), p.second)
        });
    }
    let mut out = fields.join(":");
    if hs.is_some() {
        out.push_str(suffix);
    }
    out
}

// ---- parsing (V8's DateParser) ----------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum KeywordKind {
    MonthName,
    AmPm,
    TzName,
    TimeSeparator,
    Invalid,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Tok {
    Number {
        value: i64,
        len: usize,
    },
    Symbol(char),
    /// A word; `z` marks the one-letter `Z` (V8's `IsKeywordZ`).
    Keyword {
        kind: KeywordKind,
        value: i64,
        z: bool,
    },
    WhiteSpace,
    Unknown,
    End,
    /// The ES5 parser's verdict that the string is invalid.
    Invalid,
}

impl Tok {
    fn is_number(&self) -> bool {
        matches!(self, Tok::Number { .. })
    }
    fn is_fixed_number(&self, n: usize) -> bool {
        matches!(self, Tok::Number { len, .. } if *len == n)
    }
    fn number(&self) -> i64 {
        match self {
            Tok::Number { value, .. } => *value,
            _ => -1,
        }
    }
    fn is_symbol(&self, c: char) -> bool {
        matches!(self, Tok::Symbol(s) if *s == c)
    }
    fn is_sign(&self) -> bool {
        self.is_symbol('+') || self.is_symbol('-')
    }
    fn is_keyword_z(&self) -> bool {
        matches!(self, Tok::Keyword { z: true, .. })
    }
}

fn keyword(word: &str, len: usize) -> (KeywordKind, i64) {
    const TABLE: [(&str, KeywordKind, i64); 27] = [
        ("jan", KeywordKind::MonthName, 1),
        ("feb", KeywordKind::MonthName, 2),
        ("mar", KeywordKind::MonthName, 3),
        ("apr", KeywordKind::MonthName, 4),
        ("may", KeywordKind::MonthName, 5),
        ("jun", KeywordKind::MonthName, 6),
        ("jul", KeywordKind::MonthName, 7),
        ("aug", KeywordKind::MonthName, 8),
        ("sep", KeywordKind::MonthName, 9),
        ("oct", KeywordKind::MonthName, 10),
        ("nov", KeywordKind::MonthName, 11),
        ("dec", KeywordKind::MonthName, 12),
        ("am", KeywordKind::AmPm, 0),
        ("pm", KeywordKind::AmPm, 12),
        ("ut", KeywordKind::TzName, 0),
        ("utc", KeywordKind::TzName, 0),
        ("z", KeywordKind::TzName, 0),
        ("gmt", KeywordKind::TzName, 0),
        ("cdt", KeywordKind::TzName, -5),
        ("cst", KeywordKind::TzName, -6),
        ("edt", KeywordKind::TzName, -4),
        ("est", KeywordKind::TzName, -5),
        ("mdt", KeywordKind::TzName, -6),
        ("mst", KeywordKind::TzName, -7),
        ("pdt", KeywordKind::TzName, -7),
        ("pst", KeywordKind::TzName, -8),
        ("t", KeywordKind::TimeSeparator, 0),
    ];
    for (k, kind, value) in TABLE {
        if k == word && (len <= 3 || kind == KeywordKind::MonthName) {
            return (kind, value);
        }
    }
    (KeywordKind::Invalid, 0)
}

fn tokenize(s: &str) -> Vec<Tok> {
    let chars: Vec<char> = s.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            let start = i;
            let mut n: i64 = 0;
            let mut significant = 0;
            while i < chars.len() && chars[i] == '0' {
                i += 1;
            }
            while i < chars.len() && chars[i].is_ascii_digit() {
                if significant < 9 {
                    n = n * 10 + i64::from(chars[i] as u8 - b'0');
                }
                significant += 1;
                i += 1;
            }
            toks.push(Tok::Number {
                value: n,
                len: i - start,
            });
        } else if matches!(c, ':' | '-' | '+' | '.' | ')') {
            toks.push(Tok::Symbol(c));
            i += 1;
        } else if c >= 'A' && !crate::eval::value::is_js_whitespace(c) {
            let mut word = String::new();
            let mut len = 0;
            while i < chars.len()
                && chars[i] >= 'A'
                && !crate::eval::value::is_js_whitespace(chars[i])
            {
                if len < 3 {
                    word.push(chars[i].to_ascii_lowercase());
                }
                len += 1;
                i += 1;
            }
            let (kind, value) = keyword(&word, len);
            toks.push(Tok::Keyword {
                kind,
                value,
                z: word == "z",
            });
        } else if crate::eval::value::is_js_whitespace(c) {
            while i < chars.len() && crate::eval::value::is_js_whitespace(chars[i]) {
                i += 1;
            }
            toks.push(Tok::WhiteSpace);
        } else if c == '(' {
            let mut balance = 0;
            loop {
                if chars[i] == ')' {
                    balance -= 1;
                } else if chars[i] == '(' {
                    balance += 1;
                }
                i += 1;
                if balance <= 0 || i >= chars.len() {
                    break;
                }
            }
            toks.push(Tok::Unknown);
        } else {
            toks.push(Tok::Unknown);
            i += 1;
        }
    }
    toks
}

struct Scanner {
    toks: Vec<Tok>,
    pos: usize,
}

impl Scanner {
    fn peek(&self) -> Tok {
        self.toks.get(self.pos).copied().unwrap_or(Tok::End)
    }
    fn next(&mut self) -> Tok {
        let t = self.peek();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        t
    }
    fn skip_symbol(&mut self, c: char) -> bool {
        if self.peek().is_symbol(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
}

const NONE: i64 = i64::MIN;

struct DayComposer {
    comp: Vec<i64>,
    named_month: i64,
    iso: bool,
}

impl DayComposer {
    fn add(&mut self, n: i64) -> bool {
        if self.comp.len() == 3 {
            return false;
        }
        self.comp.push(n);
        true
    }

    fn write(&mut self) -> Option<(i64, i64, i64)> {
        if self.comp.is_empty() {
            return None;
        }
        while self.comp.len() < 3 {
            self.comp.push(1);
        }
        let is_day = |x: i64| (1..=31).contains(&x);
        let c = &self.comp;
        let (mut year, month, day);
        if self.named_month == NONE {
            if self.iso || !is_day(c[0]) {
                year = c[0];
                month = c[1];
                day = c[2];
            } else {
                month = c[0];
                day = c[1];
                year = c[2];
            }
        } else {
            month = self.named_month;
            if !is_day(c[0]) {
                year = c[0];
                day = c[1];
            } else {
                day = c[0];
                year = c[1];
            }
        }
        if !self.iso {
            if (0..=49).contains(&year) {
                year += 2000;
            } else if (50..=99).contains(&year) {
                year += 1900;
            }
        }
        if !(1..=12).contains(&month) || !is_day(day) || year.abs() > (1 << 30) {
            return None;
        }
        Some((year, month - 1, day))
    }
}

struct TimeComposer {
    comp: Vec<i64>,
    hour_offset: i64,
}

impl TimeComposer {
    fn is_empty(&self) -> bool {
        self.comp.is_empty()
    }
    fn is_expecting(&self, n: i64) -> bool {
        match self.comp.len() {
            1 | 2 => (0..=59).contains(&n),
            3 => (0..=999).contains(&n),
            _ => false,
        }
    }
    fn add(&mut self, n: i64) -> bool {
        if self.comp.len() < 4 {
            self.comp.push(n);
            true
        } else {
            false
        }
    }
    fn add_final(&mut self, n: i64) -> bool {
        if !self.add(n) {
            return false;
        }
        while self.comp.len() < 4 {
            self.comp.push(0);
        }
        true
    }
    fn write(&mut self) -> Option<[i64; 4]> {
        while self.comp.len() < 4 {
            self.comp.push(0);
        }
        let (mut hour, minute, second, ms) =
            (self.comp[0], self.comp[1], self.comp[2], self.comp[3]);
        if self.hour_offset != NONE {
            if !(0..=12).contains(&hour) {
                return None;
            }
            hour = hour % 12 + self.hour_offset;
        }
        let ok = (0..=23).contains(&hour)
            && (0..=59).contains(&minute)
            && (0..=59).contains(&second)
            && (0..=999).contains(&ms);
        let end_of_day = hour == 24 && minute == 0 && second == 0 && ms == 0;
        if !ok && !end_of_day {
            return None;
        }
        Some([hour, minute, second, ms])
    }
}

struct TzComposer {
    sign: i64,
    hour: i64,
    minute: i64,
}

impl TzComposer {
    fn set(&mut self, offset_hours: i64) {
        self.sign = if offset_hours < 0 { -1 } else { 1 };
        self.hour = offset_hours.abs();
        self.minute = 0;
    }
    fn is_expecting(&self, n: i64) -> bool {
        self.hour != NONE && self.minute == NONE && (0..=59).contains(&n)
    }
    fn is_utc(&self) -> bool {
        self.hour == 0 && self.minute == 0
    }
    fn is_empty(&self) -> bool {
        self.sign == NONE
    }
    /// The offset in seconds, `None` for local time.
    fn write(&self) -> Option<i64> {
        if self.sign == NONE {
            return None;
        }
        let h = if self.hour == NONE { 0 } else { self.hour };
        let m = if self.minute == NONE { 0 } else { self.minute };
        Some(self.sign * (h * 3600 + m * 60))
    }
}

fn read_milliseconds(t: Tok) -> i64 {
    let (mut n, mut len) = match t {
        Tok::Number { value, len } => (value, len),
        _ => return -1,
    };
    if len == 1 {
        n *= 100;
    } else if len == 2 {
        n *= 10;
    } else if len > 3 {
        len = len.min(9);
        let mut factor = 1;
        while len > 3 {
            factor *= 10;
            len -= 1;
        }
        n /= factor;
    }
    n
}

/// V8's `ParseES5DateTime`: the next token for the legacy parser, `End` on success, or
/// `Invalid`.
fn parse_es5(
    sc: &mut Scanner,
    day: &mut DayComposer,
    time: &mut TimeComposer,
    tz: &mut TzComposer,
) -> Tok {
    if sc.peek().is_sign() {
        let sign_tok = sc.next();
        if !sc.peek().is_fixed_number(6) {
            return sign_tok;
        }
        let sign = if sign_tok.is_symbol('-') { -1 } else { 1 };
        let year = sc.next().number();
        if sign < 0 && year == 0 {
            return sign_tok;
        }
        day.add(sign * year);
    } else if sc.peek().is_fixed_number(4) {
        let y = sc.next().number();
        day.add(y);
    } else {
        return sc.next();
    }
    if sc.skip_symbol('-') {
        if !sc.peek().is_fixed_number(2) || !(1..=12).contains(&sc.peek().number()) {
            return sc.next();
        }
        let m = sc.next().number();
        day.add(m);
        if sc.skip_symbol('-') {
            if !sc.peek().is_fixed_number(2) || !(1..=31).contains(&sc.peek().number()) {
                return sc.next();
            }
            let d = sc.next().number();
            day.add(d);
        }
    }
    if !matches!(
        sc.peek(),
        Tok::Keyword {
            kind: KeywordKind::TimeSeparator,
            ..
        }
    ) {
        if sc.peek() != Tok::End {
            return sc.next();
        }
    } else {
        sc.next();
        if !sc.peek().is_fixed_number(2) || !(0..=24).contains(&sc.peek().number()) {
            return Tok::Invalid;
        }
        let hour_is_24 = sc.peek().number() == 24;
        let h = sc.next().number();
        time.add(h);
        if !sc.skip_symbol(':') {
            return Tok::Invalid;
        }
        if !sc.peek().is_fixed_number(2)
            || !(0..=59).contains(&sc.peek().number())
            || (hour_is_24 && sc.peek().number() > 0)
        {
            return Tok::Invalid;
        }
        let m = sc.next().number();
        time.add(m);
        if sc.skip_symbol(':') {
            if !sc.peek().is_fixed_number(2)
                || !(0..=59).contains(&sc.peek().number())
                || (hour_is_24 && sc.peek().number() > 0)
            {
                return Tok::Invalid;
            }
            let s = sc.next().number();
            time.add(s);
            if sc.skip_symbol('.') {
                if !sc.peek().is_number() || (hour_is_24 && sc.peek().number() > 0) {
                    return Tok::Invalid;
                }
                let ms = read_milliseconds(sc.next());
                time.add(ms);
            }
        }
        if sc.peek().is_keyword_z() {
            sc.next();
            tz.set(0);
        } else if sc.peek().is_sign() {
            tz.sign = if sc.next().is_symbol('+') { 1 } else { -1 };
            if sc.peek().is_fixed_number(4) {
                let hm = sc.next().number();
                let (h, m) = (hm / 100, hm % 100);
                if !(0..=23).contains(&h) || !(0..=59).contains(&m) {
                    return Tok::Invalid;
                }
                tz.hour = h;
                tz.minute = m;
            } else {
                if !sc.peek().is_fixed_number(2) || !(0..=23).contains(&sc.peek().number()) {
                    return Tok::Invalid;
                }
                tz.hour = sc.next().number();
                if !sc.skip_symbol(':') {
                    return Tok::Invalid;
                }
                if !sc.peek().is_fixed_number(2) || !(0..=59).contains(&sc.peek().number()) {
                    return Tok::Invalid;
                }
                tz.minute = sc.next().number();
            }
        }
        if sc.peek() != Tok::End {
            return Tok::Invalid;
        }
    }
    if tz.is_empty() && time.is_empty() {
        tz.set(0);
    }
    day.iso = true;
    Tok::End
}

/// `Date.parse(s)`: the time value, NaN when V8 would not accept the string.
pub fn parse_date(s: &str) -> f64 {
    let mut sc = Scanner {
        toks: tokenize(s),
        pos: 0,
    };
    let mut day = DayComposer {
        comp: Vec::new(),
        named_month: NONE,
        iso: false,
    };
    let mut time = TimeComposer {
        comp: Vec::new(),
        hour_offset: NONE,
    };
    let mut tz = TzComposer {
        sign: NONE,
        hour: NONE,
        minute: NONE,
    };
    let mut token = parse_es5(&mut sc, &mut day, &mut time, &mut tz);
    if token == Tok::Invalid {
        return f64::NAN;
    }
    let mut has_read_number = !day.comp.is_empty();
    while token != Tok::End {
        match token {
            Tok::Number { value: n, .. } => {
                has_read_number = true;
                if sc.skip_symbol(':') {
                    if sc.skip_symbol(':') {
                        if !time.is_empty() {
                            return f64::NAN;
                        }
                        time.add(n);
                        time.add(0);
                    } else {
                        if !time.add(n) {
                            return f64::NAN;
                        }
                        if sc.peek().is_symbol('.') {
                            sc.next();
                        }
                    }
                } else if sc.skip_symbol('.') && time.is_expecting(n) {
                    time.add(n);
                    if !sc.peek().is_number() {
                        return f64::NAN;
                    }
                    let ms = read_milliseconds(sc.next());
                    if ms < 0 {
                        return f64::NAN;
                    }
                    time.add_final(ms);
                } else if tz.is_expecting(n) {
                    tz.minute = n;
                } else if time.is_expecting(n) {
                    time.add_final(n);
                    let p = sc.peek();
                    if p != Tok::End && p != Tok::WhiteSpace && !p.is_keyword_z() && !p.is_sign() {
                        return f64::NAN;
                    }
                } else {
                    if !day.add(n) {
                        return f64::NAN;
                    }
                    sc.skip_symbol('-');
                }
            }
            Tok::Keyword { kind, value, .. } => {
                if kind == KeywordKind::AmPm && !time.is_empty() {
                    time.hour_offset = value;
                } else if kind == KeywordKind::MonthName {
                    day.named_month = value;
                    sc.skip_symbol('-');
                } else if kind == KeywordKind::TzName && has_read_number {
                    tz.set(value);
                } else {
                    if has_read_number {
                        return f64::NAN;
                    }
                    if sc.peek().is_number() {
                        return f64::NAN;
                    }
                }
            }
            t if t.is_sign() && (tz.is_utc() || !time.is_empty()) => {
                tz.sign = if t.is_symbol('+') { 1 } else { -1 };
                let (mut n, mut len) = (0, 0);
                if let Tok::Number { value, len: l } = sc.peek() {
                    sc.next();
                    n = value;
                    len = l;
                }
                has_read_number = true;
                if sc.peek().is_symbol(':') {
                    tz.hour = n;
                    tz.minute = NONE;
                } else if len == 1 || len == 2 {
                    tz.hour = n;
                    tz.minute = 0;
                } else if len == 3 || len == 4 {
                    tz.hour = n / 100;
                    tz.minute = n % 100;
                } else {
                    return f64::NAN;
                }
            }
            t if (t.is_sign() || t.is_symbol(')')) && has_read_number => return f64::NAN,
            _ => {}
        }
        token = sc.next();
    }
    let Some((y, m, d)) = day.write() else {
        return f64::NAN;
    };
    let Some([h, mi, s, ms]) = time.write() else {
        return f64::NAN;
    };
    let offset = tz.write();
    let date = make_date(
        make_day(y as f64, m as f64, d as f64),
        make_time(h as f64, mi as f64, s as f64, ms as f64),
    );
    // Local time is UTC.
    let t = date - offset.unwrap_or(0) as f64 * 1000.0;
    time_clip(t)
}

// ---- the constructor and its statics ----------------------------------------------------------------

fn guard(rt: &Rt) -> Value {
    rt.error("Error", DATE_MSG)
}

/// The time value of the arguments of `new Date(y, m, …)` / `Date.UTC(y, m, …)`.
fn from_components(rt: &Rt, args: &[Value]) -> Res<f64> {
    let mut n = [f64::NAN, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0];
    for (i, slot) in n.iter_mut().enumerate() {
        if let Some(v) = args.get(i) {
            *slot = ops::to_number(rt, v)?;
        }
    }
    let mut year = n[0];
    if !year.is_nan() {
        let yi = to_integer(year);
        if (0.0..=99.0).contains(&yi) {
            year = 1900.0 + yi;
        }
    }
    Ok(make_date(
        make_day(year, n[1], n[2]),
        make_time(n[3], n[4], n[5], n[6]),
    ))
}

fn new_date(t: f64) -> Value {
    Value::Object(Obj::new(Kind::Date(t)))
}

/// The `Date` constructor.
pub fn constructor(_rt: &Rt) -> Value {
    let call: NativeImpl = Rc::new(|rt, _, _| Err(guard(rt)));
    let construct: NativeImpl = Rc::new(|rt, _, args| {
        let t = match args {
            [] => return Err(guard(rt)),
            [v] => {
                let existing = match v {
                    Value::Object(o) => match &o.borrow().kind {
                        Kind::Date(t) => Some(*t),
                        _ => None,
                    },
                    _ => None,
                };
                match existing {
                    Some(t) => t,
                    None => match ops::to_primitive(rt, v, Hint::Default)? {
                        Value::String(s) => parse_date(&s),
                        p => ops::to_number(rt, &p)?,
                    },
                }
            }
            _ => from_components(rt, args)?,
        };
        Ok(new_date(time_clip(t)))
    });
    Value::Object(Obj::new(Kind::Function(Func::Native(Native {
        name: "Date".into(),
        call,
        construct: Some(construct),
        ctor: Some(Ctor::Date),
    }))))
}

/// A static method of `Date`.
pub fn static_property(rt: &Rt, key: &str) -> Option<Value> {
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "now" => |rt, _, _| Err(guard(rt)),
        "parse" => |rt, _, args| {
            let s = ops::to_string(rt, &arg(args, 0))?;
            Ok(Value::Number(parse_date(&s)))
        },
        "UTC" => |rt, _, args| {
            if args.is_empty() {
                return Ok(Value::Number(f64::NAN));
            }
            Ok(Value::Number(time_clip(from_components(rt, args)?)))
        },
        _ => return None,
    };
    rt.cached_method("Date", key, |rt| Some(rt.native_fn(key, f)))
}

// ---- Date.prototype -----------------------------------------------------------------------------------

fn this_time(rt: &Rt, this: &Value) -> Res<(Obj, f64)> {
    if let Value::Object(o) = this {
        if let Kind::Date(t) = &o.borrow().kind {
            return Ok((o.clone(), *t));
        }
    }
    Err(rt.type_error("this is not a Date object."))
}

fn set_time(o: &Obj, t: f64) -> Value {
    let t = time_clip(t);
    if let Kind::Date(slot) = &mut o.borrow_mut().kind {
        *slot = t;
    }
    Value::Number(t)
}

/// Reads the numeric arguments of a setter (all of them, for their side effects).
fn numbers(rt: &Rt, args: &[Value], max: usize) -> Res<Vec<Option<f64>>> {
    let mut out = Vec::with_capacity(max);
    for i in 0..max {
        out.push(match args.get(i) {
            Some(v) => Some(ops::to_number(rt, v)?),
            None => None,
        });
    }
    Ok(out)
}

/// A getter of a calendar field.
fn getter(rt: &Rt, this: &Value, field: fn(&Parts) -> f64) -> Res<Value> {
    let (_, t) = this_time(rt, this)?;
    Ok(Value::Number(if t.is_nan() {
        f64::NAN
    } else {
        field(&parts(t))
    }))
}

#[derive(Clone, Copy)]
enum Setter {
    Ms,
    Seconds,
    Minutes,
    Hours,
    Date,
    Month,
    FullYear,
}

fn setter(rt: &Rt, this: &Value, args: &[Value], which: Setter) -> Res<Value> {
    let (o, t) = this_time(rt, this)?;
    let max = match which {
        Setter::Ms | Setter::Date => 1,
        Setter::Seconds | Setter::Month => 2,
        Setter::Minutes | Setter::FullYear => 3,
        Setter::Hours => 4,
    };
    let a = numbers(rt, args, max)?;
    let first = a.first().copied().flatten().unwrap_or(f64::NAN);
    let t = if t.is_nan() {
        if let Setter::FullYear = which {
            0.0
        } else {
            return Ok(Value::Number(f64::NAN));
        }
    } else {
        t
    };
    let p = parts(t);
    let (year, month, date) = (p.year as f64, f64::from(p.month), f64::from(p.day));
    let (h, mi, s, ms) = (
        f64::from(p.hour),
        f64::from(p.minute),
        f64::from(p.second),
        f64::from(p.ms),
    );
    let or = |i: usize, d: f64| a.get(i).copied().flatten().unwrap_or(d);
    let day = (t / MS_PER_DAY).floor();
    let time_in_day = t - day * MS_PER_DAY;
    let new = match which {
        Setter::Ms => make_date(day, make_time(h, mi, s, first)),
        Setter::Seconds => make_date(day, make_time(h, mi, first, or(1, ms))),
        Setter::Minutes => make_date(day, make_time(h, first, or(1, s), or(2, ms))),
        Setter::Hours => make_date(day, make_time(first, or(1, mi), or(2, s), or(3, ms))),
        Setter::Date => make_date(make_day(year, month, first), time_in_day),
        Setter::Month => make_date(make_day(year, first, or(1, date)), time_in_day),
        Setter::FullYear => make_date(make_day(first, or(1, month), or(2, date)), time_in_day),
    };
    Ok(set_time(&o, new))
}

/// `Date.prototype` methods.
pub fn property(rt: &Rt, receiver: &Value, key: &str) -> Option<Value> {
    let _ = receiver;
    let f: fn(&Rt, &Value, &[Value]) -> Res<Value> = match key {
        "getTime" | "valueOf" => |rt, this, _| Ok(Value::Number(this_time(rt, this)?.1)),
        "setTime" => |rt, this, args| {
            let (o, _) = this_time(rt, this)?;
            let t = ops::to_number(rt, &arg(args, 0))?;
            Ok(set_time(&o, t))
        },
        "toISOString" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            if t.is_nan() {
                return Err(rt.range_error("Invalid time value"));
            }
            Ok(Value::string(iso_string(t)))
        },
        "toJSON" => |rt, this, _| {
            let tv = ops::to_primitive(rt, this, Hint::Number)?;
            if let Value::Number(n) = tv {
                if !n.is_finite() {
                    return Ok(Value::Null);
                }
            }
            let f = rt.get(this, "toISOString")?;
            rt.call(&f, this, &[])
        },
        "toString" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            Ok(Value::string(time_to_string(t)))
        },
        "toDateString" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            Ok(Value::string(if t.is_nan() {
                "Invalid Date".into()
            } else {
                date_part(&parts(t))
            }))
        },
        "toTimeString" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            Ok(Value::string(if t.is_nan() {
                "Invalid Date".into()
            } else {
                time_part(&parts(t))
            }))
        },
        "toUTCString" | "toGMTString" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            Ok(Value::string(if t.is_nan() {
                "Invalid Date".into()
            } else {
                utc_string(&parts(t))
            }))
        },
        "toLocaleDateString" => |rt, this, args| {
            let (_, t) = this_time(rt, this)?;
            let mut o = LocaleOpts::read(rt, &arg(args, 1))?;
            if t.is_nan() {
                return Ok(Value::str("Invalid Date"));
            }
            if !o.has_date() && o.date_style.is_none() {
                o.year = Some("numeric".into());
                o.month = Some("numeric".into());
                o.day = Some("numeric".into());
            }
            o.time_style = None;
            Ok(Value::string(locale_date(&parts(t), &o)))
        },
        "toLocaleTimeString" => |rt, this, args| {
            let (_, t) = this_time(rt, this)?;
            let o = LocaleOpts::read(rt, &arg(args, 1))?;
            if t.is_nan() {
                return Ok(Value::str("Invalid Date"));
            }
            let p = parts(t);
            if o.has_date() && !o.has_time() {
                // Date fields requested from the time method: ICU shows both.
                let mut time = LocaleOpts::read(rt, &Value::Undefined)?;
                time.hour12 = o.hour12;
                return Ok(Value::string(format!(
                    "{}, {}",
                    locale_date(&p, &o),
                    locale_time(&p, &time)
                )));
            }
            Ok(Value::string(locale_time(&p, &o)))
        },
        "toLocaleString" => |rt, this, args| {
            let (_, t) = this_time(rt, this)?;
            let mut o = LocaleOpts::read(rt, &arg(args, 1))?;
            if t.is_nan() {
                return Ok(Value::str("Invalid Date"));
            }
            let p = parts(t);
            if o.date_style.is_some() || o.time_style.is_some() {
                let joiner = match o.date_style.as_deref() {
                    Some("full" | "long") => " at ",
                    _ => ", ",
                };
                return Ok(Value::string(match (&o.date_style, &o.time_style) {
                    (Some(_), Some(_)) => {
                        format!("{}{joiner}{}", locale_date(&p, &o), locale_time(&p, &o))
                    }
                    (Some(_), None) => locale_date(&p, &o),
                    _ => locale_time(&p, &o),
                }));
            }
            let (has_date, has_time) = (o.has_date(), o.has_time());
            if !has_date && !has_time {
                o.year = Some("numeric".into());
                o.month = Some("numeric".into());
                o.day = Some("numeric".into());
                o.hour = Some("numeric".into());
                o.minute = Some("2-digit".into());
                o.second = Some("2-digit".into());
            }
            let date = if o.has_date() {
                locale_date(&p, &o)
            } else {
                String::new()
            };
            let time = if o.has_time() {
                locale_time(&p, &o)
            } else {
                String::new()
            };
            Ok(Value::string(match (date.is_empty(), time.is_empty()) {
                (false, false) => format!("{date}, {time}"),
                (false, true) => date,
                _ => time,
            }))
        },
        "getTimezoneOffset" => |rt, this, _| {
            let (_, t) = this_time(rt, this)?;
            Ok(Value::Number(if t.is_nan() { f64::NAN } else { 0.0 }))
        },
        "getFullYear" | "getUTCFullYear" => |rt, this, _| getter(rt, this, |p| p.year as f64),
        "getYear" => |rt, this, _| getter(rt, this, |p| p.year as f64 - 1900.0),
        "getMonth" | "getUTCMonth" => |rt, this, _| getter(rt, this, |p| f64::from(p.month)),
        "getDate" | "getUTCDate" => |rt, this, _| getter(rt, this, |p| f64::from(p.day)),
        "getDay" | "getUTCDay" => |rt, this, _| getter(rt, this, |p| p.weekday as f64),
        "getHours" | "getUTCHours" => |rt, this, _| getter(rt, this, |p| f64::from(p.hour)),
        "getMinutes" | "getUTCMinutes" => |rt, this, _| getter(rt, this, |p| f64::from(p.minute)),
        "getSeconds" | "getUTCSeconds" => |rt, this, _| getter(rt, this, |p| f64::from(p.second)),
        "getMilliseconds" | "getUTCMilliseconds" => {
            |rt, this, _| getter(rt, this, |p| f64::from(p.ms))
        }
        "setMilliseconds" | "setUTCMilliseconds" => {
            |rt, this, args| setter(rt, this, args, Setter::Ms)
        }
        "setSeconds" | "setUTCSeconds" => |rt, this, args| setter(rt, this, args, Setter::Seconds),
        "setMinutes" | "setUTCMinutes" => |rt, this, args| setter(rt, this, args, Setter::Minutes),
        "setHours" | "setUTCHours" => |rt, this, args| setter(rt, this, args, Setter::Hours),
        "setDate" | "setUTCDate" => |rt, this, args| setter(rt, this, args, Setter::Date),
        "setMonth" | "setUTCMonth" => |rt, this, args| setter(rt, this, args, Setter::Month),
        "setFullYear" | "setUTCFullYear" => {
            |rt, this, args| setter(rt, this, args, Setter::FullYear)
        }
        _ => return None,
    };
    rt.cached_method("Date.prototype", key, |rt| Some(rt.native_fn(key, f)))
}
