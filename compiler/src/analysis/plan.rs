//! The plan: how a workflow's agent calls compose (in sequence, in loops, fanned out), as the
//! abstract interpreter found them. Every metric of the dry run is a fold over it.

use std::collections::BTreeMap;

use serde::Serialize;
use wfc_ir::{SiteId, Span};

use super::sym::{Count, Sym};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FanKind {
    Parallel,
    Pipeline,
    /// `Promise.all`/`allSettled`/`race` over promises, or an array callback (`.map(async …)`).
    Concurrent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatKind {
    Loop,
    /// A synchronous array callback (`forEach`, `reduce`, …) or a function called repeatedly.
    Callback,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "node", rename_all = "snake_case")]
pub enum Plan {
    Agent {
        site: SiteId,
    },
    Seq {
        items: Vec<Plan>,
    },
    /// Runs at most once: a branch, an optional callback.
    Maybe {
        body: Box<Plan>,
    },
    /// Exactly one of these runs (`if`/`else`, `? :`).
    Alt {
        branches: Vec<Plan>,
    },
    /// `count` runs one after the other.
    Repeat {
        count: Count,
        body: Box<Plan>,
        span: Span,
        kind: RepeatKind,
    },
    /// `width` copies at once (each item of a `parallel()`/`pipeline()`).
    Fan {
        width: Count,
        body: Box<Plan>,
        span: Span,
        kind: FanKind,
    },
    /// Different branches at once (`parallel([() => a, () => b])`).
    All {
        branches: Vec<Plan>,
        span: Span,
        kind: FanKind,
    },
    /// Started but not awaited here: overlaps with what follows it.
    Spawn {
        body: Box<Plan>,
    },
}

impl Plan {
    pub fn empty() -> Plan {
        Plan::Seq { items: Vec::new() }
    }

    /// Whether it runs no agent. Constant time: the constructors never build a node around an
    /// empty plan, and [`Plan::seq`] drops empty parts, so the only empty plan is an empty `Seq`.
    pub fn is_empty(&self) -> bool {
        matches!(self, Plan::Seq { items } if items.is_empty())
    }

    /// Sequential composition, dropping empty parts and flattening.
    pub fn seq(mut parts: Vec<Plan>) -> Plan {
        // Most parts are already flat and non-empty (the only empty plan is an empty `Seq`):
        // keep their vector rather than copy it.
        if !parts.iter().any(|p| matches!(p, Plan::Seq { .. })) {
            return match parts.len() {
                1 => parts.pop().unwrap_or_else(Plan::empty),
                _ => Plan::Seq { items: parts },
            };
        }
        let mut items = Vec::new();
        for p in parts {
            match p {
                Plan::Seq { items: inner } => {
                    items.extend(inner.into_iter().filter(|p| !p.is_empty()))
                }
                p if p.is_empty() => {}
                p => items.push(p),
            }
        }
        if items.len() == 1 {
            items.pop().unwrap_or_else(Plan::empty)
        } else {
            Plan::Seq { items }
        }
    }

    pub fn then(self, next: Plan) -> Plan {
        Plan::seq(vec![self, next])
    }

    pub fn maybe(self) -> Plan {
        if self.is_empty() {
            self
        } else {
            Plan::Maybe {
                body: Box::new(self),
            }
        }
    }

    /// Different branches at once; empty when none of them runs an agent.
    pub fn all(branches: Vec<Plan>, span: Span, kind: FanKind) -> Plan {
        if branches.iter().all(Plan::is_empty) {
            Plan::empty()
        } else {
            Plan::All {
                branches,
                span,
                kind,
            }
        }
    }

    pub fn alt(branches: Vec<Plan>) -> Plan {
        if branches.iter().all(Plan::is_empty) {
            Plan::empty()
        } else {
            Plan::Alt { branches }
        }
    }

    pub fn spawn(self) -> Plan {
        if self.is_empty() || matches!(self, Plan::Spawn { .. }) {
            self
        } else {
            Plan::Spawn {
                body: Box::new(self),
            }
        }
    }

    /// The plan of work whose result is awaited: work the code started without waiting for it
    /// (a returned agent promise) is waited for after all.
    pub fn awaited(self) -> Plan {
        match self {
            Plan::Spawn { body } => *body,
            Plan::Seq { items } => Plan::seq(
                items
                    .into_iter()
                    .map(|p| match p {
                        Plan::Spawn { body } => *body,
                        p => p,
                    })
                    .collect(),
            ),
            Plan::Maybe { body } => body.awaited().maybe(),
            Plan::Alt { branches } => Plan::alt(branches.into_iter().map(Plan::awaited).collect()),
            p => p,
        }
    }

    pub fn repeat(count: Count, body: Plan, span: Span, kind: RepeatKind) -> Plan {
        if body.is_empty() {
            body
        } else {
            Plan::Repeat {
                count,
                body: Box::new(body),
                span,
                kind,
            }
        }
    }

    pub fn fan(width: Count, body: Plan, span: Span, kind: FanKind) -> Plan {
        if body.is_empty() {
            body
        } else {
            Plan::Fan {
                width,
                body: Box::new(body),
                span,
                kind,
            }
        }
    }

    /// How many times each site runs.
    pub fn site_counts(&self) -> BTreeMap<SiteId, Count> {
        let mut out = BTreeMap::new();
        self.count_sites(&Count::one(), &mut out);
        out
    }

    fn count_sites(&self, mult: &Count, out: &mut BTreeMap<SiteId, Count>) {
        match self {
            Plan::Agent { site } => {
                let c = out.entry(*site).or_insert_with(Count::zero);
                *c = c.add(mult);
            }
            Plan::Seq { items } => items.iter().for_each(|p| p.count_sites(mult, out)),
            Plan::All { branches, .. } => branches.iter().for_each(|p| p.count_sites(mult, out)),
            Plan::Maybe { body } => body.count_sites(&mult.maybe(), out),
            Plan::Alt { branches } => {
                let m = mult.maybe();
                branches.iter().for_each(|p| p.count_sites(&m, out));
            }
            Plan::Repeat { count, body, .. } => body.count_sites(&mult.mul(count), out),
            Plan::Fan { width, body, .. } => body.count_sites(&mult.mul(width), out),
            Plan::Spawn { body } => body.count_sites(mult, out),
        }
    }

    /// How many agents the plan spawns in all.
    pub fn total(&self) -> Count {
        match self {
            Plan::Agent { .. } => Count::one(),
            Plan::Seq { items } => items.iter().fold(Count::zero(), |a, p| a.add(&p.total())),
            Plan::All { branches, .. } => branches
                .iter()
                .fold(Count::zero(), |a, p| a.add(&p.total())),
            Plan::Maybe { body } => body.total().maybe(),
            Plan::Alt { branches } => branches
                .iter()
                .map(Plan::total)
                .reduce(|a, b| a.join(&b))
                .unwrap_or_else(Count::zero),
            Plan::Repeat { count, body, .. } => count.mul(&body.total()),
            Plan::Fan { width, body, .. } => width.mul(&body.total()),
            Plan::Spawn { body } => body.total(),
        }
    }

    /// Agent-minutes: the sum of every agent's duration.
    pub fn work(&self, duration: &dyn Fn(SiteId) -> f64) -> Sym {
        match self {
            Plan::Agent { site } => Sym::num(duration(*site)),
            Plan::Seq { items } => items
                .iter()
                .fold(Sym::zero(), |a, p| a.add(&p.work(duration))),
            Plan::All { branches, .. } => branches
                .iter()
                .fold(Sym::zero(), |a, p| a.add(&p.work(duration))),
            Plan::Maybe { body } | Plan::Spawn { body } => body.work(duration),
            Plan::Alt { branches } => branches
                .iter()
                .fold(Sym::zero(), |a, p| a.max(&p.work(duration))),
            Plan::Repeat { count, body, .. } => count.hi.mul(&body.work(duration)),
            Plan::Fan { width, body, .. } => width.hi.mul(&body.work(duration)),
        }
    }

    /// The critical path: the longest chain of agents that must run one after another, in minutes,
    /// with unlimited concurrency.
    pub fn span(&self, duration: &dyn Fn(SiteId) -> f64) -> Sym {
        match self {
            Plan::Agent { site } => Sym::num(duration(*site)),
            Plan::Seq { items } => {
                let mut t = Sym::zero();
                let mut end = Sym::zero();
                for p in items {
                    match p {
                        Plan::Spawn { body } => end = end.max(&t.add(&body.span(duration))),
                        p => t = t.add(&p.span(duration)),
                    }
                }
                t.max(&end)
            }
            Plan::Maybe { body } | Plan::Spawn { body } => body.span(duration),
            Plan::Alt { branches } | Plan::All { branches, .. } => branches
                .iter()
                .fold(Sym::zero(), |a, p| a.max(&p.span(duration))),
            Plan::Repeat { count, body, .. } => count.hi.mul(&body.span(duration)),
            Plan::Fan { body, .. } => body.span(duration),
        }
    }

    /// How many agents can be demanded at once (before the concurrency limit queues them).
    pub fn demand(&self) -> Sym {
        match self {
            Plan::Agent { .. } => Sym::one(),
            Plan::Seq { items } => {
                let mut floating = Sym::zero();
                let mut best = Sym::zero();
                for p in items {
                    match p {
                        Plan::Spawn { body } => {
                            floating = floating.add(&body.demand());
                            best = best.max(&floating);
                        }
                        p => best = best.max(&floating.add(&p.demand())),
                    }
                }
                best
            }
            Plan::Maybe { body } | Plan::Spawn { body } => body.demand(),
            Plan::Alt { branches } => branches.iter().fold(Sym::zero(), |a, p| a.max(&p.demand())),
            Plan::All { branches, .. } => {
                branches.iter().fold(Sym::zero(), |a, p| a.add(&p.demand()))
            }
            Plan::Repeat { count, body, .. } => {
                if body.ends_with_spawn() {
                    count.hi.mul(&body.demand())
                } else {
                    body.demand()
                }
            }
            Plan::Fan { width, body, .. } => width.hi.mul(&body.demand()),
        }
    }

    /// Whether work started in the body may still run when the next iteration starts.
    fn ends_with_spawn(&self) -> bool {
        match self {
            Plan::Spawn { .. } => true,
            Plan::Seq { items } => items.iter().any(|p| matches!(p, Plan::Spawn { .. })),
            Plan::Maybe { body } => body.ends_with_spawn(),
            Plan::Alt { branches } => branches.iter().any(Plan::ends_with_spawn),
            _ => false,
        }
    }

    /// For every site, the longest path (in the duration's unit) from the start of one of its
    /// agents to the end of the plan: the scheduler starts agents with the longest remaining path
    /// first. Symbolic counts are judged with every input at 10, as [`Plan::critical_path`] does.
    pub fn remaining_paths(&self, duration: &dyn Fn(SiteId) -> f64) -> BTreeMap<SiteId, f64> {
        let mut out = BTreeMap::new();
        self.remaining_into(0.0, duration, &mut out);
        out
    }

    fn remaining_into(
        &self,
        tail: f64,
        duration: &dyn Fn(SiteId) -> f64,
        out: &mut BTreeMap<SiteId, f64>,
    ) {
        let weigh = |s: &Sym| s.eval(&|_| Some(10.0)).unwrap_or(1e9).min(1e9);
        match self {
            Plan::Agent { site } => {
                let v = duration(*site) + tail;
                let e = out.entry(*site).or_insert(v);
                *e = e.max(v);
            }
            Plan::Seq { items } => {
                let mut t = tail;
                for p in items.iter().rev() {
                    match p {
                        // Started and not awaited here: it overlaps with what follows.
                        Plan::Spawn { body } => body.remaining_into(tail, duration, out),
                        p => {
                            p.remaining_into(t, duration, out);
                            t += weigh(&p.span(duration));
                        }
                    }
                }
            }
            Plan::Maybe { body } | Plan::Spawn { body } | Plan::Fan { body, .. } => {
                body.remaining_into(tail, duration, out)
            }
            Plan::Alt { branches } | Plan::All { branches, .. } => {
                for b in branches {
                    b.remaining_into(tail, duration, out);
                }
            }
            Plan::Repeat { count, body, .. } => {
                let n = weigh(&count.hi).max(1.0);
                let rest = (n - 1.0) * weigh(&body.span(duration));
                body.remaining_into(tail + rest, duration, out);
            }
        }
    }

    /// The sites along one longest chain (for display), judged with every input at 10.
    pub fn critical_path(&self, duration: &dyn Fn(SiteId) -> f64) -> Vec<SiteId> {
        let weigh = |p: &Plan| {
            p.span(duration)
                .eval(&|_| Some(10.0))
                .unwrap_or(f64::INFINITY)
        };
        let mut out = Vec::new();
        self.path_into(&weigh, &mut out);
        out
    }

    fn path_into(&self, weigh: &dyn Fn(&Plan) -> f64, out: &mut Vec<SiteId>) {
        let heaviest = |ps: &[Plan]| {
            ps.iter()
                .max_by(|a, b| weigh(a).total_cmp(&weigh(b)))
                .cloned()
        };
        match self {
            Plan::Agent { site } => out.push(*site),
            Plan::Seq { items } => {
                // Either the sequential chain or a spawned branch, whichever is longer.
                let chain: Vec<&Plan> = items
                    .iter()
                    .filter(|p| !matches!(p, Plan::Spawn { .. }))
                    .collect();
                let chain_len: f64 = chain.iter().map(|p| weigh(p)).sum();
                let spawned = items
                    .iter()
                    .filter(|p| matches!(p, Plan::Spawn { .. }))
                    .max_by(|a, b| weigh(a).total_cmp(&weigh(b)));
                match spawned {
                    Some(s) if weigh(s) > chain_len => s.path_into(weigh, out),
                    _ => chain.iter().for_each(|p| p.path_into(weigh, out)),
                }
            }
            Plan::Maybe { body } | Plan::Spawn { body } => body.path_into(weigh, out),
            Plan::Repeat { body, .. } | Plan::Fan { body, .. } => body.path_into(weigh, out),
            Plan::Alt { branches } | Plan::All { branches, .. } => {
                if let Some(b) = heaviest(branches) {
                    b.path_into(weigh, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn agent(i: u32) -> Plan {
        Plan::Agent { site: SiteId(i) }
    }

    fn fan(n: u64, body: Plan) -> Plan {
        Plan::fan(Count::exact(n), body, Span::default(), FanKind::Parallel)
    }

    /// Agent nodes anywhere in the plan: the definition `is_empty` must agree with.
    fn agents(p: &Plan) -> usize {
        match p {
            Plan::Agent { .. } => 1,
            Plan::Seq { items: bs }
            | Plan::Alt { branches: bs }
            | Plan::All { branches: bs, .. } => bs.iter().map(agents).sum(),
            Plan::Maybe { body } | Plan::Spawn { body } => agents(body),
            Plan::Repeat { body, .. } | Plan::Fan { body, .. } => agents(body),
        }
    }

    /// Builds a random plan through the constructors only, as the analysis does.
    fn random_plan(seed: &mut u64, depth: u32) -> Plan {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let pick = (*seed >> 33) % if depth == 0 { 2 } else { 9 };
        let mut kids = |n: u64| -> Vec<Plan> {
            (0..n)
                .map(|_| random_plan(seed, depth.saturating_sub(1)))
                .collect()
        };
        match pick {
            0 => Plan::empty(),
            1 => agent(1),
            2 => Plan::seq(kids(3)),
            3 => Plan::alt(kids(2)),
            4 => Plan::all(kids(2), Span::default(), FanKind::Parallel),
            5 => kids(1).remove(0).maybe(),
            6 => kids(1).remove(0).spawn(),
            7 => Plan::repeat(
                Count::exact(2),
                kids(1).remove(0),
                Span::default(),
                RepeatKind::Loop,
            ),
            _ => fan(3, kids(1).remove(0)).then(kids(1).remove(0)).awaited(),
        }
    }

    #[test]
    fn a_plan_is_empty_exactly_when_it_runs_no_agent() {
        let mut seed = 7;
        for _ in 0..5_000 {
            let p = random_plan(&mut seed, 4);
            assert_eq!(p.is_empty(), agents(&p) == 0, "{p:?}");
        }
    }

    #[test]
    fn totals_and_counts_compose() {
        // scope → 100 × (find → verify) → synth
        let p = Plan::seq(vec![
            agent(0),
            fan(100, Plan::seq(vec![agent(1), agent(2)])),
            agent(3),
        ]);
        assert_eq!(p.total(), Count::exact(202));
        let counts = p.site_counts();
        assert_eq!(counts[&SiteId(1)], Count::exact(100));
        assert_eq!(p.demand().as_constant(), Some(100.0));
    }

    #[test]
    fn remaining_paths_count_what_follows_each_site() {
        // scope → 10 × (find → verify) → synth, then a 3-round loop of one fixer.
        let dur = |s: SiteId| [1.0, 2.0, 3.0, 4.0, 5.0][s.0 as usize];
        let p = Plan::seq(vec![
            agent(0),
            fan(10, Plan::seq(vec![agent(1), agent(2)])),
            agent(3),
            Plan::repeat(Count::exact(3), agent(4), Span::default(), RepeatKind::Loop),
        ]);
        let r = p.remaining_paths(&dur);
        // The loop: 3 rounds of 5 from the first one's start.
        assert_eq!(r[&SiteId(4)], 15.0);
        assert_eq!(r[&SiteId(3)], 4.0 + 15.0);
        assert_eq!(r[&SiteId(2)], 3.0 + 19.0);
        assert_eq!(r[&SiteId(1)], 2.0 + 22.0);
        assert_eq!(r[&SiteId(0)], 1.0 + 24.0);
    }

    #[test]
    fn branches_take_the_larger_and_guarantee_the_smaller() {
        let p = Plan::alt(vec![agent(0), Plan::seq(vec![agent(1), agent(2)])]);
        let t = p.total();
        assert_eq!((t.lo, t.hi.as_constant()), (1, Some(2.0)));
    }

    #[test]
    fn span_overlaps_spawned_work() {
        let d = |_| 5.0;
        let seq = Plan::seq(vec![agent(0), agent(1)]);
        assert_eq!(seq.span(&d).as_constant(), Some(10.0));
        let overlapped = Plan::seq(vec![agent(0).spawn(), agent(1)]);
        assert_eq!(overlapped.span(&d).as_constant(), Some(5.0));
        assert_eq!(overlapped.demand().as_constant(), Some(2.0));
    }

    #[test]
    fn barrier_example_from_the_survey() {
        // With unlimited concurrency the span is the chain: 2 + 5 + 3 + 4.
        let dur = |s: SiteId| [2.0, 5.0, 3.0, 4.0][s.0 as usize];
        let p = Plan::seq(vec![
            agent(0),
            fan(100, agent(1)),
            fan(100, agent(2)),
            agent(3),
        ]);
        assert_eq!(p.span(&dur).as_constant(), Some(14.0));
        assert_eq!(p.work(&dur).as_constant(), Some(2.0 + 500.0 + 300.0 + 4.0));
    }
}
