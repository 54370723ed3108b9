//! Promises and the microtask queue, with the job order of ECMAScript (and so of V8).
//!
//! A settled promise queues one job per reaction, in registration order; `await` registers a
//! reaction that resumes the awaiting task; resolving a promise with another promise (or a
//! thenable) takes the two extra ticks of `NewPromiseResolveThenableJob`. Agent calls started by
//! code woken in the same drain of the queue are therefore started in the order the JavaScript
//! runtime starts them.

use std::rc::Rc;

use super::value::{Kind, Obj, Value};
use super::{Cause, Rt, TaskId};

pub struct PromiseData {
    pub state: PromiseState,
    /// Set once `resolve` was called (possibly with a thenable that has not settled yet): later
    /// calls of the resolving functions are ignored.
    pub resolved: bool,
    pub reactions: Vec<Reaction>,
    /// The agents whose completion led to this promise settling (for the DAG's edges).
    pub cause: Cause,
    /// Whether a reaction was ever registered (an unobserved rejection is reported nowhere, as in
    /// the runtime; this is kept for diagnostics).
    pub handled: bool,
}

#[derive(Clone)]
pub enum PromiseState {
    Pending,
    Fulfilled(Value),
    Rejected(Value),
}

pub struct Reaction {
    pub kind: ReactionKind,
    /// The cause of the code that registered the reaction.
    pub cause: Cause,
}

/// A native reaction: called with the promise's outcome.
pub type NativeReaction = Rc<dyn Fn(&Rt, Result<Value, Value>)>;

pub enum ReactionKind {
    /// Resume a task suspended in `await`.
    Resume(TaskId),
    /// `promise.then(onFulfilled, onRejected)`: call the handler and settle `derived` with its
    /// result (handlers that are not functions pass the outcome through).
    Then {
        on_fulfilled: Value,
        on_rejected: Value,
        derived: Option<Obj>,
    },
    /// Settle another promise the same way (the resolve functions a thenable job passes to
    /// `then`).
    Forward(Obj),
    Native(NativeReaction),
}

pub enum Job {
    Reaction {
        kind: ReactionKind,
        outcome: Result<Value, Value>,
        cause: Cause,
    },
    /// `NewPromiseResolveThenableJob`: `thenable.then(resolve, reject)` for `promise`.
    ResolveThenable {
        promise: Obj,
        thenable: Value,
        then: Value,
        cause: Cause,
    },
}

impl PromiseData {
    pub fn pending() -> PromiseData {
        PromiseData {
            state: PromiseState::Pending,
            resolved: false,
            reactions: Vec::new(),
            cause: Cause::default(),
            handled: false,
        }
    }
}

impl Rt {
    pub fn new_promise(&self) -> Obj {
        Obj::new(Kind::Promise(PromiseData::pending()))
    }

    /// `Promise.resolve(v)`: `v` itself when it is a promise.
    pub fn promise_resolve(&self, v: Value) -> Obj {
        if let Value::Object(o) = &v {
            if o.is_promise() {
                return o.clone();
            }
        }
        let p = self.new_promise();
        self.resolve_promise(&p, v);
        p
    }

    pub fn rejected_promise(&self, e: Value) -> Obj {
        let p = self.new_promise();
        self.reject_promise(&p, e);
        p
    }

    pub fn promise_state(&self, p: &Obj) -> PromiseState {
        match &p.borrow().kind {
            Kind::Promise(d) => d.state.clone(),
            _ => PromiseState::Fulfilled(Value::Object(p.clone())),
        }
    }

    /// The promise resolve function: adopts the state of a thenable, otherwise fulfills.
    pub fn resolve_promise(&self, p: &Obj, v: Value) {
        if !self.mark_resolved(p) {
            return;
        }
        self.do_resolve(p, v);
    }

    /// Sets the promise's "already resolved" flag; false if it was set.
    fn mark_resolved(&self, p: &Obj) -> bool {
        let mut data = p.borrow_mut();
        let Kind::Promise(d) = &mut data.kind else {
            return false;
        };
        !std::mem::replace(&mut d.resolved, true)
    }

    fn do_resolve(&self, p: &Obj, v: Value) {
        if let Value::Object(o) = &v {
            if o.ptr_eq(p) {
                let e = self.type_error("Chaining cycle detected for promise #<Promise>");
                self.settle(p, Err(e));
                return;
            }
            let then = if o.is_promise() {
                Some(Value::Undefined)
            } else {
                match self.get(&v, "then") {
                    Ok(t) if t.is_callable() => Some(t),
                    Ok(_) => None,
                    Err(e) => {
                        self.settle(p, Err(e));
                        return;
                    }
                }
            };
            if let Some(then) = then {
                let cause = self.current_cause();
                self.enqueue(Job::ResolveThenable {
                    promise: p.clone(),
                    thenable: v,
                    then,
                    cause,
                });
                return;
            }
        }
        self.settle(p, Ok(v));
    }

    /// The promise reject function.
    pub fn reject_promise(&self, p: &Obj, e: Value) {
        {
            let mut data = p.borrow_mut();
            let Kind::Promise(d) = &mut data.kind else {
                return;
            };
            if d.resolved {
                return;
            }
            d.resolved = true;
        }
        self.settle(p, Err(e));
    }

    /// Fulfills or rejects `p` now and queues its reactions.
    fn settle(&self, p: &Obj, outcome: Result<Value, Value>) {
        let cause = self.current_cause();
        let reactions = {
            let mut data = p.borrow_mut();
            let Kind::Promise(d) = &mut data.kind else {
                return;
            };
            if !matches!(d.state, PromiseState::Pending) {
                return;
            }
            d.state = match &outcome {
                Ok(v) => PromiseState::Fulfilled(v.clone()),
                Err(e) => PromiseState::Rejected(e.clone()),
            };
            d.cause = cause.clone();
            std::mem::take(&mut d.reactions)
        };
        for r in reactions {
            let cause = self.union_cause(&r.cause, &cause);
            self.enqueue(Job::Reaction {
                kind: r.kind,
                outcome: outcome.clone(),
                cause,
            });
        }
    }

    /// `PerformPromiseThen`: registers a reaction, or queues it at once if `p` has settled.
    pub fn perform_then(&self, p: &Obj, kind: ReactionKind) {
        let cause = self.current_cause();
        let settled = {
            let mut data = p.borrow_mut();
            let Kind::Promise(d) = &mut data.kind else {
                return;
            };
            d.handled = true;
            match &d.state {
                PromiseState::Pending => {
                    d.reactions.push(Reaction { kind, cause });
                    return;
                }
                PromiseState::Fulfilled(v) => (Ok(v.clone()), d.cause.clone(), kind),
                PromiseState::Rejected(e) => (Err(e.clone()), d.cause.clone(), kind),
            }
        };
        let (outcome, settle_cause, kind) = settled;
        let cause = self.union_cause(&cause, &settle_cause);
        self.enqueue(Job::Reaction {
            kind,
            outcome,
            cause,
        });
    }

    /// `promise.then(onFulfilled, onRejected)`: the derived promise.
    pub fn promise_then(&self, p: &Obj, on_fulfilled: Value, on_rejected: Value) -> Obj {
        let derived = self.new_promise();
        self.perform_then(
            p,
            ReactionKind::Then {
                on_fulfilled,
                on_rejected,
                derived: Some(derived.clone()),
            },
        );
        derived
    }

    /// Registers a native callback on `p` (host primitives use this for their bookkeeping).
    pub fn on_settled(&self, p: &Obj, f: impl Fn(&Rt, Result<Value, Value>) + 'static) {
        self.perform_then(p, ReactionKind::Native(Rc::new(f)));
    }

    /// Runs one job.
    pub(super) fn run_job(&self, job: Job) {
        match job {
            Job::Reaction {
                kind,
                outcome,
                cause,
            } => match kind {
                ReactionKind::Resume(task) => self.resume_task(task, cause),
                ReactionKind::Then {
                    on_fulfilled,
                    on_rejected,
                    derived,
                } => {
                    let saved = self.swap_cause(cause);
                    let (handler, value, ok) = match outcome {
                        Ok(v) => (on_fulfilled, v, true),
                        Err(e) => (on_rejected, e, false),
                    };
                    let result = if handler.is_callable() {
                        self.call(&handler, &Value::Undefined, &[value])
                    } else if ok {
                        Ok(value)
                    } else {
                        Err(value)
                    };
                    if let Some(d) = derived {
                        match result {
                            Ok(v) => self.resolve_promise(&d, v),
                            Err(e) => self.reject_promise(&d, e),
                        }
                    }
                    self.swap_cause(saved);
                }
                ReactionKind::Forward(p) => {
                    let saved = self.swap_cause(cause);
                    match outcome {
                        Ok(v) => self.do_resolve(&p, v),
                        Err(e) => self.settle(&p, Err(e)),
                    }
                    self.swap_cause(saved);
                }
                ReactionKind::Native(f) => {
                    let saved = self.swap_cause(cause);
                    f(self, outcome);
                    self.swap_cause(saved);
                }
            },
            Job::ResolveThenable {
                promise,
                thenable,
                then,
                cause,
            } => {
                let saved = self.swap_cause(cause);
                match &thenable {
                    Value::Object(o) if o.is_promise() && !then.is_callable() => {
                        self.perform_then(o, ReactionKind::Forward(promise));
                    }
                    _ => {
                        let (resolve, reject) = self.resolving_functions(&promise);
                        if let Err(e) = self.call(&then, &thenable, &[resolve, reject]) {
                            self.settle(&promise, Err(e));
                        }
                    }
                }
                self.swap_cause(saved);
            }
        }
    }

    /// The `resolve` and `reject` functions of `p`, as handed to an executor or to a thenable's
    /// `then`. They share one "already resolved" flag.
    pub fn resolving_functions(&self, p: &Obj) -> (Value, Value) {
        let done = Rc::new(std::cell::Cell::new(false));
        let (p1, d1) = (p.clone(), done.clone());
        let resolve = self.native_fn("resolve", move |rt, _, args| {
            if !d1.replace(true) {
                rt.do_resolve(&p1, args.first().cloned().unwrap_or_default());
            }
            Ok(Value::Undefined)
        });
        let p2 = p.clone();
        let reject = self.native_fn("reject", move |rt, _, args| {
            if !done.replace(true) {
                rt.settle(&p2, Err(args.first().cloned().unwrap_or_default()));
            }
            Ok(Value::Undefined)
        });
        (resolve, reject)
    }
}
