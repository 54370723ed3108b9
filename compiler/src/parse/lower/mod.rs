//! AST → IR lowering: resolves names to scopes, turns closures into IR functions, recognises the
//! workflow primitives, and reports every construct outside the supported subset at its span.

mod expr;
mod hoist;
mod implicit;
mod pattern;
mod primitive;
mod stmt;

use crate::fxhash::HashMap;

use swc_ecma_ast as ast;
use wfc_ir::{
    AgentSite, Binding, BindingId, BindingKind, MetaDecl, Scope, ScopeId, ScopeKind, SiteId, Span,
    Stmt, StmtKind, Workflow,
};

use super::span_of;
use crate::diagnostic::Diagnostic;
use crate::rules::{forbidden_api, nesting_too_deep, unsupported_syntax};

/// Deepest statement/expression nesting lowered. Every later pass walks the IR recursively, so the
/// IR's depth is bounded here; real scripts stay well below a hundred.
pub const MAX_NESTING: u32 = 1_000;

pub fn lower(module: &ast::Module, text: &str, diagnostics: &mut Vec<Diagnostic>) -> Workflow {
    let before = diagnostics.len();
    let (w, implicit) = lower_with(module, text, diagnostics, &[]);
    // Names assigned without a declaration are globals once assigned (the body runs in sloppy
    // mode): lower again with them bound, so their uses resolve like any variable's.
    if implicit.is_empty() {
        return w;
    }
    diagnostics.truncate(before);
    lower_with(module, text, diagnostics, &implicit).0
}

fn lower_with(
    module: &ast::Module,
    text: &str,
    diagnostics: &mut Vec<Diagnostic>,
    implicit: &[(wfc_ir::Name, Span)],
) -> (Workflow, Vec<(wfc_ir::Name, Span)>) {
    let mut l = Lowerer::new(diagnostics, text.len());
    let span = Span::new(0, text.len() as u32);
    let script = l.push_scope(ScopeKind::Script, span);
    for (name, at) in implicit {
        l.declare(name, BindingKind::Implicit, *at);
    }
    l.hoist_module(&module.body);
    let mut meta = None;
    let mut body = Vec::with_capacity(module.body.len());
    for (i, item) in module.body.iter().enumerate() {
        match item {
            ast::ModuleItem::Stmt(s) => body.push(l.stmt(s)),
            ast::ModuleItem::ModuleDecl(decl) => {
                if let Some(stmt) = l.module_decl(decl) {
                    if is_meta(decl) && meta.is_none() {
                        meta = Some(MetaDecl {
                            span: stmt.span,
                            stmt: body.len(),
                            is_first: i == 0,
                        });
                    }
                    body.push(stmt);
                }
            }
        }
    }
    l.pop_scope(script);
    let w = Workflow {
        meta,
        body,
        scopes: l.scopes,
        bindings: l.bindings,
        sites: l.sites,
        unsupported: l.unsupported,
    };
    (w, l.assigned_globals.finish())
}

fn is_meta(decl: &ast::ModuleDecl) -> bool {
    meta_declarator(decl).is_some()
}

/// `export const meta = …` → its declarator.
fn meta_declarator(decl: &ast::ModuleDecl) -> Option<&ast::VarDeclarator> {
    let ast::ModuleDecl::ExportDecl(export) = decl else {
        return None;
    };
    let ast::Decl::Var(var) = &export.decl else {
        return None;
    };
    match var.decls.as_slice() {
        [d] => match &d.name {
            ast::Pat::Ident(id) if &*id.id.sym == "meta" => Some(d),
            _ => None,
        },
        _ => None,
    }
}

struct Frame {
    id: ScopeId,
    names: HashMap<wfc_ir::Name, BindingId>,
}

pub(super) struct Lowerer<'a> {
    diagnostics: &'a mut Vec<Diagnostic>,
    scopes: Vec<Scope>,
    bindings: Vec<Binding>,
    sites: Vec<AgentSite>,
    frames: Vec<Frame>,
    /// The name tables of popped frames, emptied, for the next frames to reuse: a script opens
    /// a scope per block and function, and growing a new table for each cost more than its
    /// lookups.
    spare_names: Vec<HashMap<wfc_ir::Name, BindingId>>,
    /// Innermost enclosing function scope (for agent sites).
    functions: Vec<ScopeId>,
    depth: u32,
    reported_depth: bool,
    /// Where `unsupported-syntax` was reported ([`Workflow::unsupported`]).
    unsupported: Vec<Span>,
    /// Undeclared names written by plain assignments.
    assigned_globals: implicit::AssignedGlobals,
}

impl<'a> Lowerer<'a> {
    /// `text_len` sizes the binding and scope tables: the fixtures have one binding per 60 to
    /// 230 bytes and one scope per 100 to 800, so few scripts outgrow the first allocation.
    fn new(diagnostics: &'a mut Vec<Diagnostic>, text_len: usize) -> Self {
        Lowerer {
            diagnostics,
            scopes: Vec::with_capacity(text_len / 128 + 4),
            bindings: Vec::with_capacity(text_len / 64 + 8),
            sites: Vec::new(),
            frames: Vec::new(),
            spare_names: Vec::new(),
            functions: Vec::new(),
            depth: 0,
            reported_depth: false,
            unsupported: Vec::new(),
            assigned_globals: implicit::AssignedGlobals::default(),
        }
    }

    fn report(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    fn unsupported(&mut self, span: Span, construct: &str) {
        self.unsupported.push(span);
        self.report(unsupported_syntax::diagnostic(span, construct));
    }

    /// Enters one more level of nesting; `false` (after reporting once) when the limit is passed.
    fn enter(&mut self, span: Span) -> bool {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            if !self.reported_depth {
                self.reported_depth = true;
                self.report(nesting_too_deep::diagnostic(span));
            }
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn push_scope(&mut self, kind: ScopeKind, span: Span) -> ScopeId {
        let id = ScopeId(self.scopes.len() as u32);
        self.scopes.push(Scope {
            kind,
            parent: self.frames.last().map(|f| f.id),
            span,
            bindings: Vec::new(),
        });
        self.frames.push(Frame {
            id,
            // Room for a block's or a callback's few names without growing.
            names: self
                .spare_names
                .pop()
                .unwrap_or_else(|| HashMap::with_capacity_and_hasher(8, Default::default())),
        });
        id
    }

    fn pop_scope(&mut self, id: ScopeId) {
        let frame = self.frames.pop();
        debug_assert_eq!(frame.as_ref().map(|f| f.id), Some(id));
        if let Some(mut frame) = frame {
            frame.names.clear();
            self.spare_names.push(frame.names);
        }
    }

    /// Declares `name` in the innermost scope (or the innermost function scope, for `var`).
    /// Re-declaring a name in the same scope reuses its binding, as `var` and functions do.
    fn declare(&mut self, name: &str, kind: BindingKind, span: Span) -> BindingId {
        let frame_index = if kind == BindingKind::Var {
            self.function_frame_index()
        } else {
            self.frames.len() - 1
        };
        let frame = &mut self.frames[frame_index];
        let name = wfc_ir::Name::from(name);
        let id = BindingId(self.bindings.len() as u32);
        match frame.names.entry(name.clone()) {
            std::collections::hash_map::Entry::Occupied(e) => return *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(id),
        };
        self.bindings.push(Binding {
            name,
            kind,
            scope: frame.id,
            span,
        });
        self.scopes[frame.id.0 as usize].bindings.push(id);
        id
    }

    fn function_frame_index(&self) -> usize {
        self.frames
            .iter()
            .rposition(|f| {
                matches!(
                    self.scopes[f.id.0 as usize].kind,
                    ScopeKind::Function | ScopeKind::Script
                )
            })
            .unwrap_or(0)
    }

    fn resolve(&self, name: &str) -> Option<BindingId> {
        self.frames
            .iter()
            .rev()
            .find_map(|f| f.names.get(name).copied())
    }

    fn new_site(&mut self, span: Span) -> SiteId {
        let id = SiteId(self.sites.len() as u32);
        self.sites.push(AgentSite {
            id,
            span,
            function: self.functions.last().copied(),
            label: None,
            phase: None,
            model: None,
            effort: None,
            prompt: None,
        });
        id
    }

    fn module_decl(&mut self, decl: &ast::ModuleDecl) -> Option<Stmt> {
        use ast::ModuleDecl as D;
        match decl {
            D::ExportDecl(export) if is_meta(decl) => {
                let span = span_of(export.span);
                if let ast::Decl::Var(v) = &export.decl {
                    if v.kind != ast::VarDeclKind::Const {
                        self.unsupported(
                            span,
                            "declaring meta with `let` or `var` (the runtime requires `export const meta`)",
                        );
                    }
                }
                let kind = self.var_decl_kind(&export.decl)?;
                Some(Stmt::new(span, kind))
            }
            D::Import(import) => {
                self.report(forbidden_api::import_declaration(span_of(import.span)));
                None
            }
            D::ExportDecl(export) => {
                self.unsupported(
                    span_of(export.span),
                    "an `export` other than `export const meta`",
                );
                None
            }
            D::ExportNamed(e) => {
                self.unsupported(span_of(e.span), "a named `export`");
                None
            }
            D::ExportDefaultDecl(e) => {
                self.unsupported(span_of(e.span), "`export default`");
                None
            }
            D::ExportDefaultExpr(e) => {
                self.unsupported(span_of(e.span), "`export default`");
                None
            }
            D::ExportAll(e) => {
                self.unsupported(span_of(e.span), "`export *`");
                None
            }
            other => {
                use swc_common::Spanned;
                self.unsupported(span_of(other.span()), "a TypeScript module declaration");
                None
            }
        }
    }

    fn var_decl_kind(&mut self, decl: &ast::Decl) -> Option<StmtKind> {
        match decl {
            ast::Decl::Var(var) => Some(self.var_decl(var)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use wfc_ir::{ExprKind, ScopeKind};

    /// Each read of a name in `body`, in source order, with the kind of scope its binding lives
    /// in and where that binding was declared.
    fn reads(body: &str) -> Vec<(String, ScopeKind, u32)> {
        let text = format!("export const meta = {{ name: 's', description: 'scopes' }}\n{body}\n");
        let (w, d) = crate::compile(&text);
        let w = w.expect("lowers");
        assert!(d.is_empty(), "{d:?}");
        let mut out: Vec<(u32, String, ScopeKind, u32)> = wfc_ir::visit::all_exprs(&w)
            .into_iter()
            .filter_map(|e| match &e.kind {
                ExprKind::Var { name, binding } => {
                    let b = &w.bindings[binding.0 as usize];
                    let scope = w.scopes[b.scope.0 as usize].kind;
                    Some((e.span.start, name.to_string(), scope, b.span.start))
                }
                _ => None,
            })
            .collect();
        out.sort_by_key(|r| r.0);
        out.into_iter().map(|(_, n, k, at)| (n, k, at)).collect()
    }

    #[test]
    fn names_resolve_to_the_innermost_open_declaration() {
        let body = "const x = 1\n{ const x = 2; log(x) }\nlog(x)\nfunction f() { if (x) { var y = 1 } return y }\nlet z = 0\n{ let z = 1; { var w = z } }\nlog(w, z)\nfor (let i = 0; i < 1; i++) { const i2 = i }\nconst i = 5\nlog(i)";
        let text_offset = "export const meta = { name: 's', description: 'scopes' }\n".len() as u32;
        let at = |needle: &str, nth: usize| -> u32 {
            body.match_indices(needle).nth(nth).expect("in the body").0 as u32 + text_offset
        };
        let got = reads(body);
        let expect = [
            ("x", at("x = 2", 0)), // the block's own `x`
            ("x", at("x = 1", 0)), // back to the script's
            ("x", at("x = 1", 0)), // inside `f`
            ("y", at("y = 1", 0)), // a `var` in a block belongs to the function
            ("z", at("z = 1", 0)), // the inner `let z`
            ("w", at("w = z", 0)), // a `var` in nested blocks belongs to the script
            ("z", at("z = 0", 0)), // the inner `z` has closed
            ("i", at("i = 0", 0)), // the loop's `i`, in the test and the body
            ("i", at("i = 0", 0)),
            ("i", at("i = 5", 0)), // the loop's scope has closed
        ];
        let got: Vec<(&str, u32)> = got.iter().map(|(n, _, a)| (n.as_str(), *a)).collect();
        assert_eq!(got, expect);
    }
}
