//! Static analysis of a lowered workflow: how many agents each call site can spawn, how wide each
//! fan-out gets, how many agents can be demanded at once, and the plan they form.
//!
//! Bounds are *sound upper bounds*: no execution of the script spawns more agents at a site than
//! its bound says (see `interp` for how loops, closures and mutation are handled). Lower bounds
//! (`Count::lo`) are what every execution spawns at least, assuming no `agent()` call fails.

pub mod durations;
pub mod fields;
pub mod interp;
pub mod plan;
pub mod sym;
pub mod value;

use std::collections::BTreeMap;

use crate::index::ExprIndex;
use serde::Serialize;
use wfc_ir::{SiteId, Span, Workflow};

pub use plan::{FanKind, Plan, RepeatKind};
pub use sym::{Atom, Count, Poly, Reason, Sym};

/// What wfc knows about one `agent()` call site.
#[derive(Debug, Clone, Serialize)]
pub struct SiteReport {
    pub id: SiteId,
    pub span: Span,
    /// How many times it runs.
    pub count: Count,
    /// The `label`, `phase`, `model` and `effort` options, when written as literals.
    pub label: Option<String>,
    pub phase: Option<String>,
    pub model: Option<String>,
    pub effort: Option<String>,
    /// The prompt's text when it is a literal or a template (its first 80 characters).
    pub prompt: Option<String>,
    /// Whether the site can run at all (it is in a function that is never called).
    pub reachable: bool,
}

/// One `parallel()` or `pipeline()` call and how many items it can get.
#[derive(Debug, Clone, Serialize)]
pub struct FanReport {
    pub span: Span,
    pub kind: FanKind,
    pub width: Count,
}

/// The analysis of a whole workflow.
#[derive(Debug, Clone, Serialize)]
pub struct Analysis {
    pub sites: Vec<SiteReport>,
    /// Agents spawned by the whole run.
    pub total: Count,
    pub fans: Vec<FanReport>,
    /// The most items any single `parallel()`/`pipeline()` call gets.
    pub max_items: Count,
    /// Agents that can be demanded at once (running plus queued behind the concurrency limit).
    pub demand: Sym,
    /// Unbounded quantities not tied to a site's count (child workflows, indirect calls).
    pub untracked: Vec<Reason>,
    pub plan: Plan,
}

/// Analyses a workflow. With `args`, inputs are known and bounds become numbers.
pub fn analyze(w: &Workflow, text: &str, args: Option<&serde_json::Value>) -> Analysis {
    analyze_indexed(w, &ExprIndex::of(w), text, args)
}

/// [`analyze`], with the workflow's node lists already gathered ([`ExprIndex::of`] `w`), as the
/// check shares them with the rules.
pub fn analyze_indexed(
    w: &Workflow,
    index: &ExprIndex<'_>,
    text: &str,
    args: Option<&serde_json::Value>,
) -> Analysis {
    let out = interp::run_indexed(w, index, text, args);
    let counts = out.plan.site_counts();
    let mut total = out.plan.total();
    // Code the IR could not represent may call anything: no count is a bound.
    let unsupported = w.unsupported.first().map(|&span| Reason {
        span,
        why: "the script uses syntax wfc does not support, so what runs there is not counted"
            .into(),
    });
    let untrusted = out
        .stopped
        .clone()
        .or_else(|| out.inputs_changed.clone())
        .or(unsupported);
    for r in out.untracked.iter().chain(&untrusted) {
        total.hi = total.hi.add(&Sym::Unbounded {
            reason: Box::new(r.clone()),
        });
    }
    // `args` changed in place, or unsupported syntax: no site's count is an upper bound.
    let unsure = |count: Count| match &untrusted {
        Some(reason) => Count {
            lo: count.lo,
            hi: Sym::Unbounded {
                reason: Box::new(reason.clone()),
            },
        },
        None => count,
    };
    let sites = w
        .sites
        .iter()
        .map(|s| SiteReport {
            id: s.id,
            span: s.span,
            count: unsure(counts.get(&s.id).cloned().unwrap_or_else(Count::zero)),
            label: s.label.clone(),
            phase: s.phase.clone(),
            model: s.model.clone(),
            effort: s.effort.clone(),
            prompt: s.prompt.clone(),
            // Unsupported code may call a function the analysis never saw called, and a
            // stopped analysis did not see every call.
            reachable: s.function.is_none_or(|f| out.evaluated.get(f))
                || !w.unsupported.is_empty()
                || out.stopped.is_some(),
        })
        .collect();
    // One report per call site: the widest any evaluation of it saw.
    let mut fans: BTreeMap<Span, FanReport> = BTreeMap::new();
    for f in &out.fans {
        let kind = if f.pipeline {
            FanKind::Pipeline
        } else {
            FanKind::Parallel
        };
        fans.entry(f.span)
            .and_modify(|r| r.width = r.width.join(&f.width))
            .or_insert_with(|| FanReport {
                span: f.span,
                kind,
                width: f.width.clone(),
            });
    }
    let fans: Vec<FanReport> = fans.into_values().collect();
    // Not a bound either when counts are not, unless already unbounded for a reason of its own.
    let unsure_sym = |sym: Sym| match &untrusted {
        Some(reason) if sym.is_finite() => Sym::Unbounded {
            reason: Box::new(reason.clone()),
        },
        _ => sym,
    };
    let max_items = fans
        .iter()
        .map(|f| f.width.clone())
        .reduce(|a, b| Count {
            lo: a.lo.max(b.lo),
            hi: a.hi.max(&b.hi),
        })
        .unwrap_or_else(Count::zero);
    let max_items = Count {
        lo: max_items.lo,
        hi: unsure_sym(max_items.hi),
    };
    let demand = unsure_sym(out.plan.demand());
    Analysis {
        sites,
        total,
        fans,
        max_items,
        demand,
        untracked: out.untracked,
        plan: out.plan,
    }
}

/// The dry-run prediction of how long the run takes.
#[derive(Debug, Clone, Serialize)]
pub struct Makespan {
    /// Agent-minutes in all (W).
    pub work: Sym,
    /// The critical path in minutes (L).
    pub critical_path: Sym,
    /// The sites along one critical path.
    pub path: Vec<SiteId>,
    /// Concurrency (P).
    pub concurrency: u64,
    /// `[max(W/P, L), W/P + (1 − 1/P)·L]` when W and L are numbers.
    pub interval: Option<(f64, f64)>,
}

impl Analysis {
    /// Every site's estimated duration in minutes, from its model and effort.
    fn site_minutes(&self, durations: &durations::Durations) -> BTreeMap<SiteId, f64> {
        self.sites
            .iter()
            .map(|s| {
                (
                    s.id,
                    durations.minutes(s.model.as_deref(), s.effort.as_deref()),
                )
            })
            .collect()
    }

    /// The scheduler's priorities: for every site, the estimated longest remaining path (in
    /// milliseconds) from the start of one of its agents to the end of the run.
    pub fn priorities(&self, durations: &durations::Durations) -> BTreeMap<SiteId, f64> {
        let by_site = self.site_minutes(durations);
        let d = |s: SiteId| by_site.get(&s).copied().unwrap_or(durations.default);
        self.plan
            .remaining_paths(&d)
            .into_iter()
            .map(|(s, minutes)| (s, minutes * 60_000.0))
            .collect()
    }

    pub fn makespan(&self, durations: &durations::Durations, concurrency: u64) -> Makespan {
        let by_site = self.site_minutes(durations);
        let d = |s: SiteId| by_site.get(&s).copied().unwrap_or(durations.default);
        let work = self.plan.work(&d);
        let span = self.plan.span(&d);
        let p = concurrency.max(1) as f64;
        let interval = match (work.as_constant(), span.as_constant()) {
            (Some(w), Some(l)) => Some(((w / p).max(l), w / p + (1.0 - 1.0 / p) * l)),
            _ => None,
        };
        Makespan {
            path: self.plan.critical_path(&d),
            work,
            critical_path: span,
            concurrency,
            interval,
        }
    }
}
