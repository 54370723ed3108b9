//! The abstract interpreter: runs the IR over abstract values ([`Val`]) and builds the [`Plan`].
//!
//! Soundness strategy, in short:
//! - a binding written in more than one place reads as the join of everything ever written to it
//!   (collected over the whole program in the previous pass), so loops and closures need no
//!   special casing;
//! - arrays, sets and objects carry the places that created them ("allocations"); every `push`,
//!   `add` or field write is recorded against them, multiplied by how often the code runs, and a
//!   created array's length includes all the growth recorded for its allocation;
//! - reads see the previous pass's heap joined with this pass's writes so far; a pass none of
//!   whose heap reads is changed by a later write of the same pass read, every time, a value
//!   covering every write: it is a fixpoint on its own (scripts that fill accumulators before
//!   reading them need one pass);
//! - a binding declared with a fresh array, set or map (`const results = []`) gets its growth when
//!   it is read, not when it is declared, and `results.push(x)` records growth without reading it;
//! - counters (`let n = 0`, then only `n++`, `n += 2` or `n = 0`) are accumulators too: each
//!   increment records its step times how often it runs, and a read is at most the largest
//!   literal plus all of that growth;
//! - otherwise the passes repeat until nothing changes (at most [`MAX_PASSES`]); what still grows
//!   after that is unbounded.
//!
//! Function bodies are evaluated at each call, with the caller's multiplier; recursion, escaping
//! callbacks and unbounded loops make counts unbounded, with the reason recorded.

mod builtins;
mod call;
mod expr;
mod facts;
mod guards;
mod loops;
mod refine;
mod schema;
mod stmt;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::rc::Rc;

use wfc_ir::{BindingId, ScopeId, Span, Workflow};

use super::plan::Plan;
use super::sym::{Count, Reason, Sym};
use super::value::Val;
use facts::Facts;

use crate::dense::Dense;
use crate::fxhash::{HashMap, HashSet};
use crate::index::ExprIndex;

/// Passes before still-growing quantities are declared unbounded.
const MAX_PASSES: usize = 4;
/// Evaluation steps per pass: hostile or huge inputs stop here, with unbounded results.
const STEP_BUDGET: u64 = 2_000_000;

/// Why counts are unbounded once [`STEP_BUDGET`] is spent.
pub const STOPPED: &str =
    "the analysis stopped here: the script is too large or too intricate to analyse fully";

/// What to do about [`STOPPED`]; it names [`STEP_BUDGET`], so the two are kept side by side.
pub const STOPPED_HELP: &str = "the analysis gives up after 2,000,000 steps: look for helpers that call one another several times over (the work multiplies at every level), or split the workflow";

/// Where a `parallel()`/`pipeline()` call was seen and how wide it got.
#[derive(Debug, Clone, PartialEq)]
pub struct FanCall {
    pub span: Span,
    pub pipeline: bool,
    pub width: Count,
}

/// What one evaluation of the workflow produced.
pub struct Outcome {
    pub plan: Plan,
    pub fans: Vec<FanCall>,
    /// Reasons something is unbounded that are not tied to a fan-out or a loop in the plan
    /// (child workflows, the analysis budget).
    pub untracked: Vec<Reason>,
    /// Whether each function's body was evaluated at least once, by the id of its scope.
    pub evaluated: Dense<ScopeId, bool>,
    /// Passes over the script it took to reach the fixpoint (each costs about one parse).
    pub passes: usize,
    /// Why no count can be trusted: the script changes a list or object from `args` in place,
    /// and every count read from `args` may be wrong.
    pub inputs_changed: Option<Reason>,
    /// Where the analysis ran out of steps: what it did not evaluate is not counted at all, so no
    /// count, width or demand is a bound.
    pub stopped: Option<Reason>,
}

/// Flow-insensitive facts carried from one pass to the next.
#[derive(Debug, Default, Clone, PartialEq)]
struct Heap {
    /// The join of every value written to a reassigned binding.
    writes: HashMap<BindingId, Val>,
    /// Elements added to each allocation, already multiplied by how often the code ran.
    growth: HashMap<Alloc, Sym>,
    /// Values written to each allocation's fields (`*` for computed keys).
    fields: HashMap<Alloc, BTreeMap<String, Val>>,
    /// The join of the elements added to each allocation.
    elems: HashMap<Alloc, Val>,
    /// Allocations something removes elements from (`splice`, `pop`, `length = n`): their
    /// guaranteed minimum length is 0.
    shrunk: HashSet<Alloc>,
}

impl Heap {
    fn join(&self, o: &Heap) -> Heap {
        let mut h = self.clone();
        for (k, v) in &o.writes {
            let e = h.writes.entry(*k).or_insert_with(|| v.clone());
            *e = e.join(v);
        }
        for (k, v) in &o.growth {
            let e = h.growth.entry(k.clone()).or_insert_with(Sym::zero);
            *e = e.max(v);
        }
        for (k, fs) in &o.fields {
            let e = h.fields.entry(k.clone()).or_default();
            for (f, v) in fs {
                let x = e.entry(f.clone()).or_insert_with(|| v.clone());
                *x = x.join(v);
            }
        }
        for (k, v) in &o.elems {
            let e = h.elems.entry(k.clone()).or_insert_with(|| v.clone());
            *e = e.join(v);
        }
        h.shrunk.extend(o.shrunk.iter().cloned());
        h
    }

    /// Declares unbounded whatever still changed between two passes.
    fn widen(&self, newer: &Heap) -> Heap {
        let mut h = newer.clone();
        for (k, v) in &newer.writes {
            if self.writes.get(k) != Some(v) {
                h.writes.insert(*k, Val::Top);
            }
        }
        for (k, v) in &newer.growth {
            if self.growth.get(k) != Some(v) {
                let why = if k.is_counter() {
                    "the counter keeps growing: each pass of the analysis finds the loops that increment it running more often"
                } else {
                    "it keeps growing: each pass of the analysis adds more elements"
                };
                h.growth.insert(k.clone(), Sym::unbounded(k.span, why));
            }
        }
        for (k, v) in &newer.elems {
            if self.elems.get(k) != Some(v) {
                h.elems.insert(k.clone(), Val::Top);
            }
        }
        for (k, fs) in &newer.fields {
            if self.fields.get(k) != Some(fs) {
                let e = h.fields.entry(k.clone()).or_default();
                for v in e.values_mut() {
                    *v = Val::Top;
                }
            }
        }
        h
    }
}

pub(super) struct Interp<'w> {
    text: &'w str,
    facts: &'w Facts<'w>,
    prev: Heap,
    next: Heap,
    /// The current value of each binding, indexed by its id.
    env: Vec<Option<Val>>,
    /// Functions being evaluated (recursion makes counts unbounded).
    stack: Vec<ScopeId>,
    /// The plan items of the code evaluated so far, innermost capture last.
    plan: Vec<PlanBuf>,
    /// How many times the code being evaluated runs.
    mult: Count,
    /// Values returned by the functions being evaluated.
    returns: Vec<Vec<Val>>,
    /// The statement being evaluated may leave its block early.
    exits: bool,
    /// The statement just evaluated never completes normally: it returns, throws, breaks or
    /// continues on every path the values leave possible (an `if` whose known test rules out the
    /// path that would complete counts). The statements after it in its list never run.
    dead_after: bool,
    fans: Vec<FanCall>,
    untracked: Vec<Reason>,
    evaluated: Dense<ScopeId, bool>,
    steps: u64,
    args: Val,
    /// Exact numbers bindings were declared with (the start of round counters).
    decl_values: Dense<BindingId, Option<f64>>,
    /// Functions found to call themselves: their outermost call repeats without a bound.
    recursive: HashSet<ScopeId>,
    /// One undo log per branch being evaluated: each binding change and the value it replaced.
    journal: Vec<Vec<(BindingId, Option<Val>)>>,
    /// Heap facts this pass has read (bindings' writes; allocations' growth, elements and
    /// fields). Reads see the previous pass's heap joined with this pass's writes so far.
    read_bindings: Dense<BindingId, bool>,
    read_allocs: HashSet<Alloc>,
    /// A heap fact changed after this pass had read it. A pass that stays stable read, every
    /// time, a value covering every write of the pass: it is a fixpoint, and no further pass is
    /// needed.
    unstable: bool,
    /// Bindings declared with a fresh array, set or map (`const results = []`): the heap's
    /// growth for the allocation is applied when the binding is read, not when it is declared,
    /// so an accumulator pushed to before it is read converges in one pass.
    lazy: HashMap<BindingId, Alloc>,
    /// The allocation site whose heap facts the declaration being evaluated defers.
    defer: Option<Span>,
    /// The call being evaluated as an expression statement: its value is discarded.
    discarded_call: Option<Span>,
    /// The workflow's top-level statements: a `return` or `throw` there ends the run.
    top_level: &'w [wfc_ir::Stmt],
    /// The first change in place of a value from `args` ([`Outcome::inputs_changed`]).
    inputs_changed: Option<Reason>,
    /// Where the step budget ran out ([`Outcome::stopped`]).
    stopped: Option<Reason>,
    /// The closures' captures ([`Facts::captured`]) declared so far in this pass.
    declared: Dense<BindingId, bool>,
}

/// What one branch changed: binding, value before the branch (if any), value after it.
pub(super) type Changes = Vec<(BindingId, Option<Val>, Val)>;

pub use super::value::Alloc;

/// Evaluates the workflow to a fixpoint and returns the last pass's plan.
pub fn run(w: &Workflow, text: &str, args: Option<&serde_json::Value>) -> Outcome {
    run_indexed(w, &ExprIndex::of(w), text, args)
}

/// [`run`], with the workflow's node lists already gathered ([`ExprIndex::of`] `w`).
pub fn run_indexed(
    w: &Workflow,
    index: &ExprIndex<'_>,
    text: &str,
    args: Option<&serde_json::Value>,
) -> Outcome {
    let facts = Facts::gather(w, index);
    let args = match args {
        Some(v) => super::value::from_json(v),
        None => Val::Input("args".into()),
    };
    let mut heap = Heap::default();
    let mut pass = 1;
    loop {
        let mut it = Interp::new(text, &facts, heap.clone(), args.clone(), w);
        it.eval_script(w);
        let next = heap.join(&it.next);
        if !it.unstable || next == heap || pass == MAX_PASSES {
            return it.finish(pass);
        }
        // Before the last pass, whatever still changes is declared unbounded, so the last pass
        // reads a heap that covers every execution.
        heap = if pass + 1 == MAX_PASSES {
            heap.widen(&next)
        } else {
            next
        };
        pass += 1;
    }
}

/// The plan items one capture has emitted so far. Most captures (a call, an agent) emit one
/// item: it is kept as it is, with no vector allocated for it.
enum PlanBuf {
    Empty,
    One(Plan),
    Many(Vec<Plan>),
}

impl PlanBuf {
    /// Appends an item, flattening a sequence into its items.
    fn push(&mut self, p: Plan) {
        match p {
            Plan::Seq { items } => {
                for p in items {
                    self.push(p);
                }
            }
            p => match std::mem::replace(self, PlanBuf::Empty) {
                PlanBuf::Empty => *self = PlanBuf::One(p),
                PlanBuf::One(q) => *self = PlanBuf::Many(vec![q, p]),
                PlanBuf::Many(mut v) => {
                    v.push(p);
                    *self = PlanBuf::Many(v);
                }
            },
        }
    }

    fn into_plan(self) -> Plan {
        match self {
            PlanBuf::Empty => Plan::empty(),
            PlanBuf::One(p) => p,
            PlanBuf::Many(v) => Plan::seq(v),
        }
    }
}

impl<'w> Interp<'w> {
    /// `w` sizes the tables indexed by binding and scope id.
    fn new(text: &'w str, facts: &'w Facts<'w>, prev: Heap, args: Val, w: &Workflow) -> Self {
        let bindings = w.bindings.len();
        Interp {
            text,
            facts,
            prev,
            next: Heap::default(),
            env: vec![None; bindings],
            stack: Vec::new(),
            plan: vec![PlanBuf::Empty],
            mult: Count::one(),
            returns: vec![Vec::new()],
            exits: false,
            dead_after: false,
            fans: Vec::new(),
            untracked: Vec::new(),
            evaluated: Dense::new(w.scopes.len()),
            steps: 0,
            args,
            decl_values: Dense::new(bindings),
            journal: Vec::new(),
            recursive: HashSet::default(),
            read_bindings: Dense::new(bindings),
            // Every array a script builds is read: room for a typical script's, grown rarely.
            read_allocs: HashSet::with_capacity_and_hasher(32, Default::default()),
            unstable: false,
            lazy: HashMap::default(),
            defer: None,
            discarded_call: None,
            top_level: &[],
            inputs_changed: None,
            stopped: None,
            declared: Dense::new(bindings),
        }
    }

    fn finish(mut self, passes: usize) -> Outcome {
        let plan = self.plan.pop().map_or_else(Plan::empty, PlanBuf::into_plan);
        Outcome {
            plan,
            fans: self.fans,
            untracked: self.untracked,
            evaluated: self.evaluated,
            passes,
            inputs_changed: self.inputs_changed,
            stopped: self.stopped,
        }
    }

    fn eval_script(&mut self, w: &'w Workflow) {
        self.top_level = &w.body;
        self.eval_stmts(&w.body);
    }

    /// Counts one step; `false` once the budget is spent (the rest is then unbounded).
    #[inline]
    fn step(&mut self, span: Span) -> bool {
        self.steps += 1;
        if self.steps >= STEP_BUDGET {
            return self.out_of_steps(span);
        }
        true
    }

    /// The step budget is spent: the first time, say where the analysis stopped.
    #[cold]
    #[inline(never)]
    fn out_of_steps(&mut self, span: Span) -> bool {
        if self.steps == STEP_BUDGET {
            let reason = Reason {
                span,
                why: STOPPED.into(),
            };
            self.untracked.push(reason.clone());
            self.stopped = Some(reason);
        }
        false
    }

    /// Appends to the plan being built.
    fn emit(&mut self, p: Plan) {
        if p.is_empty() {
            return;
        }
        if let Some(cur) = self.plan.last_mut() {
            cur.push(p);
        }
    }

    /// Runs `f` with a fresh plan and returns what it produced and the plan it built.
    fn capture<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> (R, Plan) {
        self.plan.push(PlanBuf::Empty);
        let r = f(self);
        let p = self.plan.pop().map_or_else(Plan::empty, PlanBuf::into_plan);
        (r, p)
    }

    /// Runs `f` as code that executes `count` times per execution of the current code.
    fn repeated<R>(&mut self, count: &Count, f: impl FnOnce(&mut Self) -> R) -> (R, Plan) {
        let m = self.mult.mul(count);
        let saved = std::mem::replace(&mut self.mult, m);
        let r = self.capture(f);
        self.mult = saved;
        r
    }

    /// Runs `f` over code that never runs (a branch a known test rules out): what it returns is
    /// dropped. It is still evaluated as code that may run, so that plans with and without
    /// `--args` list the same sites; its effects on bindings are dropped by the caller's
    /// [`Interp::branch`].
    fn unreturned<R>(&mut self, dead: bool, f: impl FnOnce(&mut Self) -> R) -> R {
        let mark = self.returns.last().map_or(0, Vec::len);
        let r = f(self);
        if dead {
            if let Some(rs) = self.returns.last_mut() {
                rs.truncate(mark);
            }
        }
        r
    }

    /// Runs `f` as code that may not run at all (a branch).
    fn optional<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> (R, Plan) {
        let m = self.mult.maybe();
        let saved = std::mem::replace(&mut self.mult, m);
        let r = self.capture(f);
        self.mult = saved;
        r
    }

    /// The source text of a span, on one line and shortened, for messages.
    fn source(&self, span: Span) -> String {
        let s = self
            .text
            .get(span.start as usize..span.end as usize)
            .unwrap_or("");
        let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if one_line.chars().count() > 48 {
            format!("{}…", one_line.chars().take(47).collect::<String>())
        } else {
            one_line
        }
    }

    /// Reads a binding: reassigned bindings read as everything ever written to them.
    fn read(&mut self, b: BindingId) -> Val {
        let v = self.env_get(b).cloned().unwrap_or(Val::Undefined);
        if !self.lazy.is_empty() {
            if let Some(a) = self.lazy.get(&b).cloned() {
                return self.grown(&a, v);
            }
        }
        if !self.facts.reassigned.contains(&b) {
            // A closure's read: the binding may hold any value declared for it.
            let i = b.0 as usize;
            let from_closure = self.facts.captured.get(i) == Some(&true)
                && self.facts.declared_in.get(i).map(Option::as_ref) != Some(self.stack.last());
            if !from_closure {
                return v;
            }
        }
        self.read_bindings.set(b, true);
        let v = match self.prev.writes.get(&b) {
            Some(w) => v.join(w),
            None => v,
        };
        let v = match self.next.writes.get(&b) {
            Some(w) => v.join(w),
            None => v,
        };
        match self.facts.counters.get(&b) {
            Some(c) => {
                let g = self.growth_of(&c.growth);
                if g.is_zero() {
                    v
                } else {
                    v.join(&Val::num_at_most(Sym::num(c.top).add(&g)))
                }
            }
            None => v,
        }
    }

    /// `n++` or `n += k` on a counter (see `Facts::counters`): records the increment, times how
    /// often this code runs, as the counter's growth. The value is only read, which the growth
    /// covers, when the expression's result is used.
    pub(super) fn count_up(&mut self, b: BindingId, step: f64, span: Span) -> Option<Val> {
        let c = self.facts.counters.get(&b)?;
        let amount = self.mult.hi.mul(&Sym::num(step));
        self.add_growth(c.growth.clone(), &amount);
        if self.discarded_call == Some(span) {
            return Some(Val::Undefined);
        }
        Some(self.read(b))
    }

    /// Writes a binding (a reassignment, not its declaration).
    fn write(&mut self, b: BindingId, v: Val) {
        let watched = self.read_bindings.get(b);
        self.unstable |=
            join_fact(self.next.writes.get_mut(&b), &v, watched).unwrap_or_else(|| {
                self.next.writes.insert(b, v.clone());
                watched
            });
        self.set_env(b, v);
    }

    /// A binding's current value, if it has one.
    pub(super) fn env_get(&self, b: BindingId) -> Option<&Val> {
        self.env.get(b.0 as usize).and_then(Option::as_ref)
    }

    fn env_slot(&mut self, b: BindingId) -> &mut Option<Val> {
        let i = b.0 as usize;
        if i >= self.env.len() {
            self.env.resize(i + 1, None);
        }
        &mut self.env[i]
    }

    /// Sets a binding's current value, logging the old one for the branch being evaluated.
    pub(super) fn set_env(&mut self, b: BindingId, v: Val) {
        let old = self.env_slot(b).replace(v);
        if let Some(log) = self.journal.last_mut() {
            log.push((b, old));
        }
    }

    /// Evaluates `f` as one branch of a choice: its binding changes are undone afterwards and
    /// returned, to be merged with the other branches' by [`Interp::merge`].
    pub(super) fn branch<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> (R, Changes) {
        self.journal.push(Vec::new());
        let r = f(self);
        let log = self.journal.pop().unwrap_or_default();
        let mut changes: Changes = Vec::new();
        for (b, old) in &log {
            if !changes.iter().any(|(x, _, _)| x == b) {
                let new = self.env_get(*b).cloned().unwrap_or(Val::Undefined);
                changes.push((*b, old.clone(), new));
            }
        }
        for (b, old) in log.into_iter().rev() {
            *self.env_slot(b) = old;
        }
        (r, changes)
    }

    /// Joins what the branches did. `fallthrough`: the code may also have taken none of them.
    pub(super) fn merge(&mut self, branches: Vec<Changes>, fallthrough: bool) {
        let mut bindings: Vec<BindingId> = Vec::new();
        for ch in &branches {
            for (b, _, _) in ch {
                if !bindings.contains(b) {
                    bindings.push(*b);
                }
            }
        }
        for b in bindings {
            let original = self.env_get(b).cloned();
            let mut joined: Option<Val> = if fallthrough { original.clone() } else { None };
            for ch in &branches {
                let v = match ch.iter().find(|(x, _, _)| *x == b) {
                    Some((_, _, new)) => new.clone(),
                    None => original.clone().unwrap_or(Val::Undefined),
                };
                joined = Some(match joined {
                    Some(j) => j.join(&v),
                    None => v,
                });
            }
            if let Some(v) = joined {
                self.set_env(b, v);
            }
        }
    }

    fn declare(&mut self, b: BindingId, v: Val) {
        if let Some(n) = v.exact_num() {
            self.decl_values.set(b, Some(n));
        }
        // A closure's capture declared again (`Facts::captured`): the closures made before may
        // still run, so both values are recorded like writes. A binding declared once per pass
        // (a script-level `const`) keeps its one value and costs no pass.
        if self.facts.captured.get(b.0 as usize) == Some(&true)
            && std::mem::replace(self.declared.at(b), true)
        {
            let watched = self.read_bindings.get(b);
            let old = self.env_get(b).cloned();
            for value in old.iter().chain(std::iter::once(&v)) {
                self.unstable |= join_fact(self.next.writes.get_mut(&b), value, watched)
                    .unwrap_or_else(|| {
                        self.next.writes.insert(b, value.clone());
                        watched
                    });
            }
        }
        self.set_env(b, v);
    }

    /// Records that `added` elements like `elem` join the value's allocations, each time the
    /// code runs.
    fn grow(&mut self, v: &Val, added: &Sym, elem: &Val) {
        let amount = self.mult.hi.mul(added);
        for a in v.allocs() {
            let watched = self.add_growth(a.clone(), &amount);
            self.unstable |=
                join_fact(self.next.elems.get_mut(a), elem, watched).unwrap_or_else(|| {
                    self.next.elems.insert(a.clone(), elem.clone());
                    watched
                });
        }
    }

    /// Records that a write with a computed key may add `added` keys to the object's
    /// allocations, each time the code runs (`Obj::key_bound`).
    pub(super) fn grow_keys(&mut self, v: &Val, added: &Sym) {
        let amount = self.mult.hi.mul(added);
        for a in v.allocs() {
            self.add_growth(a.keys(), &amount);
        }
    }

    /// Adds `amount` to the growth recorded under `key` (an array's pushes, an object's keys, a
    /// counter's increments). Returns whether this pass already read it; if so, and it grew,
    /// the pass is not a fixpoint.
    fn add_growth(&mut self, key: Alloc, amount: &Sym) -> bool {
        let watched = self.read_allocs.contains(&key);
        if watched && !amount.is_zero() {
            self.unstable = true;
        }
        let e = self.next.growth.entry(key).or_insert_with(Sym::zero);
        *e = e.add(amount);
        watched
    }

    /// Records that elements may be removed from the value's allocations.
    pub(super) fn shrink(&mut self, v: &Val) {
        for a in v.allocs() {
            if self.next.shrunk.insert(a.clone())
                && self.read_allocs.contains(a)
                && !self.prev.shrunk.contains(a)
            {
                self.unstable = true;
            }
        }
    }

    fn note_read(&mut self, a: &Alloc) {
        // Most reads are of an allocation already read: one lookup, and no clone, for those.
        if !self.read_allocs.contains(a) {
            self.read_allocs.insert(a.clone());
        }
    }

    /// The growth recorded for an allocation: in the previous pass, or so far in this one.
    fn growth_of(&mut self, a: &Alloc) -> Sym {
        self.note_read(a);
        match (self.prev.growth.get(a), self.next.growth.get(a)) {
            (Some(p), Some(n)) => p.max(n),
            (Some(g), None) | (None, Some(g)) => g.clone(),
            (None, None) => Sym::zero(),
        }
    }

    /// The join of the elements added to an allocation, if any were.
    fn added_elems(&mut self, a: &Alloc) -> Option<Val> {
        self.note_read(a);
        match (self.prev.elems.get(a), self.next.elems.get(a)) {
            (Some(p), Some(n)) => Some(p.join(n)),
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        }
    }

    /// An element value that includes everything ever added to the allocation.
    fn grown_elem(&mut self, a: &Alloc, elem: Val) -> Val {
        let added = self.added_elems(a);
        with_added(elem, added)
    }

    /// The fields written to an allocation, each the join of the values written.
    fn written_fields(&mut self, a: &Alloc) -> Option<BTreeMap<String, Val>> {
        self.note_read(a);
        match (self.prev.fields.get(a), self.next.fields.get(a)) {
            (Some(p), Some(n)) => {
                let mut all = p.clone();
                for (k, v) in n {
                    let e = all.entry(k.clone()).or_insert_with(|| v.clone());
                    *e = e.join(v);
                }
                Some(all)
            }
            (Some(x), None) | (None, Some(x)) => Some(x.clone()),
            (None, None) => None,
        }
    }

    /// A value from `args` changed in place (`args.files.push(x)`, `args.files = …`). The
    /// analysis reads `args` afresh at every use and has nowhere to record the change, so the
    /// run's count is no longer tracked.
    fn input_changed(&mut self, v: &Val, span: Span) {
        // Also a known `args` (`--args`), whose lists have no allocation to record growth on.
        let from_args = match v {
            Val::Input(_) => true,
            // Closed and without an allocation: read from JSON, as a known `args` is.
            Val::Obj(o) => o.allocs.is_empty() && (o.input.is_some() || !o.open),
            Val::Arr(a) => a.allocs.is_empty(),
            _ => false,
        };
        if from_args && self.inputs_changed.is_none() {
            self.inputs_changed = Some(Reason {
                span,
                why: "a list or object from `args` is changed in place, which the analysis does not follow; change a copy (`[...args.files]`, `{ ...args }`)".into(),
            });
        }
    }

    fn write_field(&mut self, obj: &Val, field: &str, v: &Val) {
        for a in obj.allocs().to_vec() {
            let watched = self.read_allocs.contains(&a);
            let e = self.next.fields.entry(a).or_default();
            self.unstable |= join_fact(e.get_mut(field), v, watched).unwrap_or_else(|| {
                e.insert(field.to_owned(), v.clone());
                watched
            });
        }
    }

    /// Applies the growth recorded for an array's allocation to the array.
    fn grow_array(&mut self, alloc: &Alloc, arr: &mut super::value::Arr) {
        if let Some(facts) = self.heap_facts(alloc) {
            facts.apply_to_array(arr);
        }
    }

    /// What the heap records for an allocation, read once. `None` when it records nothing.
    fn heap_facts(&mut self, a: &Alloc) -> Option<AllocFacts> {
        let shrunk = self.prev.shrunk.contains(a) || self.next.shrunk.contains(a);
        let recorded = shrunk
            || self.prev.growth.contains_key(a)
            || self.next.growth.contains_key(a)
            || self.prev.elems.contains_key(a)
            || self.next.elems.contains_key(a);
        if !recorded {
            self.note_read(a);
            return None;
        }
        Some(AllocFacts {
            growth: self.growth_of(a),
            shrunk,
            added: self.added_elems(a),
        })
    }

    /// Applies the growth recorded for a set's or map's allocation to it.
    pub(super) fn grow_coll(&mut self, alloc: &Alloc, c: &mut super::value::Coll) {
        if let Some(facts) = self.heap_facts(alloc) {
            facts.apply_to_coll(c);
        }
    }

    /// A lazily declared binding's value with its allocation's growth applied.
    fn grown(&mut self, alloc: &Alloc, v: Val) -> Val {
        let Some(facts) = self.heap_facts(alloc) else {
            return v;
        };
        if facts.growth.is_zero() && !facts.shrunk && facts.added.is_none() {
            return v;
        }
        match v {
            Val::Arr(arr) if arr.allocs.contains(alloc) => {
                let mut arr = Rc::unwrap_or_clone(arr);
                facts.apply_to_array(&mut arr);
                Val::Arr(Rc::new(arr))
            }
            Val::Set(mut c) if c.allocs.contains(alloc) => {
                facts.apply_to_coll(Rc::make_mut(&mut c));
                Val::Set(c)
            }
            Val::Map(mut c) if c.allocs.contains(alloc) => {
                facts.apply_to_coll(Rc::make_mut(&mut c));
                Val::Map(c)
            }
            other => other,
        }
    }

    /// Whether the declaration being evaluated defers the heap facts of the allocation at `span`
    /// (it is the declaration's own initializer); consumes the deferral.
    pub(super) fn deferred(&mut self, span: Span) -> bool {
        if self.defer == Some(span) {
            self.defer = None;
            true
        } else {
            false
        }
    }

    /// A fresh array created at `span`, its length including all growth recorded for it.
    fn new_array(&mut self, span: Span, mut arr: super::value::Arr) -> Val {
        let alloc = Alloc::at(span);
        if !self.deferred(span) {
            self.grow_array(&alloc, &mut arr);
        }
        arr.allocs.push(alloc);
        Val::Arr(Rc::new(arr))
    }
}

/// Joins `v` into an accumulated heap fact. `None` when there is none yet; otherwise whether the
/// fact changed, which is worked out only when it was already read (`watched`).
fn join_fact(fact: Option<&mut Val>, v: &Val, watched: bool) -> Option<bool> {
    let fact = fact?;
    if !watched {
        fact.join_into(v);
        return Some(false);
    }
    let before = fact.clone();
    fact.join_into(v);
    Some(*fact != before)
}

/// An element value joined with the elements added to its allocation, if any.
fn with_added(elem: Val, added: Option<Val>) -> Val {
    match added {
        Some(added) if matches!(elem, Val::Undefined) => added,
        Some(added) => elem.join(&added),
        None => elem,
    }
}

/// What the heap records for one allocation.
struct AllocFacts {
    growth: Sym,
    /// Something may remove elements from it: its guaranteed minimum length is 0.
    shrunk: bool,
    /// The join of the elements added to it.
    added: Option<Val>,
}

impl AllocFacts {
    fn apply_to_array(self, arr: &mut super::value::Arr) {
        if self.shrunk {
            arr.len.lo = 0;
            arr.items = None;
        }
        if !self.growth.is_zero() || self.added.is_some() {
            arr.items = None;
            arr.len = arr.len.add(&Count::at_most(self.growth));
            let elem = std::mem::replace(&mut *arr.elem, Val::Undefined);
            *arr.elem = with_added(elem, self.added);
        }
    }

    fn apply_to_coll(self, c: &mut super::value::Coll) {
        c.size = c.size.add(&Count::at_most(self.growth));
        let elem = std::mem::replace(&mut *c.elem, Val::Undefined);
        *c.elem = with_added(elem, self.added);
    }
}
