//! Abstract values: what the analysis knows about a JavaScript value without running the script.

use super::fields::Fields;
use std::rc::Rc;

use wfc_ir::{Name, Primitive, Span};

use super::sym::{Count, Sym};

/// A function value: the scope of the function expression that created it.
pub type FuncId = wfc_ir::ScopeId;

/// Where an array, set, map or object was created: mutations are recorded against it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Alloc {
    pub span: Span,
    /// A path inside the created value (`.files[]`), empty for the value itself.
    pub path: Rc<str>,
}

/// Hashes the span alone: equal allocations have equal spans, and the few that share one (the
/// levels of a schema, an object's keys) are told apart by comparing paths.
impl std::hash::Hash for Alloc {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.span.hash(state);
    }
}

impl Alloc {
    /// The value created at `span` itself (not a path inside it).
    pub fn at(span: Span) -> Alloc {
        thread_local! {
            // Every value created by the script has this path: one shared empty string.
            static EMPTY: Rc<str> = Rc::from("");
        }
        Alloc {
            span,
            path: EMPTY.with(Rc::clone),
        }
    }

    /// The keys that writes with computed keys add to the object created here.
    pub fn keys(&self) -> Alloc {
        Alloc {
            span: self.span,
            path: Rc::from(format!("{}{KEYS_PATH}", self.path)),
        }
    }

    /// The increments of the counter whose name is declared at `span`: counters record
    /// them as growth, like arrays their pushes.
    pub fn counter(span: Span) -> Alloc {
        Alloc {
            span,
            path: Rc::from(COUNTER_PATH),
        }
    }

    pub fn is_counter(&self) -> bool {
        &*self.path == COUNTER_PATH
    }
}

/// No path inside a value starts with `#`.
const COUNTER_PATH: &str = "#increments";
const KEYS_PATH: &str = "#keys";

/// The closures a function value may be: most often one, held inline.
#[derive(Debug, Clone, PartialEq)]
pub enum Funcs {
    One(FuncId),
    Many(Rc<[FuncId]>),
}

impl Funcs {
    /// Both sides' closures, `self`'s first.
    fn union(&self, other: &Funcs) -> Funcs {
        if other.iter().all(|id| self.contains(id)) {
            return self.clone();
        }
        let added = other.iter().filter(|id| !self.contains(id));
        Funcs::Many(self.iter().chain(added).copied().collect())
    }
}

impl std::ops::Deref for Funcs {
    type Target = [FuncId];

    fn deref(&self) -> &[FuncId] {
        match self {
            Funcs::One(id) => std::slice::from_ref(id),
            Funcs::Many(ids) => ids,
        }
    }
}

/// The allocations a value may come from. Most values come from none, and then hold no
/// allocation of their own; a list is shared, as joins mostly return one side's unchanged, and
/// grows in place when it is not shared (a list that joins hundreds of sites must not be copied
/// at every join).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Allocs(Option<Rc<Vec<Alloc>>>);

impl Allocs {
    pub fn one(alloc: Alloc) -> Allocs {
        Allocs(Some(Rc::new(vec![alloc])))
    }

    /// Adds `alloc` after the others (copying the list first if it is shared).
    pub fn push(&mut self, alloc: Alloc) {
        match &mut self.0 {
            Some(list) => Rc::make_mut(list).push(alloc),
            None => *self = Allocs::one(alloc),
        }
    }
}

impl std::ops::Deref for Allocs {
    type Target = [Alloc];

    fn deref(&self) -> &[Alloc] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl FromIterator<Alloc> for Allocs {
    fn from_iter<I: IntoIterator<Item = Alloc>>(iter: I) -> Allocs {
        let list: Vec<Alloc> = iter.into_iter().collect();
        Allocs((!list.is_empty()).then(|| Rc::new(list)))
    }
}

fn union(a: &Allocs, b: &Allocs) -> Allocs {
    let mut out = a.clone();
    union_into(&mut out, b);
    out
}

/// Adds `b`'s allocations missing from `mine`, after `mine`'s, in `b`'s order. `mine` is copied
/// only when something is added and something else shares it.
fn union_into(mine: &mut Allocs, b: &Allocs) {
    match (&mine.0, &b.0) {
        (_, None) => return,
        (Some(x), Some(y)) if Rc::ptr_eq(x, y) => return,
        (None, Some(_)) => {
            *mine = b.clone();
            return;
        }
        (Some(_), Some(_)) => {}
    }
    for x in b.iter() {
        if !mine.contains(x) {
            mine.push(x.clone());
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    /// Nothing is known.
    Top,
    /// No value at all: the expression throws (`JSON.parse` of an object). A join is the other
    /// side, unchanged, where a join with `undefined` keeps none of its guarantees.
    Never,
    Undefined,
    Null,
    /// A boolean, known when it is a constant.
    Bool(Option<bool>),
    Num(Num),
    /// A string, known when it is a constant.
    Str(Option<Name>),
    /// Shared: reading a binding clones the value, and arrays can be large.
    Arr(Rc<Arr>),
    Obj(Rc<Obj>),
    /// One of these closures.
    Func(Funcs),
    /// (Part of) the workflow's `args`, as the path from `args` (`args.files`, `args.files[]`).
    Input(Name),
    Promise(Box<Val>),
    /// Shared, like arrays and objects.
    Set(Rc<Coll>),
    Map(Rc<Coll>),
    Budget,
    /// A built-in namespace or constructor (`JSON`, `Math`, `Array`, `Promise`, …).
    Global(Name),
    Primitive(Primitive),
}

/// A number: exact when known, otherwise an upper bound when one is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Num {
    exact: MaybeF64,
    pub hi: Option<Sym>,
    /// A known lower bound (lengths and counts are at least 0).
    lo: MaybeF64,
}

impl Num {
    pub fn new(exact: Option<f64>, hi: Option<Sym>, lo: Option<f64>) -> Num {
        Num {
            exact: MaybeF64::from(exact),
            hi,
            lo: MaybeF64::from(lo),
        }
    }

    pub fn exact(&self) -> Option<f64> {
        self.exact.get()
    }

    pub fn lo(&self) -> Option<f64> {
        self.lo.get()
    }
}

/// An `Option<f64>` in the 8 bytes of an `f64`, so that a number is a small value (every value is
/// as large as its largest kind): `None` is one NaN no arithmetic produces, and a `Some` of that
/// exact NaN is stored as the ordinary NaN (all NaNs behave alike in JavaScript).
#[derive(Clone, Copy)]
struct MaybeF64(u64);

impl MaybeF64 {
    /// A signalling NaN with a payload of its own: arithmetic only ever yields quiet NaNs, and
    /// those keep the payload of a NaN operand, which this never is (it is never read as a
    /// number).
    const NONE: u64 = 0x7ff4_0000_dead_beef;

    fn get(self) -> Option<f64> {
        (self.0 != Self::NONE).then(|| f64::from_bits(self.0))
    }
}

impl From<Option<f64>> for MaybeF64 {
    fn from(v: Option<f64>) -> MaybeF64 {
        match v {
            None => MaybeF64(Self::NONE),
            Some(x) if x.to_bits() == Self::NONE => MaybeF64(f64::NAN.to_bits()),
            Some(x) => MaybeF64(x.to_bits()),
        }
    }
}

/// Compares as the `Option<f64>` it stands for (`Some(NaN)` equals nothing).
impl PartialEq for MaybeF64 {
    fn eq(&self, other: &MaybeF64) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for MaybeF64 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Arr {
    pub len: Count,
    /// Every element is (at most) this.
    pub elem: Box<Val>,
    /// The elements one by one, when the array is known exactly (a literal).
    pub items: Option<Vec<Val>>,
    pub allocs: Allocs,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Obj {
    pub fields: Fields,
    /// It may have fields besides `fields` (read as `Top`).
    pub open: bool,
    pub allocs: Allocs,
    /// It may be (part of) the input at this path: fields not listed read as that input's.
    pub input: Option<Name>,
    /// Some listed field may be absent: it joins objects with different keys. A missing field
    /// reads as `undefined`, which adds nothing to a bound, so values need not care; a JSON
    /// Schema does, as a missing `maxItems` means no limit.
    pub partial: bool,
    /// For an open object whose unknown keys all come from writes with computed keys
    /// (`byFile[f.file] ||= []`): at most this many keys in all. Each such write, times how
    /// often it runs, adds at most one key.
    pub key_bound: Option<Sym>,
    /// It may be `null` or `undefined` instead (it was joined with one): none of its keys is
    /// guaranteed to exist, and its fields read with no guarantee, though if it exists its
    /// listed fields do (unlike [`Obj::partial`]).
    pub nullable: bool,
}

/// A `Set` or `Map`: its size and its (values') element.
#[derive(Debug, Clone, PartialEq)]
pub struct Coll {
    pub size: Count,
    pub elem: Box<Val>,
    pub allocs: Allocs,
}

impl Val {
    pub fn num(v: f64) -> Val {
        // An infinity bounds nothing (and is no count of 2^64 agents): `1 / 0`, `Number('1e400')`.
        if v.is_infinite() {
            return Val::Num(Num::new(None, (v < 0.0).then(Sym::zero), None));
        }
        // `NaN` compares false with everything: no loop runs up to it, and it is no lower bound.
        Val::Num(Num::new(
            Some(v),
            Some(Sym::num(v)),
            (!v.is_nan()).then_some(v),
        ))
    }

    /// A map's `[key, value]` entry, for a map whose values are (at most) `value`.
    pub fn map_entry(value: &Val) -> Val {
        Val::Arr(Rc::new(Arr {
            len: Count::exact(2),
            elem: Box::new(Val::Top),
            items: Some(vec![Val::Top, value.clone()]),
            allocs: Allocs::default(),
        }))
    }

    pub fn num_at_most(hi: Sym) -> Val {
        Val::Num(Num::new(None, Some(hi), None))
    }

    pub fn any_num() -> Val {
        Val::Num(Num::new(None, None, None))
    }

    pub fn str(s: impl Into<Name>) -> Val {
        Val::Str(Some(s.into()))
    }

    pub fn array(items: Vec<Val>) -> Val {
        let elem = items
            .iter()
            .cloned()
            .reduce(|a, b| a.join(&b))
            .unwrap_or(Val::Undefined);
        Val::Arr(Rc::new(Arr {
            len: Count::exact(items.len() as u64),
            elem: Box::new(elem),
            items: Some(items),
            allocs: Allocs::default(),
        }))
    }

    pub fn array_of(len: Count, elem: Val) -> Val {
        Val::Arr(Rc::new(Arr {
            len,
            elem: Box::new(elem),
            items: None,
            allocs: Allocs::default(),
        }))
    }

    pub fn object(fields: Fields) -> Val {
        Val::Obj(Rc::new(Obj {
            fields,
            open: false,
            allocs: Allocs::default(),
            input: None,
            partial: false,
            key_bound: None,
            nullable: false,
        }))
    }

    /// The allocations a mutation of this value must be recorded against.
    pub fn allocs(&self) -> &[Alloc] {
        match self {
            Val::Arr(a) => &a.allocs,
            Val::Obj(o) => &o.allocs,
            Val::Set(c) | Val::Map(c) => &c.allocs,
            _ => &[],
        }
    }

    pub fn promise(v: Val) -> Val {
        match v {
            // Promises flatten, as `Promise.resolve(promise)` does.
            Val::Promise(_) => v,
            other => Val::Promise(Box::new(other)),
        }
    }

    /// What `await` gives.
    pub fn awaited(self) -> Val {
        match self {
            Val::Promise(v) => *v,
            other => other,
        }
    }

    pub fn is_nullish(&self) -> bool {
        matches!(self, Val::Null | Val::Undefined)
    }

    /// Whether it may be `null` or `undefined`, for `??` and default values. A join with either
    /// keeps the other side's upper bounds but none of its guarantees ([`Val::or_nullish`]), so
    /// a value that guarantees something (an exact number, string or boolean, a minimum length,
    /// listed elements, an object not joined with one) is certainly there; anything else may
    /// not be.
    pub fn maybe_nullish(&self) -> bool {
        match self {
            Val::Num(n) => n.exact().is_none(),
            Val::Str(s) => s.is_none(),
            Val::Bool(b) => b.is_none(),
            Val::Arr(a) => a.len.lo == 0 && a.items.is_none(),
            // An object joined with the input may be whatever the input is, `null` included.
            Val::Obj(o) => o.nullable || o.input.is_some(),
            Val::Set(c) | Val::Map(c) => c.size.lo == 0,
            Val::Func(_) | Val::Promise(_) | Val::Budget | Val::Global(_) | Val::Primitive(_) => {
                false
            }
            Val::Top | Val::Undefined | Val::Null | Val::Input(_) => true,
            Val::Never => false,
        }
    }

    /// Whether the value is truthy, when that is certain. Only values that guarantee what they
    /// are answer: a join with `null` or `undefined` keeps no exact number, string or boolean, and
    /// marks objects and lists ([`Val::maybe_nullish`]); functions and promises may have been
    /// joined with anything falsy.
    pub fn truthy(&self) -> Option<bool> {
        match self {
            Val::Null | Val::Undefined => Some(false),
            Val::Bool(b) => *b,
            Val::Num(n) => n.exact().map(|v| v != 0.0 && !v.is_nan()),
            Val::Str(s) => s.as_ref().map(|s| !s.is_empty()),
            Val::Arr(_) | Val::Obj(_) | Val::Set(_) | Val::Map(_) if !self.maybe_nullish() => {
                Some(true)
            }
            _ => None,
        }
    }

    /// `typeof` of the value, when that is certain. A value that may be missing may be
    /// `undefined`, so only values that guarantee what they are answer ([`Val::truthy`]).
    pub fn type_of(&self) -> Option<&'static str> {
        Some(match self {
            Val::Undefined => "undefined",
            Val::Null => "object",
            Val::Bool(Some(_)) => "boolean",
            Val::Num(n) if n.exact().is_some() => "number",
            Val::Str(Some(_)) => "string",
            Val::Arr(_) | Val::Obj(_) | Val::Set(_) | Val::Map(_)
                if self.truthy() == Some(true) =>
            {
                "object"
            }
            _ => return None,
        })
    }

    /// A primitive known exactly: `null`, `undefined`, a boolean, a number or a string.
    fn known_primitive(&self) -> bool {
        match self {
            Val::Null | Val::Undefined => true,
            Val::Bool(b) => b.is_some(),
            Val::Num(n) => n.exact().is_some(),
            Val::Str(s) => s.is_some(),
            _ => false,
        }
    }

    /// `self === other` (or `==` when not `strict`), when both are primitives known exactly.
    pub fn known_equal(&self, other: &Val, strict: bool) -> Option<bool> {
        if !self.known_primitive() || !other.known_primitive() {
            return None;
        }
        Some(match (self, other) {
            (Val::Null | Val::Undefined, Val::Null | Val::Undefined) => {
                !strict
                    || matches!(
                        (self, other),
                        (Val::Null, Val::Null) | (Val::Undefined, Val::Undefined)
                    )
            }
            (Val::Bool(a), Val::Bool(b)) => a == b,
            (Val::Num(a), Val::Num(b)) => {
                a.exact() == b.exact() && a.exact().is_some_and(|v| !v.is_nan())
            }
            (Val::Str(a), Val::Str(b)) => a == b,
            // Loose equality converts between numbers, strings and booleans: not decided here.
            _ if !strict && !self.is_nullish() && !other.is_nullish() => return None,
            _ => false,
        })
    }

    /// Whether it is an array, when that is certain (`Array.isArray`).
    pub fn is_array(&self) -> Option<bool> {
        match self {
            Val::Arr(_) if !self.maybe_nullish() => Some(true),
            Val::Null
            | Val::Undefined
            | Val::Bool(_)
            | Val::Num(_)
            | Val::Str(_)
            | Val::Func(_)
            | Val::Promise(_)
            | Val::Set(_)
            | Val::Map(_)
            | Val::Budget => Some(false),
            Val::Obj(o) if o.input.is_none() => Some(false),
            _ => None,
        }
    }

    /// What `self` may be when it is falsy: `x && y` is that or `y`. Objects, arrays and
    /// functions are never falsy ([`Val::Never`]: nothing to join). An unknown value or an input
    /// may be any falsy value, and none of them calls, iterates or counts anything (a falsy
    /// number is 0 or NaN, a falsy string is empty), so they stand as `undefined`: a join with it
    /// keeps `y`'s upper bounds and none of its guarantees.
    pub fn falsy_part(&self) -> Val {
        match self {
            Val::Bool(Some(true)) => Val::Never,
            Val::Bool(_) => Val::Bool(Some(false)),
            Val::Num(n) if n.exact().is_some_and(|v| v != 0.0 && !v.is_nan()) => Val::Never,
            Val::Num(n) if n.lo().is_some_and(|lo| lo > 0.0) => Val::Never,
            // 0, or `NaN` unless the number is known to be no `NaN`.
            Val::Num(n) if n.lo().is_some() || n.exact().is_some_and(|v| v == 0.0) => Val::num(0.0),
            Val::Num(n) if n.exact().is_some() => self.clone(),
            Val::Num(_) => Val::Num(Num::new(None, Some(Sym::zero()), None)),
            Val::Str(Some(s)) if !s.is_empty() => Val::Never,
            Val::Str(_) => Val::str(""),
            Val::Null => Val::Null,
            // Possibly `undefined` (or another falsy value): no guarantee survives it.
            Val::Undefined | Val::Top | Val::Input(_) => Val::Undefined,
            // Never falsy.
            Val::Arr(_)
            | Val::Obj(_)
            | Val::Func(_)
            | Val::Promise(_)
            | Val::Set(_)
            | Val::Map(_)
            | Val::Budget
            | Val::Global(_)
            | Val::Primitive(_)
            | Val::Never => Val::Never,
        }
    }

    /// The value, or `null` (`is_null`) or `undefined` instead: the same upper bounds, but no
    /// lower bound the nullish value does not meet (no exact number, string or boolean, no
    /// minimum length or size, no listed elements, no guaranteed key or field). `None` when that
    /// changes nothing. Elements need no change: a list that may be missing guarantees none of
    /// them. Fields are weakened when read ([`Obj::field`]), which keeps this cheap.
    fn or_nullish(&self, is_null: bool) -> Option<Val> {
        Some(match self {
            Val::Num(n) => {
                // As a number `null` is 0 and `undefined` is NaN, which no comparison passes.
                let lo = if is_null {
                    n.lo().map(|l| l.min(0.0))
                } else {
                    None
                };
                if n.exact().is_none() && n.lo() == lo {
                    return None;
                }
                Val::Num(Num::new(None, n.hi.clone(), lo))
            }
            Val::Str(Some(_)) => Val::Str(None),
            Val::Bool(Some(_)) => Val::Bool(None),
            Val::Arr(a) if a.len.lo > 0 || a.items.is_some() => Val::Arr(Rc::new(Arr {
                len: a.len.maybe(),
                elem: a.elem.clone(),
                items: None,
                allocs: a.allocs.clone(),
            })),
            Val::Obj(o) if !o.nullable => Val::Obj(Rc::new(Obj {
                nullable: true,
                ..(**o).clone()
            })),
            Val::Set(c) if c.size.lo > 0 => Val::Set(Rc::new(Coll {
                size: c.size.maybe(),
                ..(**c).clone()
            })),
            Val::Map(c) if c.size.lo > 0 => Val::Map(Rc::new(Coll {
                size: c.size.maybe(),
                ..(**c).clone()
            })),
            Val::Promise(v) => Val::promise(v.or_nullish(is_null)?),
            _ => return None,
        })
    }

    /// The least upper bound: a value that covers both.
    /// Equal, checked by address first: joining a value with itself changes nothing.
    fn same_as(&self, other: &Val) -> bool {
        let shared = match (self, other) {
            (Val::Arr(a), Val::Arr(b)) => Rc::ptr_eq(a, b),
            (Val::Obj(a), Val::Obj(b)) => Rc::ptr_eq(a, b),
            (Val::Set(a), Val::Set(b)) | (Val::Map(a), Val::Map(b)) => Rc::ptr_eq(a, b),
            _ => false,
        };
        shared || self == other
    }

    pub fn join(&self, other: &Val) -> Val {
        use Val::*;
        if self.same_as(other) {
            return self.clone();
        }
        match (self, other) {
            (Never, v) | (v, Never) => v.clone(),
            (Top, _) | (_, Top) => Top,
            // `null` and `undefined` add no elements, fields or width, so for the bounds it is
            // sound to let the other side stand for both.
            // For the lower bounds, though, what the other side guarantees may not exist.
            (n @ (Null | Undefined), v) | (v, n @ (Null | Undefined)) => {
                v.or_nullish(matches!(n, Null)).unwrap_or_else(|| v.clone())
            }
            (Num(a), Num(b)) => Num(self::Num::new(
                if a.exact() == b.exact() {
                    a.exact()
                } else {
                    None
                },
                match (&a.hi, &b.hi) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    _ => None,
                },
                match (a.lo(), b.lo()) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    _ => None,
                },
            )),
            (Str(_), Str(_)) => Str(None),
            (Bool(_), Bool(_)) => Bool(None),
            (Arr(a), Arr(b)) => Arr(Rc::new(self::Arr {
                len: a.len.join(&b.len),
                elem: Box::new(a.elem.join(&b.elem)),
                items: match (&a.items, &b.items) {
                    (Some(x), Some(y)) if x.len() == y.len() => {
                        Some(x.iter().zip(y).map(|(p, q)| p.join(q)).collect())
                    }
                    _ => None,
                },
                allocs: union(&a.allocs, &b.allocs),
            })),
            (Obj(a), Obj(b)) => {
                // Both key lists are sorted: merge them, joining each key once.
                let mut joined: Vec<(Name, Val)> =
                    Vec::with_capacity(a.fields.len().max(b.fields.len()));
                let (mut xs, mut ys) = (a.fields.iter().peekable(), b.fields.iter().peekable());
                // A field `undefined` on one side only may be absent from the joined object.
                let mut undefined_on_one_side = false;
                loop {
                    let k = match (xs.peek(), ys.peek()) {
                        (Some((x, _)), Some((y, _))) => {
                            if x <= y {
                                x.as_str()
                            } else {
                                y.as_str()
                            }
                        }
                        (Some((x, _)), None) => x.as_str(),
                        (None, Some((y, _))) => y.as_str(),
                        (None, None) => break,
                    };
                    let v = match (
                        xs.next_if(|(x, _)| x.as_str() == k),
                        ys.next_if(|(y, _)| y.as_str() == k),
                    ) {
                        (Some((_, x)), Some((_, y))) => {
                            undefined_on_one_side |=
                                matches!(x, Undefined) != matches!(y, Undefined);
                            x.join(y)
                        }
                        (Some((_, x)), None) => x.join(&b.field(k)),
                        (None, Some((_, y))) => a.field(k).join(y),
                        (None, None) => break,
                    };
                    joined.push((k.into(), v));
                }
                let partial = a.partial
                    || b.partial
                    || undefined_on_one_side
                    || joined.len() != a.fields.len()
                    || joined.len() != b.fields.len();
                // Merged in key order, each key once: already a sorted field list.
                let fields: Fields = joined.into_iter().collect();
                let input = if a.input == b.input {
                    a.input.clone()
                } else {
                    None
                };
                let open = a.open
                    || b.open
                    || (input.is_none() && (a.input.is_some() || b.input.is_some()));
                // Either object's keys: at most the larger count.
                let key_bound = match (a.keys_at_most(), b.keys_at_most()) {
                    (Some(x), Some(y)) if open && input.is_none() => Some(x.max(&y)),
                    _ => None,
                };
                Obj(Rc::new(self::Obj {
                    fields,
                    open,
                    allocs: union(&a.allocs, &b.allocs),
                    input,
                    partial,
                    key_bound,
                    nullable: a.nullable || b.nullable,
                }))
            }
            // An object literal or the input (`typeof args === 'string' ? {…} : args`): fields
            // come from either.
            (Obj(o), Input(p)) | (Input(p), Obj(o)) => {
                let fields = o
                    .fields
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            v.join(&Input(wfc_ir::format_compact!("{p}.{k}"))),
                        )
                    })
                    .collect();
                Obj(Rc::new(self::Obj {
                    fields,
                    open: o.open || o.input.as_ref().is_some_and(|q| q != p),
                    allocs: o.allocs.clone(),
                    input: Some(p.clone()),
                    partial: o.partial,
                    key_bound: None,
                    nullable: o.nullable,
                }))
            }
            (Func(a), Func(b)) => Func(a.union(b)),
            (Promise(a), Promise(b)) => Val::promise(a.join(b)),
            (Set(a), Set(b)) => Set(Rc::new(a.join(b))),
            (Map(a), Map(b)) => Map(Rc::new(a.join(b))),
            (Input(p), Input(q)) if p == q => Input(p.clone()),
            // An input joined with a concrete array (`Array.isArray(x) ? x : []`) is an array
            // whose length is bounded by both.
            (Input(_), Arr(_)) | (Arr(_), Input(_)) => {
                match (
                    self.as_array(Span::default()),
                    other.as_array(Span::default()),
                ) {
                    (Some(a), Some(b)) => Arr(Rc::new(a)).join(&Arr(Rc::new(b))),
                    _ => Top,
                }
            }
            (Input(p), Num(_)) | (Num(_), Input(p)) => {
                let n = Val::num_at_most(Sym::value_of(p));
                n.join(if matches!(self, Num(_)) { self } else { other })
            }
            (Input(_), Str(_)) | (Str(_), Input(_)) => Str(None),
            // A value no call can reach (a primitive, or the JSON input) joined with functions:
            // the functions are all a call of the result can run (`flag && (() => agent(…))`).
            (Func(f), Bool(_) | Num(_) | Str(_) | Input(_))
            | (Bool(_) | Num(_) | Str(_) | Input(_), Func(f)) => Func(f.clone()),
            _ => Top,
        }
    }

    /// `*self = self.join(other)`, in place. Joining many values into one (every element pushed
    /// to an array) would copy the growing value, and its growing lists of allocations, each
    /// time; this updates what nothing else shares where it is.
    pub fn join_into(&mut self, other: &Val) {
        use Val::*;
        if self.same_as(other) {
            return;
        }
        match (&mut *self, other) {
            (Arr(a), Arr(b)) => {
                let a = Rc::make_mut(a);
                a.len = a.len.join(&b.len);
                a.elem.join_into(&b.elem);
                a.items = match (a.items.take(), &b.items) {
                    (Some(mut x), Some(y)) if x.len() == y.len() => {
                        x.iter_mut().zip(y).for_each(|(p, q)| p.join_into(q));
                        Some(x)
                    }
                    _ => None,
                };
                union_into(&mut a.allocs, &b.allocs);
            }
            (Obj(a), Obj(b)) => {
                let a = Rc::make_mut(a);
                // Keys only in `a` join what `b` reads there, keys only in `b` what `a` read
                // (before any change), as `join` does.
                let before = (a.open, a.input.clone());
                let read_a = |k: &str| match &before {
                    (true, _) => Top,
                    (false, Some(p)) => Input(wfc_ir::format_compact!("{p}.{k}")),
                    (false, None) => Undefined,
                };
                let mut partial = a.partial || b.partial;
                for (k, v) in a.fields.iter_mut() {
                    match b.fields.get(k) {
                        Some(y) => {
                            partial |= matches!(v, Undefined) != matches!(y, Undefined);
                            v.join_into(y)
                        }
                        None => {
                            partial = true;
                            v.join_into(&b.field(k));
                        }
                    }
                }
                for (k, y) in &b.fields {
                    if !a.fields.contains_key(k) {
                        partial = true;
                        a.fields.insert(k.clone(), read_a(k).join(y));
                    }
                }
                a.partial = partial;
                a.nullable |= b.nullable;
                let input = if a.input == b.input {
                    a.input.take()
                } else {
                    None
                };
                a.open = a.open
                    || b.open
                    || (input.is_none() && (before.1.is_some() || b.input.is_some()));
                a.input = input;
                union_into(&mut a.allocs, &b.allocs);
            }
            (Set(a), Set(b)) | (Map(a), Map(b)) => {
                let a = Rc::make_mut(a);
                a.size = a.size.join(&b.size);
                a.elem.join_into(&b.elem);
                union_into(&mut a.allocs, &b.allocs);
            }
            _ => *self = self.join(other),
        }
    }

    /// Views the value as an array (for iteration and fan-out). `span` is where the value is used,
    /// for the reason given when its length is unknown.
    pub fn as_array(&self, span: Span) -> Option<Arr> {
        match self {
            Val::Arr(a) => Some((**a).clone()),
            Val::Input(p) => Some(Arr {
                len: Count::at_most(Sym::len_of(p)),
                elem: Box::new(Val::Input(wfc_ir::format_compact!("{p}[]"))),
                items: None,
                allocs: Allocs::default(),
            }),
            Val::Set(c) => Some(Arr {
                len: c.size.clone(),
                elem: c.elem.clone(),
                items: None,
                allocs: Allocs::default(),
            }),
            // A map iterates over its `[key, value]` entries.
            Val::Map(c) => Some(Arr {
                len: c.size.clone(),
                elem: Box::new(Val::map_entry(&c.elem)),
                items: None,
                allocs: Allocs::default(),
            }),
            Val::Str(Some(s)) => Some(Arr {
                len: Count::exact(s.chars().count() as u64),
                elem: Box::new(Val::Str(None)),
                items: None,
                allocs: Allocs::default(),
            }),
            Val::Null | Val::Undefined => Some(Arr {
                len: Count::zero(),
                elem: Box::new(Val::Undefined),
                items: Some(Vec::new()),
                allocs: Allocs::default(),
            }),
            Val::Top | Val::Str(None) | Val::Promise(_) => Some(Arr {
                len: Count::at_most(Sym::unbounded(span, "its length is not known statically")),
                elem: Box::new(Val::Top),
                items: None,
                allocs: Allocs::default(),
            }),
            _ => None,
        }
    }

    /// An upper bound on the value as a number.
    pub fn num_hi(&self) -> Option<Sym> {
        match self {
            Val::Num(n) => n.hi.clone(),
            Val::Input(p) => Some(Sym::value_of(p)),
            Val::Bool(_) => Some(Sym::one()),
            Val::Null | Val::Undefined => Some(Sym::zero()),
            _ => None,
        }
    }

    /// A known lower bound on the value as a number.
    pub fn num_lo(&self) -> Option<f64> {
        match self {
            Val::Num(n) => n.lo().or(n.exact().filter(|v| !v.is_nan())),
            Val::Null => Some(0.0),
            _ => None,
        }
    }

    /// What `x` is when it is truthy. For a number that is not `NaN`: a lower bound of
    /// `-Infinity` says only that (`Math.max(1, parseInt(s) || 3)` is at least 1).
    pub fn truthy_part(&self) -> Val {
        match self {
            Val::Num(n) if n.exact().is_none() && n.lo().is_none() => {
                Val::Num(Num::new(None, n.hi.clone(), Some(f64::NEG_INFINITY)))
            }
            _ => self.clone(),
        }
    }

    /// `Number(v)` for a value known exactly: a number, `null`, a boolean, `undefined` (strings
    /// through [`Val::as_primitive_string`]).
    pub fn exact_number(&self) -> Option<f64> {
        match self {
            Val::Bool(Some(b)) => Some(f64::from(u8::from(*b))),
            Val::Undefined => Some(f64::NAN),
            _ => self.exact_num(),
        }
    }

    /// `String(v)` for a string, boolean, `null` or `undefined` known exactly.
    pub fn as_primitive_string(&self) -> Option<&str> {
        match self {
            Val::Str(Some(s)) => Some(s),
            Val::Bool(Some(b)) => Some(if *b { "true" } else { "false" }),
            Val::Null => Some("null"),
            Val::Undefined => Some("undefined"),
            _ => None,
        }
    }

    pub fn exact_num(&self) -> Option<f64> {
        match self {
            Val::Num(n) => n.exact(),
            Val::Null => Some(0.0),
            _ => None,
        }
    }

    /// The value as JSON, when it is fully known (schemas, option values).
    pub fn to_json(&self) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        Some(match self {
            Val::Null => J::Null,
            Val::Bool(Some(b)) => J::Bool(*b),
            Val::Str(Some(s)) => J::String(s.to_string()),
            Val::Num(n) => match n.exact()? {
                n if n.fract() == 0.0 && n.abs() < 9e15 => J::from(n as i64),
                n => serde_json::Number::from_f64(n).map(J::Number)?,
            },
            Val::Arr(a) if a.items.is_some() => {
                let items = a.items.as_ref()?;
                J::Array(items.iter().map(Val::to_json).collect::<Option<_>>()?)
            }
            Val::Obj(o) if !o.open => J::Object(
                o.fields
                    .iter()
                    .filter(|(_, v)| !matches!(v, Val::Undefined))
                    .map(|(k, v)| Some((k.to_string(), v.to_json()?)))
                    .collect::<Option<_>>()?,
            ),
            _ => return None,
        })
    }
}

impl Obj {
    /// How many keys a closed object has: its fields, some of which may be absent when it joins
    /// objects with different keys.
    /// At most how many keys the object has, when that is known: all of them for a closed
    /// object, or its [`Obj::key_bound`].
    pub fn keys_at_most(&self) -> Option<Sym> {
        if self.input.is_some() {
            None
        } else if !self.open {
            Some(Sym::num(self.fields.len() as f64))
        } else {
            self.key_bound.clone()
        }
    }

    /// How many keys the object has, when it is closed or its keys are bounded.
    pub fn keys(&self) -> Option<Count> {
        if !self.open && self.input.is_none() {
            Some(self.key_count())
        } else {
            self.keys_at_most().map(Count::at_most)
        }
    }

    pub fn key_count(&self) -> Count {
        let n = self.fields.len() as u64;
        if self.partial || self.nullable {
            Count::at_most(Sym::num(n as f64))
        } else {
            Count::exact(n)
        }
    }

    /// The value of a field, as far as it is known.
    pub fn field(&self, name: &str) -> Val {
        match (self.fields.get(name), &self.input) {
            // Read through `?.` from what may be missing, it may be `undefined`.
            (Some(v), _) if self.nullable => v.or_nullish(false).unwrap_or_else(|| v.clone()),
            (Some(v), _) => v.clone(),
            (None, _) if self.open => Val::Top,
            (None, Some(p)) => Val::Input(wfc_ir::format_compact!("{p}.{name}")),
            (None, None) => Val::Undefined,
        }
    }
}

impl Coll {
    fn join(&self, o: &Coll) -> Coll {
        Coll {
            size: self.size.join(&o.size),
            elem: Box::new(self.elem.join(&o.elem)),
            allocs: union(&self.allocs, &o.allocs),
        }
    }
}

/// The value of a known JSON value (the workflow's `args` when given, schema defaults).
pub fn from_json(v: &serde_json::Value) -> Val {
    use serde_json::Value as J;
    match v {
        J::Null => Val::Null,
        J::Bool(b) => Val::Bool(Some(*b)),
        J::Number(n) => n.as_f64().map_or_else(Val::any_num, Val::num),
        J::String(s) => Val::str(s.as_str()),
        J::Array(a) => Val::array(a.iter().map(from_json).collect()),
        J::Object(o) => Val::object(o.iter().map(|(k, v)| (k.into(), from_json(v))).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allocations_sharing_a_span_stay_apart_in_a_set() {
        let at = Alloc::at(Span::new(4, 9));
        let keys = at.keys();
        let counter = Alloc::counter(Span::new(4, 9));
        let again = Alloc {
            span: Span::new(4, 9),
            path: Rc::from(String::from(&*keys.path)),
        };
        let set: std::collections::HashSet<Alloc> =
            [at.clone(), keys, counter, again, at].into_iter().collect();
        assert_eq!(
            set.len(),
            3,
            "same span, different paths: different allocations"
        );
    }

    #[test]
    fn a_compact_optional_number_reads_back_as_the_option_it_stores() {
        let sentinel = f64::from_bits(MaybeF64::NONE);
        for v in [
            None,
            Some(0.0),
            Some(-0.0),
            Some(1.5),
            Some(f64::INFINITY),
            Some(f64::NEG_INFINITY),
            Some(f64::MAX),
        ] {
            let back = MaybeF64::from(v).get();
            assert_eq!(back.map(f64::to_bits), v.map(f64::to_bits), "{v:?}");
        }
        // NaN stays NaN, the one NaN that means "none" included, and compares as `Some(NaN)`.
        for nan in [f64::NAN, -f64::NAN, sentinel] {
            assert!(MaybeF64::from(Some(nan)).get().is_some_and(f64::is_nan));
            assert_ne!(MaybeF64::from(Some(nan)), MaybeF64::from(Some(nan)));
        }
        assert_eq!(MaybeF64::from(None), MaybeF64::from(None));
        assert_ne!(MaybeF64::from(None), MaybeF64::from(Some(0.0)));
        // Arithmetic on NaN does not produce the "none" bits.
        let (zero, inf) = std::hint::black_box((0.0_f64, f64::INFINITY));
        let computed = [zero / zero, inf - inf, f64::NAN * zero, (-inf).sqrt()];
        assert!(computed.iter().all(|x| x.to_bits() != MaybeF64::NONE));
        let n = Num::new(Some(3.0), Some(Sym::num(3.0)), None);
        assert_eq!((n.exact(), n.lo()), (Some(3.0), None));
        #[cfg(target_pointer_width = "64")]
        assert_eq!(std::mem::size_of::<Num>(), 32);
    }

    #[test]
    fn allocation_lists_keep_first_seen_order_without_repeats() {
        let at = |n: u32| Alloc::at(Span::new(n, n + 1));
        let none = Allocs::default();
        assert!(
            none.is_empty() && none.0.is_none(),
            "no list is allocated for none"
        );
        let mut a = Allocs::one(at(1));
        a.push(at(2));
        let b: Allocs = [at(3), at(2), at(4)].into_iter().collect();
        assert_eq!(&*union(&a, &b), &[at(1), at(2), at(3), at(4)]);
        assert_eq!(&*union(&b, &a), &[at(3), at(2), at(4), at(1)]);
        assert_eq!(union(&none, &a), a);
        assert_eq!(union(&a, &none), a);
        // Nothing to add: the list stays shared rather than copied.
        let mut c = a.clone();
        union_into(&mut c, &Allocs::one(at(2)));
        assert!(matches!((&c.0, &a.0), (Some(x), Some(y)) if Rc::ptr_eq(x, y)));
        let empty: Allocs = std::iter::empty().collect();
        assert!(empty.0.is_none());
        // A list nothing else holds grows in place: joining hundreds of sites into one array's
        // elements must not copy the list at every join.
        let mut grown = Allocs::one(at(1));
        let before = grown.0.as_ref().map(Rc::as_ptr);
        for n in 2..200 {
            union_into(&mut grown, &Allocs::one(at(n)));
        }
        assert_eq!(grown.len(), 199);
        assert_eq!(grown.0.as_ref().map(Rc::as_ptr), before);
    }

    #[test]
    fn function_values_join_to_every_closure_once() {
        let id = |n: u32| wfc_ir::ScopeId(n);
        let one = Val::Func(Funcs::One(id(1)));
        let two = Val::Func(Funcs::One(id(2)));
        let Val::Func(both) = one.join(&two) else {
            panic!("two closures join to a function value");
        };
        assert_eq!(&*both, &[id(1), id(2)]);
        let Val::Func(again) = Val::Func(both.clone()).join(&one) else {
            panic!("still a function value");
        };
        assert_eq!(&*again, &[id(1), id(2)]);
        assert_eq!(one.join(&one), one);
    }

    #[test]
    fn input_joined_with_literal_array_is_bounded_by_both() {
        let v =
            Val::Input("args.files".into()).join(&Val::array(vec![Val::str("a"), Val::str("b")]));
        let a = v.as_array(Span::default()).expect("array");
        assert_eq!(a.len.hi.to_string(), "max(|args.files|, 2)");
        assert_eq!(a.len.lo, 0);
    }

    /// A join with `null` or `undefined` keeps every upper bound and drops every guarantee, and
    /// leaves a value `??` and defaults know may be missing.
    #[test]
    fn joining_with_nullish_keeps_upper_bounds_only() {
        let list = Val::array(vec![Val::num(1.0), Val::num(2.0), Val::num(3.0)]);
        let obj = Val::object(
            [("xs".into(), list.clone()), ("n".into(), Val::num(4.0))]
                .into_iter()
                .collect(),
        );
        for nullish in [Val::Null, Val::Undefined] {
            let a = list.join(&nullish);
            let arr = a.as_array(Span::default()).expect("array");
            assert_eq!((arr.len.lo, arr.len.hi.to_string()), (0, "3".into()));
            assert!(arr.items.is_none() && a.maybe_nullish());
            assert_eq!(nullish.join(&list), a, "a join is symmetric");

            let n = Val::num(4.0).join(&nullish);
            assert_eq!(n.num_hi().map(|h| h.to_string()), Some("4".into()));
            assert_eq!(n.exact_num(), None);
            assert!(n.maybe_nullish());
            assert_eq!(Val::str("x").join(&nullish), Val::Str(None));
            assert_eq!(Val::Bool(Some(true)).join(&nullish), Val::Bool(None));

            let Val::Obj(o) = obj.join(&nullish) else {
                panic!("an object")
            };
            assert!(o.nullable && o.keys().is_some_and(|k| k.lo == 0));
            let xs = o.field("xs");
            assert_eq!(xs.as_array(Span::default()).map(|a| a.len.lo), Some(0));
            assert!(Val::Obj(o).maybe_nullish());
        }
        // `null` is 0 as a number, `undefined` NaN: only the first keeps a minimum.
        let at_least_2 = Val::Num(Num::new(None, Some(Sym::num(9.0)), Some(2.0)));
        assert_eq!(at_least_2.join(&Val::Null).num_lo(), Some(0.0));
        assert_eq!(at_least_2.join(&Val::Undefined).num_lo(), None);
        // What guarantees something is certainly there.
        assert!(!list.maybe_nullish() && !obj.maybe_nullish() && !Val::num(0.0).maybe_nullish());
    }

    /// Tests are decided only from values that guarantee what they are: one that may have been
    /// joined with `null` or `undefined` decides nothing.
    #[test]
    fn truthiness_types_and_equality_are_known_only_for_guaranteed_values() {
        let list = Val::array(vec![Val::num(1.0)]);
        let obj = Val::object([("a".into(), Val::num(1.0))].into_iter().collect());
        let maybe_list = list.join(&Val::Undefined);
        let maybe_obj = obj.join(&Val::Null);
        let maybe_num = Val::num(3.0).join(&Val::Undefined);
        for (v, truthy, type_of, is_array) in [
            (&Val::Null, Some(false), Some("object"), Some(false)),
            (&Val::Undefined, Some(false), Some("undefined"), Some(false)),
            (&Val::num(0.0), Some(false), Some("number"), Some(false)),
            (
                &Val::num(f64::NAN),
                Some(false),
                Some("number"),
                Some(false),
            ),
            (&Val::num(2.0), Some(true), Some("number"), Some(false)),
            (&Val::str(""), Some(false), Some("string"), Some(false)),
            (&Val::str("x"), Some(true), Some("string"), Some(false)),
            (&list, Some(true), Some("object"), Some(true)),
            (&obj, Some(true), Some("object"), Some(false)),
            (&maybe_list, None, None, None),
            (&maybe_obj, None, None, Some(false)),
            (&maybe_num, None, None, Some(false)),
            (&Val::Input("args".into()), None, None, None),
            (&Val::Top, None, None, None),
        ] {
            assert_eq!(v.truthy(), truthy, "truthy {v:?}");
            assert_eq!(v.type_of(), type_of, "typeof {v:?}");
            assert_eq!(v.is_array(), is_array, "isArray {v:?}");
        }
        let eq = |a: &Val, b: &Val, strict| a.known_equal(b, strict);
        assert_eq!(
            eq(&Val::str("object"), &Val::str("object"), true),
            Some(true)
        );
        assert_eq!(eq(&Val::str("1"), &Val::num(1.0), true), Some(false));
        assert_eq!(eq(&Val::str("1"), &Val::num(1.0), false), None);
        assert_eq!(eq(&Val::Null, &Val::Undefined, true), Some(false));
        assert_eq!(eq(&Val::Null, &Val::Undefined, false), Some(true));
        assert_eq!(eq(&Val::Null, &Val::num(0.0), false), Some(false));
        assert_eq!(
            eq(&Val::num(f64::NAN), &Val::num(f64::NAN), true),
            Some(false)
        );
        assert_eq!(eq(&maybe_num, &Val::num(3.0), true), None);
        // What never yields a value joins nothing; what is never falsy has no falsy part.
        assert_eq!(Val::Never.join(&list), list);
        assert_eq!(list.join(&Val::Never), list);
        assert_eq!(obj.falsy_part(), Val::Never);
        assert_eq!(Val::Input("args.x".into()).falsy_part(), Val::Undefined);
    }

    #[test]
    fn json_round_trip_of_known_values() {
        let j = serde_json::json!({"type": "object", "required": ["a"], "n": 3});
        assert_eq!(from_json(&j).to_json(), Some(j));
    }

    #[test]
    fn joining_in_place_gives_what_joining_gives() {
        let at = |n: u32| Alloc::at(Span::new(n, n + 1));
        let arr = |allocs: Vec<Alloc>, len: u64| {
            Val::Arr(Rc::new(Arr {
                len: Count::exact(len),
                elem: Box::new(Val::num(len as f64)),
                items: None,
                allocs: allocs.into_iter().collect(),
            }))
        };
        let obj = |allocs: Vec<Alloc>, k: &str| {
            Val::Obj(Rc::new(Obj {
                fields: [(k.into(), Val::str(k))].into_iter().collect(),
                open: false,
                allocs: allocs.into_iter().collect(),
                input: None,
                partial: false,
                key_bound: None,
                nullable: false,
            }))
        };
        let set = |allocs: Vec<Alloc>| {
            Val::Set(Rc::new(Coll {
                size: Count::exact(1),
                elem: Box::new(Val::Top),
                allocs: allocs.into_iter().collect(),
            }))
        };
        let shared = arr(vec![at(1), at(2)], 2);
        let nested = |allocs: Vec<Alloc>, inner: Val, open: bool, input: Option<&str>| {
            Val::Obj(Rc::new(Obj {
                fields: [("top".into(), inner), ("n".into(), Val::num(1.0))]
                    .into_iter()
                    .collect(),
                open,
                allocs: allocs.into_iter().collect(),
                input: input.map(wfc_ir::Name::from),
                partial: false,
                key_bound: None,
                nullable: false,
            }))
        };
        let listed = Val::Arr(Rc::new(Arr {
            len: Count::exact(2),
            elem: Box::new(obj(vec![at(9)], "x")),
            items: Some(vec![obj(vec![at(9)], "x"), obj(vec![at(10)], "y")]),
            allocs: Allocs::one(at(11)),
        }));
        let values = vec![
            nested(vec![at(7)], arr(vec![at(1)], 1), false, None),
            nested(vec![at(8), at(7)], arr(vec![at(2)], 3), false, None),
            nested(vec![at(8)], obj(vec![at(3)], "a"), true, None),
            nested(vec![at(8)], listed.clone(), false, Some("args.x")),
            nested(Vec::new(), Val::Undefined, false, Some("args.y")),
            listed,
            arr(vec![at(1)], 1),
            arr(vec![at(2), at(1)], 3),
            shared.clone(),
            shared,
            arr(Vec::new(), 0),
            obj(vec![at(3)], "a"),
            obj(vec![at(4), at(3)], "b"),
            obj(Vec::new(), "a"),
            set(vec![at(5)]),
            set(vec![at(6), at(5)]),
            Val::Input("args.files".into()),
            Val::Null,
            Val::Top,
            Val::num(1.0),
        ];
        for x in &values {
            for y in &values {
                let mut z = x.clone();
                z.join_into(y);
                assert_eq!(z, x.join(y), "{x:?} ⊔ {y:?}");
            }
        }
    }
}
