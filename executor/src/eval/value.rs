//! JavaScript values as the evaluator represents them.
//!
//! Objects are shared, mutable and compared by identity, so they live behind `Rc<RefCell<…>>`.
//! Cycles leak; a run is short and its heap dies with it.
//!
//! Strings are Rust `str` (UTF-8). JavaScript measures and indexes strings in UTF-16 code units;
//! the string built-ins convert where that matters (`length`, `slice`, `charCodeAt`, …). A lone
//! surrogate cannot be represented and becomes U+FFFD, a documented difference that real scripts
//! do not meet.

use std::cell::{Ref, RefCell, RefMut};
use std::fmt;
use std::rc::Rc;

use indexmap::IndexMap;

pub use wfc_ir::js_number::{is_js_whitespace, string_to_number, to_int32, to_uint32};

use super::env::Env;
use super::promise::PromiseData;
use super::Rt;

/// A JavaScript string.
pub type JsStr = Rc<str>;

/// What a throwing operation produces: the thrown JavaScript value.
pub type Res<T> = Result<T, Value>;

#[derive(Clone, Default)]
pub enum Value {
    #[default]
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(JsStr),
    Object(Obj),
}

impl Value {
    pub fn str(s: &str) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn string(s: String) -> Value {
        Value::String(Rc::from(s))
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Value::Undefined | Value::Null)
    }

    pub fn as_object(&self) -> Option<&Obj> {
        match self {
            Value::Object(o) => Some(o),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_callable(&self) -> bool {
        matches!(self, Value::Object(o) if o.is_callable())
    }

    /// `ToBoolean`.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null => false,
            Value::Bool(b) => *b,
            Value::Number(n) => !(*n == 0.0 || n.is_nan()),
            Value::String(s) => !s.is_empty(),
            Value::Object(_) => true,
        }
    }

    /// `typeof`.
    pub fn type_of(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "object",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Object(o) if o.is_callable() => "function",
            Value::Object(_) => "object",
        }
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Undefined => write!(f, "undefined"),
            Value::Null => write!(f, "null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(n) => write!(f, "{}", wfc_ir::number_to_js_string(*n)),
            Value::String(s) => write!(f, "{s:?}"),
            Value::Object(o) => write!(f, "[object #{}]", o.id()),
        }
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<f64> for Value {
    fn from(n: f64) -> Value {
        Value::Number(n)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::str(s)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}

impl From<Obj> for Value {
    fn from(o: Obj) -> Value {
        Value::Object(o)
    }
}

/// A reference to an object.
#[derive(Clone)]
pub struct Obj(Rc<RefCell<ObjData>>);

impl Obj {
    pub fn new(kind: Kind) -> Obj {
        Obj(Rc::new(RefCell::new(ObjData {
            kind,
            props: IndexMap::new(),
            null_proto: false,
            frozen: false,
        })))
    }

    pub fn with_props(kind: Kind, props: IndexMap<JsStr, Value>) -> Obj {
        Obj(Rc::new(RefCell::new(ObjData {
            kind,
            props,
            null_proto: false,
            frozen: false,
        })))
    }

    pub fn borrow(&self) -> Ref<'_, ObjData> {
        self.0.borrow()
    }

    pub fn borrow_mut(&self) -> RefMut<'_, ObjData> {
        self.0.borrow_mut()
    }

    pub fn ptr_eq(&self, other: &Obj) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// A number that identifies the object while it lives (for hashing in `Map`/`Set`).
    pub fn id(&self) -> usize {
        Rc::as_ptr(&self.0) as *const () as usize
    }

    pub fn is_callable(&self) -> bool {
        matches!(self.borrow().kind, Kind::Function(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self.borrow().kind, Kind::Array(_))
    }

    pub fn is_promise(&self) -> bool {
        matches!(self.borrow().kind, Kind::Promise(_))
    }

    /// An own data property (not array elements, not built-in methods).
    pub fn get_own(&self, key: &str) -> Option<Value> {
        self.borrow().props.get(key).cloned()
    }

    /// Sets an own property, ignoring the write on frozen objects (sloppy mode).
    pub fn set_own(&self, key: JsStr, value: Value) {
        let mut data = self.borrow_mut();
        if !data.frozen {
            data.props.insert(key, value);
        }
    }

    /// A clone of the elements of an array (empty for other objects).
    pub fn array_elements(&self) -> Vec<Value> {
        match &self.borrow().kind {
            Kind::Array(v) => v.clone(),
            _ => Vec::new(),
        }
    }
}

pub struct ObjData {
    pub kind: Kind,
    /// Own properties other than array elements and `length`, in insertion order. Enumeration
    /// puts integer-like keys first (see [`ordered_keys`]).
    pub props: IndexMap<JsStr, Value>,
    /// Created without `Object.prototype` (host errors, `Object.create(null)`): no inherited
    /// methods, and `instanceof Object` is false.
    pub null_proto: bool,
    /// `Object.freeze`d: writes are ignored.
    pub frozen: bool,
}

pub enum Kind {
    /// An ordinary object.
    Object,
    Array(Vec<Value>),
    Function(Func),
    Promise(PromiseData),
    Map(JsMap),
    Set(JsSet),
    /// A `Date`: its time value in milliseconds since the epoch (NaN for an invalid date).
    Date(f64),
    RegExp(Box<RegExpData>),
    /// An `Error` (or subclass) instance. Its `name`, `message` and `stack` are not enumerable,
    /// so they live here rather than in `props` (where an assignment shadows them).
    Error(ErrorData),
    /// A `Boolean`, `Number` or `String` wrapper object (`new String("x")`): rare but legal.
    Primitive(Value),
}

pub struct ErrorData {
    pub name: JsStr,
    pub message: JsStr,
    pub stack: JsStr,
}

pub struct RegExpData {
    pub source: String,
    pub flags: String,
    pub regex: regress::Regex,
    /// `lastIndex`, in UTF-16 units (for `g` and `y` regexes).
    pub last_index: usize,
}

/// A function value.
pub enum Func {
    /// A function written in the script, with the environment it closes over.
    Closure(Closure),
    /// A built-in function (a method of a built-in, a constructor, a resolve function).
    Native(Native),
}

pub struct Closure {
    pub function: &'static wfc_ir::Function,
    pub env: Env,
    /// The script (top level or child workflow) the function belongs to.
    pub script: Rc<super::Script>,
}

/// The signature of a built-in: `(runtime, this, arguments)`.
pub type NativeImpl = Rc<dyn Fn(&Rt, &Value, &[Value]) -> Res<Value>>;

#[derive(Clone)]
pub struct Native {
    pub name: JsStr,
    pub call: NativeImpl,
    /// What `new F(...)` does, when `F` is a constructor.
    pub construct: Option<NativeImpl>,
    /// For constructors: which instances `instanceof` recognises.
    pub ctor: Option<Ctor>,
}

/// The built-in constructors `instanceof` knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ctor {
    Object,
    Array,
    Function,
    Promise,
    Map,
    Set,
    Date,
    RegExp,
    String,
    Number,
    Boolean,
    /// `Error` itself (any error) or a subclass (`TypeError`, …) by name.
    Error(&'static str),
    Other,
}

/// A `Map`: entries in insertion order, keyed by [`MapKey`] (SameValueZero).
#[derive(Default)]
pub struct JsMap {
    pub entries: IndexMap<MapKey, (Value, Value)>,
}

/// A `Set`: values in insertion order, keyed by [`MapKey`] (SameValueZero).
#[derive(Default)]
pub struct JsSet {
    pub entries: IndexMap<MapKey, Value>,
}

/// A hashable key with SameValueZero equality: `NaN` equals `NaN`, `+0` equals `-0`, objects by
/// identity.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MapKey {
    Undefined,
    Null,
    Bool(bool),
    /// The bits of the number, with `-0` folded into `+0` and every NaN into one NaN.
    Number(u64),
    String(JsStr),
    Object(usize),
}

impl MapKey {
    pub fn of(v: &Value) -> MapKey {
        match v {
            Value::Undefined => MapKey::Undefined,
            Value::Null => MapKey::Null,
            Value::Bool(b) => MapKey::Bool(*b),
            Value::Number(n) => {
                let n = if *n == 0.0 {
                    0.0
                } else if n.is_nan() {
                    f64::NAN
                } else {
                    *n
                };
                MapKey::Number(n.to_bits())
            }
            Value::String(s) => MapKey::String(s.clone()),
            // The id is only meaningful while the object lives; the map holds the object in the
            // entry's value, so the id cannot be reused while the entry exists.
            Value::Object(o) => MapKey::Object(o.id()),
        }
    }
}

/// Whether a property key is an array index / integer-like key (`"0"`, `"17"`, not `"01"`).
pub fn array_index(key: &str) -> Option<u32> {
    if key.is_empty() || key.len() > 10 {
        return None;
    }
    if key.len() > 1 && key.starts_with('0') {
        return None;
    }
    if !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = key.parse().ok()?;
    (n < u64::from(u32::MAX)).then_some(n as u32)
}

/// The own enumerable keys of a property map in JavaScript's order: integer-like keys ascending,
/// then the others in insertion order.
pub fn ordered_keys(props: &IndexMap<JsStr, Value>) -> Vec<JsStr> {
    let mut ints: Vec<(u32, JsStr)> = Vec::new();
    let mut others: Vec<JsStr> = Vec::new();
    for k in props.keys() {
        match array_index(k) {
            Some(i) => ints.push((i, k.clone())),
            None => others.push(k.clone()),
        }
    }
    if ints.is_empty() {
        return others;
    }
    ints.sort_by_key(|(i, _)| *i);
    ints.into_iter().map(|(_, k)| k).chain(others).collect()
}

// ---- conversions that need no runtime ------------------------------------------------------------

/// `ToNumber` of a primitive (objects go through [`super::ops::to_number`]).
pub fn primitive_to_number(v: &Value) -> f64 {
    match v {
        Value::Undefined => f64::NAN,
        Value::Null => 0.0,
        Value::Bool(b) => f64::from(u8::from(*b)),
        Value::Number(n) => *n,
        Value::String(s) => string_to_number(s),
        Value::Object(_) => f64::NAN,
    }
}

/// `ToString` of a number. The digits are the shortest that round-trip, and of two equally
/// close candidates the even one, as ECMAScript requires (Rust's formatter alone can pick the
/// other one in that rare tie).
pub fn number_to_string(n: f64) -> String {
    if !n.is_finite() || n == 0.0 {
        return wfc_ir::number_to_js_string(n);
    }
    let (digits, point) = super::builtins::number::shortest_digits(n.abs());
    let Ok(digits) = std::str::from_utf8(&digits) else {
        return wfc_ir::number_to_js_string(n);
    };
    let text = wfc_ir::layout_js_number(digits, point);
    if n < 0.0 {
        format!("-{text}")
    } else {
        text
    }
}

/// `ToIntegerOrInfinity`.
pub fn to_integer(n: f64) -> f64 {
    if n.is_nan() {
        0.0
    } else {
        n.trunc()
    }
}

/// `===`.
pub fn strict_equals(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Object(x), Value::Object(y)) => x.ptr_eq(y),
        _ => false,
    }
}

/// SameValueZero (`includes`, `Map`, `Set`).
pub fn same_value_zero(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || (x.is_nan() && y.is_nan()),
        _ => strict_equals(a, b),
    }
}

/// The number of UTF-16 code units of a string (JavaScript's `length`).
pub fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().map(char::len_utf16).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_to_number_follows_javascript() {
        assert_eq!(string_to_number(" 42 "), 42.0);
        assert_eq!(string_to_number(""), 0.0);
        assert_eq!(string_to_number("0x1f"), 31.0);
        assert_eq!(string_to_number("1e3"), 1000.0);
        assert_eq!(string_to_number("-Infinity"), f64::NEG_INFINITY);
        assert!(string_to_number("inf").is_nan());
        assert!(string_to_number("12px").is_nan());
        assert!(string_to_number("nan").is_nan());
        assert_eq!(string_to_number(".5"), 0.5);
    }

    #[test]
    fn integer_keys_enumerate_first() {
        let mut m = IndexMap::new();
        for k in ["b", "2", "a", "1", "01"] {
            m.insert(JsStr::from(k), Value::Null);
        }
        let keys: Vec<String> = ordered_keys(&m).iter().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["1", "2", "b", "a", "01"]);
    }

    #[test]
    fn number_strings_break_ties_to_even() {
        // Halfway between …118.2 and …118.3: JavaScript prints the even digit.
        assert_eq!(
            number_to_string("916816042223118.25".parse().expect("a number")),
            "916816042223118.2"
        );
        assert_eq!(number_to_string(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(number_to_string(-1.5e-7), "-1.5e-7");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(number_to_string(123.0), "123");
    }

    #[test]
    fn uint32_wraps() {
        assert_eq!(to_uint32(-1.0), u32::MAX);
        assert_eq!(to_int32(4_294_967_297.0), 1);
        assert_eq!(to_int32(f64::NAN), 0);
    }
}
