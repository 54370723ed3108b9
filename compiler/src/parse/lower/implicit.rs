//! Implicit globals: names a script assigns without declaring them (`note = 'x'`).
//!
//! The runtime compiles the body as an ordinary (sloppy-mode) function, so such an assignment
//! creates a global variable, and real scripts rely on it. Only a plain assignment creates one
//! (`=`, a destructuring assignment, a `for (x of …)` head): `x += 1` or `x++` read the name
//! first and throw while it does not exist yet. The lowering notes each such write as it meets
//! it ([`super::pattern::Write`]), so finding them costs no walk of its own.

use wfc_ir::{classify_global, GlobalKind, Name, Span};

/// The undeclared names written by plain assignments, as the lowering meets them.
#[derive(Default)]
pub(super) struct AssignedGlobals(Vec<(Name, Span)>);

impl AssignedGlobals {
    /// A plain assignment to the undeclared `name`. Built-ins and host names (`process = …`) are
    /// left to the rules that report them.
    pub(super) fn note(&mut self, name: &str, span: Span) {
        if classify_global(name) == GlobalKind::Unknown {
            self.0.push((name.into(), span));
        }
    }

    /// Each name once, with its first assignment in source order, in source order.
    pub(super) fn finish(mut self) -> Vec<(Name, Span)> {
        self.0.sort_by_key(|(_, span)| span.start);
        let mut seen = crate::fxhash::HashSet::default();
        self.0.retain(|(name, _)| seen.insert(name.clone()));
        self.0
    }
}
