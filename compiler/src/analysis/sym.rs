//! Symbolic non-negative quantities: agent counts, widths, durations.
//!
//! A [`Sym`] is either finite — a polynomial over *atoms* (the length or value of an input such as
//! `|args.files|`, or a `max`/`min` of polynomials) with non-negative coefficients — or unbounded,
//! with the reason it is unbounded. Atoms are non-negative, so a polynomial whose coefficients
//! all dominate another's is the larger one; `max`/`min` use that to stay readable.

use std::fmt;
use std::sync::Arc;

use serde::{Serialize, Serializer};
use wfc_ir::Span;

/// Why a quantity has no finite bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    /// Where the unbounded quantity comes from.
    pub span: Span,
    pub why: String,
}

#[derive(Debug, Clone, PartialEq, PartialOrd, Serialize)]
#[serde(tag = "atom", content = "of", rename_all = "snake_case")]
pub enum Atom {
    /// The length of an input array or string, e.g. `|args.files|`.
    Len(#[serde(serialize_with = "ser_str")] Arc<str>),
    /// The numeric value of an input, e.g. `args.rounds`, rounded up: bounds count whole things.
    Val(#[serde(serialize_with = "ser_str")] Arc<str>),
    /// The integer `parseInt` reads from an input, e.g. `int(args.limit)`: at most its value,
    /// except for tiny numbers (`parseInt(5e-7)` is 5).
    Int(#[serde(serialize_with = "ser_str")] Arc<str>),
    /// Shared: monomials are copied whenever a bound is scaled or multiplied.
    Max(#[serde(serialize_with = "ser_polys")] Arc<[Poly]>),
    Min(#[serde(serialize_with = "ser_polys")] Arc<[Poly]>),
}

fn ser_str<S: Serializer>(s: &Arc<str>, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s)
}

fn ser_polys<S: Serializer>(p: &Arc<[Poly]>, ser: S) -> Result<S::Ok, S::Error> {
    p[..].serialize(ser)
}

fn ser_terms<S: Serializer>(t: &Arc<Vec<Term>>, ser: S) -> Result<S::Ok, S::Error> {
    t.as_slice().serialize(ser)
}

/// One term of a polynomial: its atoms (a product) and its coefficient.
pub type Term = (Vec<Atom>, f64);

/// A sum of terms `coefficient · atom · atom …`, kept sorted and merged.
///
/// The terms are shared: bounds are cloned far more often than they are built.
#[derive(Debug, Clone, PartialEq, PartialOrd, Serialize)]
pub struct Poly {
    #[serde(serialize_with = "ser_terms")]
    pub terms: Arc<Vec<Term>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Sym {
    Finite { poly: Poly },
    Unbounded { reason: Box<Reason> },
}

impl Default for Poly {
    /// Zero, built once: most counts start at zero.
    fn default() -> Poly {
        static ZERO: std::sync::LazyLock<Poly> = std::sync::LazyLock::new(|| Poly {
            terms: Arc::new(Vec::new()),
        });
        ZERO.clone()
    }
}

/// Constants `1..=SHARED_CONSTANTS` are built once.
const SHARED_CONSTANTS: usize = 64;

impl Poly {
    pub fn constant(c: f64) -> Poly {
        // Small whole numbers are most bounds (every agent and statement runs once, lists are
        // short): shared, so that they cost no allocation.
        static SMALL: std::sync::LazyLock<Vec<Poly>> = std::sync::LazyLock::new(|| {
            (1..=SHARED_CONSTANTS)
                .map(|n| Poly::from_terms(vec![(Vec::new(), n as f64)]))
                .collect()
        });
        if c >= 1.0 && c <= SHARED_CONSTANTS as f64 && c.fract() == 0.0 {
            return SMALL[c as usize - 1].clone();
        }
        if c != 0.0 {
            Poly::from_terms(vec![(Vec::new(), c)])
        } else {
            Poly::default()
        }
    }

    pub fn atom(a: Atom) -> Poly {
        Poly::from_terms(vec![(vec![a], 1.0)])
    }

    fn from_terms(terms: Vec<Term>) -> Poly {
        if terms.is_empty() {
            return Poly::default();
        }
        Poly {
            terms: Arc::new(terms),
        }
    }

    pub fn as_constant(&self) -> Option<f64> {
        match self.terms.as_slice() {
            [] => Some(0.0),
            [(m, c)] if m.is_empty() => Some(*c),
            _ => None,
        }
    }

    fn normalize(mut terms: Vec<Term>) -> Poly {
        for (m, _) in &mut terms {
            m.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
        }
        terms.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
        let mut out: Vec<Term> = Vec::with_capacity(terms.len());
        for (m, c) in terms {
            match out.last_mut() {
                Some((lm, lc)) if *lm == m => *lc += c,
                _ => out.push((m, c)),
            }
        }
        out.retain(|(_, c)| *c != 0.0);
        Poly::from_terms(out)
    }

    pub fn add(&self, other: &Poly) -> Poly {
        if other.terms.is_empty() {
            return self.clone();
        }
        if self.terms.is_empty() {
            return other.clone();
        }
        // Most bounds are numbers, or a polynomial plus a number: add them without sorting and
        // merging terms.
        match (self.as_constant(), other.as_constant()) {
            (Some(a), Some(b)) => return Poly::constant(a + b),
            (Some(c), None) => return other.plus_constant(c),
            (None, Some(c)) => return self.plus_constant(c),
            (None, None) => {}
        }
        let mut terms = Vec::with_capacity(self.terms.len() + other.terms.len());
        terms.extend(self.terms.iter().cloned());
        terms.extend(other.terms.iter().cloned());
        Poly::normalize(terms)
    }

    pub fn mul(&self, other: &Poly) -> Poly {
        match (self.as_constant(), other.as_constant()) {
            (Some(a), Some(b)) => return Poly::constant(a * b),
            (Some(c), None) => return other.scaled(c),
            (None, Some(c)) => return self.scaled(c),
            (None, None) => {}
        }
        let mut terms = Vec::with_capacity(self.terms.len() * other.terms.len());
        for (ma, ca) in self.terms.iter() {
            for (mb, cb) in other.terms.iter() {
                let mut m = ma.clone();
                m.extend(mb.iter().cloned());
                terms.push((m, ca * cb));
            }
        }
        Poly::normalize(terms)
    }

    /// `self + c`, already normalised: the constant term, when there is one, sorts first (its
    /// monomial is empty).
    fn plus_constant(&self, c: f64) -> Poly {
        let mut terms = Vec::with_capacity(self.terms.len() + 1);
        match self.terms.split_first() {
            Some(((m, k), rest)) if m.is_empty() => {
                if *k + c != 0.0 {
                    terms.push((Vec::new(), *k + c));
                }
                terms.extend(rest.iter().cloned());
            }
            _ => {
                if c != 0.0 {
                    terms.push((Vec::new(), c));
                }
                terms.extend(self.terms.iter().cloned());
            }
        }
        Poly::from_terms(terms)
    }

    /// `c · self`, already normalised: scaling keeps the order of the monomials.
    fn scaled(&self, c: f64) -> Poly {
        if c == 1.0 {
            return self.clone();
        }
        let mut terms: Vec<Term> = self.terms.iter().map(|(m, k)| (m.clone(), k * c)).collect();
        terms.retain(|(_, k)| *k != 0.0);
        Poly::from_terms(terms)
    }

    /// Every coefficient of `self` is at least `other`'s: `self ≥ other` for all inputs. Also
    /// `x ≥ min(x, …)` and `max(x, …) ≥ x`, which repeated joins of a list cut with
    /// `.slice(0, n)` produce.
    fn dominates(&self, other: &Poly) -> bool {
        if other
            .single_atom()
            .is_some_and(|a| matches!(a, Atom::Min(ps) if ps.contains(self)))
            || self
                .single_atom()
                .is_some_and(|a| matches!(a, Atom::Max(ps) if ps.contains(other)))
        {
            return true;
        }
        other.terms.iter().all(|(m, c)| {
            self.terms
                .iter()
                .find(|(sm, _)| sm == m)
                .is_some_and(|(_, sc)| sc >= c)
        })
    }

    /// The polynomial is one atom, with coefficient 1.
    fn single_atom(&self) -> Option<&Atom> {
        match self.terms.as_slice() {
            [(m, c)] if *c == 1.0 && m.len() == 1 => m.first(),
            _ => None,
        }
    }

    fn eval(&self, lookup: &dyn Fn(&Atom) -> Option<f64>) -> Option<f64> {
        let mut total = 0.0;
        for (m, c) in self.terms.iter() {
            let mut term = *c;
            for a in m {
                term *= eval_atom(a, lookup)?;
            }
            total += term;
        }
        Some(total)
    }
}

fn eval_atom(a: &Atom, lookup: &dyn Fn(&Atom) -> Option<f64>) -> Option<f64> {
    match a {
        Atom::Len(_) | Atom::Int(_) => lookup(a),
        // Counts are whole: `i < args.k` runs 3 times for `k = 2.5`.
        Atom::Val(_) => lookup(a).map(f64::ceil),
        Atom::Max(ps) => ps
            .iter()
            .map(|p| p.eval(lookup))
            .try_fold(0.0f64, |acc, v| v.map(|v| acc.max(v))),
        Atom::Min(ps) => ps
            .iter()
            .map(|p| p.eval(lookup))
            .try_fold(f64::INFINITY, |acc, v| v.map(|v| acc.min(v))),
    }
}

/// Bounds bigger than this (terms and atoms, counted through `max`/`min`) are given up on as
/// unbounded: repeated products of sums would otherwise grow exponentially.
const MAX_SIZE: usize = 256;

impl Poly {
    fn size(&self) -> usize {
        self.terms
            .iter()
            .map(|(m, _)| 1 + m.iter().map(Atom::size).sum::<usize>())
            .sum()
    }
}

impl Atom {
    fn size(&self) -> usize {
        match self {
            Atom::Len(_) | Atom::Val(_) | Atom::Int(_) => 1,
            Atom::Max(ps) | Atom::Min(ps) => 1 + ps.iter().map(Poly::size).sum::<usize>(),
        }
    }
}

/// A finite bound, or unbounded when it is too large to keep.
fn capped(poly: Poly) -> Sym {
    if poly.size() > MAX_SIZE {
        capped_out()
    } else {
        Sym::Finite { poly }
    }
}

fn capped_out() -> Sym {
    Sym::unbounded(
        Span::default(),
        "the bound grows too complex to track (repeated products of inputs)",
    )
}

impl Sym {
    pub fn zero() -> Sym {
        Sym::num(0.0)
    }

    pub fn one() -> Sym {
        Sym::num(1.0)
    }

    pub fn num(c: f64) -> Sym {
        Sym::Finite {
            poly: Poly::constant(c.max(0.0)),
        }
    }

    pub fn atom(a: Atom) -> Sym {
        Sym::Finite {
            poly: Poly::atom(a),
        }
    }

    pub fn len_of(path: &str) -> Sym {
        Sym::atom(Atom::Len(path.into()))
    }

    pub fn value_of(path: &str) -> Sym {
        Sym::atom(Atom::Val(path.into()))
    }

    /// `parseInt` of the input at `path`.
    pub fn int_of(path: &str) -> Sym {
        Sym::atom(Atom::Int(path.into()))
    }

    pub fn unbounded(span: Span, why: impl Into<String>) -> Sym {
        Sym::Unbounded {
            reason: Box::new(Reason {
                span,
                why: why.into(),
            }),
        }
    }

    pub fn is_finite(&self) -> bool {
        matches!(self, Sym::Finite { .. })
    }

    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Sym::Unbounded { reason } => Some(reason),
            Sym::Finite { .. } => None,
        }
    }

    pub fn as_constant(&self) -> Option<f64> {
        match self {
            Sym::Finite { poly } => poly.as_constant(),
            Sym::Unbounded { .. } => None,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.as_constant() == Some(0.0)
    }

    pub fn add(&self, other: &Sym) -> Sym {
        match (self, other) {
            (Sym::Finite { poly: a }, Sym::Finite { poly: b }) => capped(a.add(b)),
            (Sym::Unbounded { .. }, _) => self.clone(),
            (_, Sym::Unbounded { .. }) => other.clone(),
        }
    }

    pub fn mul(&self, other: &Sym) -> Sym {
        // Zero times anything is zero: code that never runs spawns nothing, however unbounded.
        if self.is_zero() || other.is_zero() {
            return Sym::zero();
        }
        // Polynomials are kept normalised, so one times a bound is that bound as it is.
        if self.as_constant() == Some(1.0) {
            return other.clone();
        }
        if other.as_constant() == Some(1.0) {
            return self.clone();
        }
        match (self, other) {
            (Sym::Finite { poly: a }, Sym::Finite { poly: b }) => {
                // Skip the (possibly huge) product when its size would be over the cap anyway.
                if a.size().saturating_mul(b.size()) > MAX_SIZE * MAX_SIZE {
                    return capped_out();
                }
                capped(a.mul(b))
            }
            (Sym::Unbounded { .. }, _) => self.clone(),
            (_, Sym::Unbounded { .. }) => other.clone(),
        }
    }

    pub fn scale(&self, c: f64) -> Sym {
        self.mul(&Sym::num(c))
    }

    pub fn max(&self, other: &Sym) -> Sym {
        match (self, other) {
            (Sym::Finite { poly: a }, Sym::Finite { poly: b }) => {
                if a.dominates(b) {
                    self.clone()
                } else if b.dominates(a) {
                    other.clone()
                } else if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
                    Sym::num(x.max(y))
                } else {
                    let mut parts = Vec::new();
                    for p in [a, b] {
                        match p.terms.as_slice() {
                            [(m, c)] if *c == 1.0 && m.len() == 1 => {
                                if let Atom::Max(inner) = &m[0] {
                                    parts.extend(inner.iter().cloned());
                                    continue;
                                }
                                parts.push(p.clone());
                            }
                            _ => parts.push(p.clone()),
                        }
                    }
                    let mut unique: Vec<Poly> = Vec::with_capacity(parts.len());
                    for p in parts {
                        if !unique.contains(&p) {
                            unique.push(p);
                        }
                    }
                    capped(Poly::atom(Atom::Max(unique.into())))
                }
            }
            (Sym::Unbounded { .. }, _) => self.clone(),
            (_, Sym::Unbounded { .. }) => other.clone(),
        }
    }

    pub fn min(&self, other: &Sym) -> Sym {
        match (self, other) {
            (Sym::Finite { poly: a }, Sym::Finite { poly: b }) => {
                if a.dominates(b) {
                    other.clone()
                } else if b.dominates(a) {
                    self.clone()
                } else if let (Some(x), Some(y)) = (a.as_constant(), b.as_constant()) {
                    Sym::num(x.min(y))
                } else {
                    capped(Poly::atom(Atom::Min(Arc::from([a.clone(), b.clone()]))))
                }
            }
            (Sym::Unbounded { .. }, _) => other.clone(),
            (_, Sym::Unbounded { .. }) => self.clone(),
        }
    }

    /// `max(0, self - c)` for a constant `c`: loop trip counts from a counter's start value.
    pub fn minus_const(&self, c: f64) -> Sym {
        match self {
            Sym::Finite { poly } => match poly.as_constant() {
                Some(v) => Sym::num((v - c).max(0.0)),
                // Subtracting from a symbolic bound would need a lower bound on the symbol;
                // dropping only a non-negative constant keeps the bound sound.
                None if c >= 0.0 => {
                    let mut terms = poly.terms.as_ref().clone();
                    if let Some(t) = terms.iter_mut().find(|(m, _)| m.is_empty()) {
                        t.1 = (t.1 - c).max(0.0);
                    }
                    Sym::Finite {
                        poly: Poly::normalize(terms),
                    }
                }
                None => self.add(&Sym::num(-c)),
            },
            Sym::Unbounded { .. } => self.clone(),
        }
    }

    /// The value for given input lengths and values; `None` when an input is unknown.
    pub fn eval(&self, lookup: &dyn Fn(&Atom) -> Option<f64>) -> Option<f64> {
        match self {
            Sym::Finite { poly } => poly.eval(lookup),
            Sym::Unbounded { .. } => Some(f64::INFINITY),
        }
    }
}

fn fmt_num(f: &mut fmt::Formatter<'_>, c: f64) -> fmt::Result {
    if c.fract() == 0.0 && c.abs() < 1e15 {
        write!(f, "{}", c as i64)
    } else {
        write!(f, "{}", (c * 100.0).round() / 100.0)
    }
}

impl fmt::Display for Atom {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Atom::Len(p) => write!(f, "|{p}|"),
            Atom::Val(p) => write!(f, "{p}"),
            Atom::Int(p) => write!(f, "int({p})"),
            Atom::Max(ps) | Atom::Min(ps) => {
                f.write_str(if matches!(self, Atom::Max(_)) {
                    "max("
                } else {
                    "min("
                })?;
                for (i, p) in ps.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{p}")?;
                }
                f.write_str(")")
            }
        }
    }
}

impl fmt::Display for Poly {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.terms.is_empty() {
            return f.write_str("0");
        }
        // Constants last reads more naturally for sizes: `3·|args.files| + 1`? Convention in
        // the docs is constant first: `1 + 3·|args.files|`.
        for (i, (m, c)) in self.terms.iter().enumerate() {
            if i > 0 {
                f.write_str(" + ")?;
            }
            if m.is_empty() {
                fmt_num(f, *c)?;
                continue;
            }
            if *c != 1.0 {
                fmt_num(f, *c)?;
                f.write_str("·")?;
            }
            for (j, a) in m.iter().enumerate() {
                if j > 0 {
                    f.write_str("·")?;
                }
                write!(f, "{a}")?;
            }
        }
        Ok(())
    }
}

impl fmt::Display for Sym {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Sym::Finite { poly } => write!(f, "{poly}"),
            Sym::Unbounded { .. } => f.write_str("∞"),
        }
    }
}

/// A count with a guaranteed minimum and a symbolic maximum.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// At least this many, whatever the data (assuming no agent call fails).
    pub lo: u64,
    /// At most this many.
    pub hi: Sym,
}

impl Count {
    pub fn zero() -> Count {
        Count::exact(0)
    }

    pub fn one() -> Count {
        Count::exact(1)
    }

    pub fn exact(n: u64) -> Count {
        Count {
            lo: n,
            hi: Sym::num(n as f64),
        }
    }

    pub fn at_most(hi: Sym) -> Count {
        Count { lo: 0, hi }
    }

    pub fn add(&self, o: &Count) -> Count {
        Count {
            lo: self.lo.saturating_add(o.lo),
            hi: self.hi.add(&o.hi),
        }
    }

    pub fn mul(&self, o: &Count) -> Count {
        Count {
            lo: self.lo.saturating_mul(o.lo),
            hi: self.hi.mul(&o.hi),
        }
    }

    /// The bounds of a value that is one of the two.
    pub fn join(&self, o: &Count) -> Count {
        Count {
            lo: self.lo.min(o.lo),
            hi: self.hi.max(&o.hi),
        }
    }

    pub fn maybe(&self) -> Count {
        Count {
            lo: 0,
            hi: self.hi.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Sym {
        Sym::len_of("args.files")
    }

    #[test]
    fn a_min_or_max_with_a_bound_absorbs_into_it() {
        // `x` joined with `x.slice(0, 39)` is `x`; cutting it again gives the same cut.
        let cut = files().min(&Sym::num(39.0));
        assert_eq!(files().max(&cut), files());
        assert_eq!(cut.max(&files()), files());
        assert_eq!(cut.min(&Sym::num(39.0)), cut);
        let either = files().max(&Sym::value_of("args.n"));
        assert_eq!(either.min(&files()), files());
        assert_eq!(files().min(&either), files());
    }

    #[test]
    fn polynomials_merge_and_print() {
        let s = Sym::one().add(&files().scale(3.0));
        assert_eq!(s.to_string(), "1 + 3·|args.files|");
        let t = s.add(&files());
        assert_eq!(t.to_string(), "1 + 4·|args.files|");
        let u = Sym::num(2.0).add(&Sym::len_of("TESTS")).scale(4.0);
        assert_eq!(u.to_string(), "8 + 4·|TESTS|");
    }

    #[test]
    fn unbounded_absorbs_except_times_zero() {
        let inf = Sym::unbounded(Span::new(0, 1), "loop");
        assert!(!files().add(&inf).is_finite());
        assert!(inf.mul(&Sym::zero()).is_zero());
        assert_eq!(inf.min(&Sym::num(50.0)).as_constant(), Some(50.0));
    }

    #[test]
    fn max_keeps_the_dominating_side() {
        let a = Sym::one().add(&files());
        assert_eq!(a.max(&files()), a);
        assert_eq!(Sym::num(2.0).max(&Sym::num(5.0)).as_constant(), Some(5.0));
        let m = files().max(&Sym::num(2.0));
        assert_eq!(m.to_string(), "max(|args.files|, 2)");
        assert_eq!(
            m.min(&Sym::num(50.0)).to_string(),
            "min(max(|args.files|, 2), 50)"
        );
    }

    #[test]
    fn exploding_products_give_up_instead_of_growing() {
        let mut n = Sym::one();
        for i in 0..12 {
            let sum = Sym::len_of(&format!("a{i}")).add(&Sym::len_of(&format!("b{i}")));
            n = n.mul(&sum);
        }
        assert!(!n.is_finite());
    }

    /// The shortcuts for a constant operand give exactly what merging the terms gives.
    #[test]
    fn constant_shortcuts_match_the_general_product_and_sum() {
        let general_add = |a: &Poly, b: &Poly| {
            Poly::normalize(a.terms.iter().chain(b.terms.iter()).cloned().collect())
        };
        let general_mul = |a: &Poly, b: &Poly| {
            let mut terms = Vec::new();
            for (ma, ca) in a.terms.iter() {
                for (mb, cb) in b.terms.iter() {
                    terms.push((ma.iter().chain(mb).cloned().collect(), ca * cb));
                }
            }
            Poly::normalize(terms)
        };
        let len = |p: &str| Poly::atom(Atom::Len(p.into()));
        let polys = [
            len("args.files"),
            len("args.files").add(&len("args.tests")),
            Poly::constant(2.0).add(&len("b").mul(&len("a"))),
            Poly::constant(-3.0).add(&len("z")),
        ];
        for p in &polys {
            for c in [0.0, 1.0, 3.0, 0.5, -2.0, 3.5] {
                let k = Poly::constant(c);
                assert_eq!(p.add(&k), general_add(p, &k), "{p:?} + {c}");
                assert_eq!(k.add(p), general_add(&k, p), "{c} + {p:?}");
                assert_eq!(p.mul(&k), general_mul(p, &k), "{p:?} · {c}");
                assert_eq!(k.mul(p), general_mul(&k, p), "{c} · {p:?}");
            }
        }
    }

    #[test]
    fn evaluates_with_inputs() {
        let s = Sym::one().add(&files().scale(3.0));
        let v = s.eval(&|a| match a {
            Atom::Len(p) if &**p == "args.files" => Some(10.0),
            _ => None,
        });
        assert_eq!(v, Some(31.0));
    }
}
