//! Run-time environments: one frame per entered scope, holding that scope's bindings.
//!
//! The lowering resolved every name to a [`BindingId`] declared in a [`ScopeId`]; a frame stores
//! the values of one scope's bindings in declaration order, so a lookup walks the frame chain to
//! the binding's scope and indexes the slot. `None` is a `let`/`const` in its temporal dead zone.

use std::cell::RefCell;
use std::rc::Rc;

use wfc_ir::{BindingId, BindingKind, ScopeId, Workflow};

use super::value::Value;

pub type Env = Rc<Frame>;

pub struct Frame {
    pub scope: ScopeId,
    pub vars: RefCell<Vec<Option<Value>>>,
    pub parent: Option<Env>,
}

/// Where each binding lives: its scope and its slot in that scope's frame.
pub struct Layout {
    slots: Vec<(ScopeId, u32)>,
    /// For each scope, the initial contents of a fresh frame (`var`s are `undefined`, lexical
    /// bindings are uninitialised).
    initial: Vec<Vec<Option<Value>>>,
}

impl Layout {
    pub fn new(wf: &Workflow) -> Layout {
        let mut slots = vec![(ScopeId(0), 0); wf.bindings.len()];
        let mut initial = Vec::with_capacity(wf.scopes.len());
        for (i, scope) in wf.scopes.iter().enumerate() {
            let mut init = Vec::with_capacity(scope.bindings.len());
            for (slot, b) in scope.bindings.iter().enumerate() {
                if let Some(s) = slots.get_mut(b.0 as usize) {
                    *s = (ScopeId(i as u32), slot as u32);
                }
                let kind = wf.bindings.get(b.0 as usize).map(|b| b.kind);
                init.push(match kind {
                    Some(BindingKind::Var | BindingKind::Param | BindingKind::Function) => {
                        Some(Value::Undefined)
                    }
                    _ => None,
                });
            }
            initial.push(init);
        }
        Layout { slots, initial }
    }

    pub fn slot(&self, b: BindingId) -> (ScopeId, u32) {
        self.slots
            .get(b.0 as usize)
            .copied()
            .unwrap_or((ScopeId(u32::MAX), 0))
    }

    /// A fresh frame for `scope` under `parent`.
    pub fn frame(&self, scope: ScopeId, parent: Option<Env>) -> Env {
        let vars = self
            .initial
            .get(scope.0 as usize)
            .cloned()
            .unwrap_or_default();
        Rc::new(Frame {
            scope,
            vars: RefCell::new(vars),
            parent,
        })
    }

    /// Whether entering `scope` needs a frame (it declares something).
    pub fn has_bindings(&self, scope: ScopeId) -> bool {
        self.initial
            .get(scope.0 as usize)
            .is_some_and(|v| !v.is_empty())
    }
}

/// Finds the frame holding `scope`, starting at `env`.
pub fn find(env: &Env, scope: ScopeId) -> Option<&Env> {
    let mut cur = env;
    loop {
        if cur.scope == scope {
            return Some(cur);
        }
        cur = cur.parent.as_ref()?;
    }
}

/// A copy of a frame with the same values (the per-iteration copy of a `for (let …)` head).
pub fn copy_frame(env: &Env) -> Env {
    Rc::new(Frame {
        scope: env.scope,
        vars: RefCell::new(env.vars.borrow().clone()),
        parent: env.parent.clone(),
    })
}
