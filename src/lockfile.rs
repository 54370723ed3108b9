//! `wfc.lock`: the plans approved with `wfc approve`, and the check `wfc run --require-approval`
//! and `wfc verify` make against it.
//!
//! ```toml
//! version = 1
//!
//! [[workflow]]
//! path = "scripts/audit.js"
//! plan_hash = "sha256:…"
//! args = '{"files":["a.js"]}'
//! args_hash = "sha256:…"
//!
//! [workflow.limits]
//! max-agents = 1000
//! max-items = 4096
//!
//! [workflow.summary]
//! agents = "≤ 12"
//! phases = ["Scan", "Fix"]
//! models = ["haiku"]
//!
//! [[workflow.summary.sites]]
//! id = "s0"
//! label = "scan"
//! prompt = "List the failing tests"
//! agents = "1"
//! hash = "3f1c…"
//! ```
//!
//! The plan hash is the authority; the rest is for reviewers and for saying what changed. There
//! is no approval time: git already records who approved what and when, and a timestamp would
//! make approving the same plan on two branches conflict and re-approving change the file.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use wfc_compiler::analysis::{Analysis, Count};
use wfc_compiler::plan_hash::{self, PlanHash};
use wfc_compiler::{CheckOutput, Limits};
use wfc_ir::Workflow;

/// The lock file's default name, in the current directory.
pub const FILE_NAME: &str = "wfc.lock";

/// The format version this wfc reads and writes.
const VERSION: u32 = 1;

/// Written above the TOML: the file is generated, and meant to be read in review.
const HEADER: &str = "\
# wfc.lock: workflow plans approved with `wfc approve`. Generated; do not edit by hand.
# Review changes to this file in pull requests: each entry is what a script may do when run with
# `wfc run --require-approval`. `wfc verify` checks that every script still matches its entry.

";

/// Prompt starts in the summary and in messages are cut to this many characters.
const PROMPT_CHARS: usize = 60;

/// Args up to this size are quoted in change messages; larger ones are named by their hash.
const ARGS_SHOWN_CHARS: usize = 80;

/// The whole lock file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lockfile {
    pub version: u32,
    /// One entry per approved script, sorted by path.
    #[serde(default, rename = "workflow", skip_serializing_if = "Vec::is_empty")]
    pub workflows: Vec<ApprovedEntry>,
}

impl Default for Lockfile {
    fn default() -> Self {
        Lockfile {
            version: VERSION,
            workflows: Vec::new(),
        }
    }
}

/// One approved script: a `[[workflow]]` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovedEntry {
    /// The script, relative to the lock file's directory, with `/` separators.
    pub path: String,
    /// [`plan_hash::plan_hash`] of the script with these limits and args.
    pub plan_hash: String,
    /// The args the plan was approved for, as canonical JSON; absent when approved without args
    /// (the approval then holds for any args). Kept whole, not only hashed, so that `wfc verify`
    /// can recompute the hash.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub args_hash: Option<String>,
    /// The runtime limits the plan was approved with (`[limits]` of `wfc.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<LockLimits>,
    pub summary: Summary,
}

/// The [`Limits`] an approval covers, as `wfc.toml` spells them: those that bound what a run may
/// do. `max-concurrency` is not one (it is speed, not behaviour; see `plan_hash`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LockLimits {
    pub max_agents: u64,
    pub max_items: u64,
}

impl From<&Limits> for LockLimits {
    fn from(l: &Limits) -> Self {
        LockLimits {
            max_agents: l.max_agents,
            max_items: l.max_items,
        }
    }
}

/// What a reviewer reads: the plan in a few lines.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Summary {
    /// The bound on agents one run spawns, as `wfc plan` writes it, or `unbounded (why)`.
    pub agents: String,
    /// The phase titles declared in `meta`.
    #[serde(default)]
    pub phases: Vec<String>,
    /// The models named literally in `agent()` options, sorted.
    #[serde(default)]
    pub models: Vec<String>,
    #[serde(default)]
    pub sites: Vec<SiteSummary>,
}

/// One `agent()` call site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteSummary {
    /// `s0`, `s1`, … in source order.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// The start of a literal or template prompt.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prompt: Option<String>,
    /// How many times it can run.
    pub agents: String,
    /// The call's own hash (see [`PlanHash::sites`]): says which calls changed.
    pub hash: String,
}

/// What [`Lockfile::upsert`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Upsert {
    Added,
    /// Replaced this entry.
    Updated(Box<ApprovedEntry>),
    /// The same plan was already approved: nothing changed.
    Unchanged,
}

/// Why a lock file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is not a valid lock file: {}", path.display(), message.trim_end())]
    Invalid { path: PathBuf, message: String },
    #[error("cannot write {}: {source}", path.display())]
    Unwritable {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Why a script may not run under `--require-approval`.
#[derive(Debug, thiserror::Error)]
pub enum ApprovalError {
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The script or the lock file's directory could not be resolved to compare paths.
    #[error("cannot resolve {}: {source}", path.display())]
    Path {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{file} did not compile: there is no plan to compare with its approval")]
    NotCompiled { file: String },
    #[error(
        "{file} is not approved: {}\n  hint: review its plan with `wfc plan {file}`, then run `wfc approve {file}`",
        not_approved_reason(.lock, *.lock_exists)
    )]
    NotApproved {
        file: String,
        lock: String,
        lock_exists: bool,
    },
    #[error("{0}")]
    Changed(Box<Mismatch>),
}

fn not_approved_reason(lock: &str, lock_exists: bool) -> String {
    if lock_exists {
        format!("{lock} has no entry for it")
    } else {
        format!("there is no {lock}")
    }
}

/// A script whose plan hash is not the approved one, and what differs.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub file: String,
    pub lock: String,
    /// The approved plan hash.
    pub expected: String,
    /// The script's plan hash now.
    pub actual: String,
    /// One line per difference found between the approved summary and the current one.
    pub changes: Vec<String>,
    /// Whether the approval was for specific args (re-approving needs them again).
    pub approved_with_args: bool,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: the plan changed since it was approved in {}",
            self.file, self.lock
        )?;
        writeln!(f, "  approved  {}", plan_hash::short(&self.expected))?;
        writeln!(f, "  now       {}", plan_hash::short(&self.actual))?;
        for c in &self.changes {
            writeln!(f, "  - {c}")?;
        }
        let args = if self.approved_with_args {
            " --args …"
        } else {
            ""
        };
        write!(
            f,
            "  hint: review the plan with `wfc plan {}{args}`, then run `wfc approve {}{args}`",
            self.file, self.file
        )
    }
}

impl Lockfile {
    /// Reads a lock file; `None` when there is none at `path`.
    pub fn load(path: &Path) -> Result<Option<Lockfile>, LockError> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => {
                return Err(LockError::Unreadable {
                    path: path.to_path_buf(),
                    source,
                })
            }
        };
        Lockfile::parse(&text)
            .map(Some)
            .map_err(|message| LockError::Invalid {
                path: path.to_path_buf(),
                message,
            })
    }

    /// Parses and validates a lock file's text.
    pub fn parse(text: &str) -> Result<Lockfile, String> {
        let mut lock: Lockfile = toml::from_str(text).map_err(|e| e.to_string())?;
        if lock.version != VERSION {
            return Err(format!(
                "version {} is not supported (this wfc reads version {VERSION})",
                lock.version
            ));
        }
        let mut seen = BTreeSet::new();
        for w in &lock.workflows {
            if !seen.insert(w.path.as_str()) {
                return Err(format!("{} is listed twice", w.path));
            }
        }
        lock.sort();
        Ok(lock)
    }

    /// The file's text: the header, then the entries sorted by path, so that approving one
    /// script changes only its lines.
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        let mut sorted = self.clone();
        sorted.sort();
        Ok(format!("{HEADER}{}", toml::to_string(&sorted)?))
    }

    /// Writes the file whole (through a temporary file, so a failed write never leaves half a
    /// lock).
    pub fn save(&self, path: &Path) -> Result<(), LockError> {
        let unwritable = |source| LockError::Unwritable {
            path: path.to_path_buf(),
            source,
        };
        let text = self
            .to_toml()
            .map_err(|e| unwritable(std::io::Error::other(e)))?;
        let mut tmp = path.as_os_str().to_owned();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        std::fs::write(&tmp, text).map_err(unwritable)?;
        std::fs::rename(&tmp, path).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            unwritable(e)
        })
    }

    pub fn entry(&self, path: &str) -> Option<&ApprovedEntry> {
        self.workflows.iter().find(|w| w.path == path)
    }

    /// Records an approval. An entry for the same plan (same hash, args and limits) is kept as it
    /// is, so re-approving an unchanged script leaves the file byte for byte the same.
    pub fn upsert(&mut self, entry: ApprovedEntry) -> Upsert {
        let result = match self.workflows.iter_mut().find(|w| w.path == entry.path) {
            Some(old) if same_plan(old, &entry) => return Upsert::Unchanged,
            Some(old) => Upsert::Updated(Box::new(std::mem::replace(old, entry))),
            None => {
                self.workflows.push(entry);
                Upsert::Added
            }
        };
        self.sort();
        result
    }

    fn sort(&mut self) {
        self.workflows.sort_by(|a, b| a.path.cmp(&b.path));
    }

    /// Checks a compiled script against its approval. `output` is the check of the script that
    /// is about to run; `args` and `limits` are those of the run. Args count only when the entry
    /// was approved with args (an approval without them holds for any args); limits likewise.
    pub fn verify(
        &self,
        lock_path: &Path,
        script: &Path,
        output: &CheckOutput,
        args: Option<&serde_json::Value>,
        limits: Option<&Limits>,
    ) -> Result<&ApprovedEntry, ApprovalError> {
        let file = script.display().to_string();
        let lock = lock_path.display().to_string();
        let key = lock_key(lock_path, script)?;
        let Some(entry) = self.entry(&key) else {
            return Err(ApprovalError::NotApproved {
                file,
                lock,
                lock_exists: true,
            });
        };
        let Some(workflow) = output.workflow.as_ref() else {
            return Err(ApprovalError::NotCompiled { file });
        };
        let args = args.filter(|_| entry.args_hash.is_some());
        let limits = limits.filter(|_| entry.limits.is_some());
        let hash = plan_hash::plan_hash(workflow, limits, args);
        if hash.plan == entry.plan_hash {
            return Ok(entry);
        }
        // Only now is the summary needed: analyse with the args the hash used, so that bounds
        // compare like with like (symbolic with symbolic).
        let analysis = wfc_compiler::analysis::analyze(workflow, &output.text, args);
        let current = ApprovedEntry::with_hash(key, workflow, &analysis, limits, args, &hash);
        Err(ApprovalError::Changed(Box::new(Mismatch {
            file,
            lock,
            expected: entry.plan_hash.clone(),
            actual: hash.plan,
            changes: describe_changes(entry, &current),
            approved_with_args: entry.args_hash.is_some(),
        })))
    }
}

/// Checks that a compiled script is approved in the lock file at `lock_path`, for
/// `wfc run --require-approval`: its plan hash with the run's `args` and `limits` must be the one
/// recorded. `output` must be the check of exactly the text that will run (so nothing can change
/// between this check and the run); `args` are the run's args, `limits` the limits it enforces.
/// On a mismatch the error's message says what changed since the approval.
pub fn verify_approval(
    lock_path: &Path,
    script: &Path,
    output: &CheckOutput,
    args: Option<&serde_json::Value>,
    limits: Option<&Limits>,
) -> Result<ApprovedEntry, ApprovalError> {
    match Lockfile::load(lock_path)? {
        Some(lock) => lock
            .verify(lock_path, script, output, args, limits)
            .cloned(),
        None => Err(ApprovalError::NotApproved {
            file: script.display().to_string(),
            lock: lock_path.display().to_string(),
            lock_exists: false,
        }),
    }
}

impl ApprovedEntry {
    /// The entry approving a compiled script: `key` is its [`lock_key`], `analysis` its bounds
    /// with these `args`.
    pub fn new(
        key: String,
        workflow: &Workflow,
        analysis: &Analysis,
        limits: Option<&Limits>,
        args: Option<&serde_json::Value>,
    ) -> ApprovedEntry {
        let hash = plan_hash::plan_hash(workflow, limits, args);
        ApprovedEntry::with_hash(key, workflow, analysis, limits, args, &hash)
    }

    fn with_hash(
        key: String,
        workflow: &Workflow,
        analysis: &Analysis,
        limits: Option<&Limits>,
        args: Option<&serde_json::Value>,
        hash: &PlanHash,
    ) -> ApprovedEntry {
        ApprovedEntry {
            path: key,
            plan_hash: hash.plan.clone(),
            args: args.map(plan_hash::canonical_json),
            args_hash: hash.args.clone(),
            limits: limits.map(LockLimits::from),
            summary: Summary::new(workflow, analysis, hash),
        }
    }

    /// The recorded args, parsed.
    pub fn args_value(&self) -> Result<Option<serde_json::Value>, String> {
        self.args
            .as_deref()
            .map(|a| {
                serde_json::from_str(a)
                    .map_err(|e| format!("the args recorded for {} are not JSON: {e}", self.path))
            })
            .transpose()
    }
}

fn same_plan(a: &ApprovedEntry, b: &ApprovedEntry) -> bool {
    a.plan_hash == b.plan_hash && a.args_hash == b.args_hash && a.limits == b.limits
}

impl Summary {
    pub fn new(workflow: &Workflow, analysis: &Analysis, hash: &PlanHash) -> Summary {
        let site_hashes: BTreeMap<_, _> = hash.sites.iter().cloned().collect();
        let sites = analysis
            .sites
            .iter()
            .map(|s| SiteSummary {
                id: s.id.to_string(),
                label: s.label.clone(),
                phase: s.phase.clone(),
                model: s.model.clone(),
                prompt: s.prompt.as_deref().map(|p| cut(p, PROMPT_CHARS)),
                agents: if s.reachable {
                    bound_text(&s.count)
                } else {
                    "0 (never called)".into()
                },
                hash: site_hashes.get(&s.id).cloned().unwrap_or_default(),
            })
            .collect();
        let models: BTreeSet<String> = analysis
            .sites
            .iter()
            .filter_map(|s| s.model.clone())
            .collect();
        Summary {
            agents: bound_text(&analysis.total),
            phases: crate::plan_cmd::meta_summary(Some(workflow)).2,
            models: models.into_iter().collect(),
            sites,
        }
    }
}

/// A bound as `wfc plan` writes it; an unbounded one with its reason instead of `∞`.
fn bound_text(c: &Count) -> String {
    match c.hi.reason() {
        Some(r) if c.lo > 0 => format!("at least {}, unbounded ({})", c.lo, r.why),
        Some(r) => format!("unbounded ({})", r.why),
        None => crate::plan_cmd::count_text(c),
    }
}

fn cut(s: &str, chars: usize) -> String {
    if s.chars().count() > chars {
        format!("{}…", s.chars().take(chars - 1).collect::<String>())
    } else {
        s.to_owned()
    }
}

/// The key of a script in a lock file: its path relative to the lock file's directory, with `/`
/// separators. Both are resolved first, so `./a.js`, `a.js` and `/abs/a.js` are one script.
pub fn lock_key(lock_path: &Path, script: &Path) -> Result<String, ApprovalError> {
    let resolve = |p: &Path| {
        std::fs::canonicalize(p).map_err(|source| ApprovalError::Path {
            path: p.to_path_buf(),
            source,
        })
    };
    let dir = match lock_path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    Ok(relative(&resolve(dir)?, &resolve(script)?))
}

/// `target` relative to `base` (both absolute), with `..` where it is not below it.
fn relative(base: &Path, target: &Path) -> String {
    let base: Vec<Component> = base.components().collect();
    let target: Vec<Component> = target.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let name = |c: &Component| c.as_os_str().to_string_lossy().into_owned();
    if common == 0 {
        // Different roots (another drive): nothing relative to say.
        return target.iter().map(name).collect::<Vec<_>>().join("/");
    }
    let mut parts = vec!["..".to_owned(); base.len() - common];
    parts.extend(target[common..].iter().map(name));
    parts.join("/")
}

/// What differs between an approved entry and the entry the script would get now, one line per
/// difference, for a reviewer. Empty only when the summaries are the same.
pub fn describe_changes(old: &ApprovedEntry, new: &ApprovedEntry) -> Vec<String> {
    let mut out = Vec::new();
    if old.summary.agents != new.summary.agents {
        out.push(format!(
            "agents: {} → {}",
            old.summary.agents, new.summary.agents
        ));
    }
    describe_sites(&old.summary.sites, &new.summary.sites, &mut out);
    let (added, removed) = set_diff(&old.summary.phases, &new.summary.phases);
    if !added.is_empty() {
        out.push(format!("phases added: {}", added.join(", ")));
    }
    if !removed.is_empty() {
        out.push(format!("phases removed: {}", removed.join(", ")));
    }
    if added.is_empty() && removed.is_empty() && old.summary.phases != new.summary.phases {
        out.push(format!(
            "phases reordered: {} → {}",
            old.summary.phases.join(", "),
            new.summary.phases.join(", ")
        ));
    }
    if old.summary.models != new.summary.models {
        out.push(format!(
            "models: {} → {}",
            list_or_none(&old.summary.models),
            list_or_none(&new.summary.models)
        ));
    }
    if old.args_hash != new.args_hash {
        out.push(format!(
            "args: approved with {}, now {}",
            args_text(old),
            args_text(new)
        ));
    }
    match (&old.limits, &new.limits) {
        (Some(a), Some(b)) if a != b => {
            let mut diffs = Vec::new();
            for (name, x, y) in [
                ("max-agents", a.max_agents, b.max_agents),
                ("max-items", a.max_items, b.max_items),
            ] {
                if x != y {
                    diffs.push(format!("{name} {x} → {y}"));
                }
            }
            out.push(format!("limits: {}", diffs.join(", ")));
        }
        (Some(_), None) => out.push("limits: approved with limits, now none given".into()),
        (None, Some(_)) => out.push("limits: approved without limits, now with".into()),
        _ => {}
    }
    if out.is_empty() && old.plan_hash != new.plan_hash {
        out.push(
            "the script changed outside its agent() calls (control flow, values or statement order)"
                .into(),
        );
    }
    out
}

/// Sites matched by their hashes first (an unchanged call keeps its hash when others are
/// inserted before it, though its id moves), then what is left by label, then by id: a leftover
/// pair is a changed call, an unpaired one added or removed. Lines come in site order (of the new
/// script; removed sites last).
fn describe_sites(old: &[SiteSummary], new: &[SiteSummary], out: &mut Vec<String>) {
    let mut lines: Vec<(u64, String)> = Vec::new();
    let mut old_left: Vec<&SiteSummary> = old.iter().collect();
    let mut new_left: Vec<&SiteSummary> = Vec::new();
    for n in new {
        match old_left.iter().position(|o| o.hash == n.hash) {
            Some(i) => {
                let o = old_left.remove(i);
                if o.agents != n.agents {
                    lines.push((
                        site_order(&n.id),
                        format!("site {} agents: {} → {}", site_name(n), o.agents, n.agents),
                    ));
                }
            }
            None => new_left.push(n),
        }
    }
    let mut changed = Vec::new();
    pair_sites(
        |o, n| o.label.is_some() && o.label == n.label,
        &mut old_left,
        &mut new_left,
        &mut changed,
    );
    pair_sites(
        |o, n| o.id == n.id,
        &mut old_left,
        &mut new_left,
        &mut changed,
    );
    for (o, n) in changed {
        let mut what = Vec::new();
        if o.prompt != n.prompt {
            what.push(format!(
                "prompt {} → {}",
                prompt_text(o.prompt.as_deref()),
                prompt_text(n.prompt.as_deref())
            ));
        }
        for (name, a, b) in [
            ("label", &o.label, &n.label),
            ("phase", &o.phase, &n.phase),
            ("model", &o.model, &n.model),
        ] {
            if a != b {
                what.push(format!("{name} {} → {}", opt_text(a), opt_text(b)));
            }
        }
        if what.is_empty() {
            what.push("its options or the values in its prompt".into());
        }
        if o.agents != n.agents {
            what.push(format!("agents {} → {}", o.agents, n.agents));
        }
        lines.push((
            site_order(&n.id),
            format!("site {} changed: {}", site_name(n), what.join("; ")),
        ));
    }
    for n in new_left {
        lines.push((
            site_order(&n.id),
            format!(
                "site {} added: prompt {}, agents {}",
                site_name(n),
                prompt_text(n.prompt.as_deref()),
                n.agents
            ),
        ));
    }
    for o in old_left {
        lines.push((
            u64::MAX,
            format!(
                "site {} removed: prompt {}",
                site_name(o),
                prompt_text(o.prompt.as_deref())
            ),
        ));
    }
    // Stable: removed sites keep their old order among themselves.
    lines.sort_by_key(|(order, _)| *order);
    out.extend(lines.into_iter().map(|(_, l)| l));
}

/// Moves the first pair of leftover sites that `same` matches, old and new, into `changed`.
fn pair_sites<'a>(
    same: impl Fn(&SiteSummary, &SiteSummary) -> bool,
    old_left: &mut Vec<&'a SiteSummary>,
    new_left: &mut Vec<&'a SiteSummary>,
    changed: &mut Vec<(&'a SiteSummary, &'a SiteSummary)>,
) {
    new_left.retain(|n| match old_left.iter().position(|o| same(o, n)) {
        Some(i) => {
            changed.push((old_left.remove(i), *n));
            false
        }
        None => true,
    });
}

/// `s2 "label"`: the id, and the label when there is one.
fn site_name(s: &SiteSummary) -> String {
    match &s.label {
        Some(l) => format!("{} {l:?}", s.id),
        None => s.id.clone(),
    }
}

fn prompt_text(p: Option<&str>) -> String {
    p.map_or("(not a literal)".into(), |p| {
        format!("{:?}", cut(p, PROMPT_CHARS))
    })
}

fn opt_text(v: &Option<String>) -> String {
    v.as_deref().map_or("(none)".into(), |v| format!("{v:?}"))
}

/// `s12` sorts after `s2`.
fn site_order(id: &str) -> u64 {
    id.trim_start_matches('s').parse().unwrap_or(u64::MAX)
}

fn set_diff(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let added = new.iter().filter(|p| !old.contains(p)).cloned().collect();
    let removed = old.iter().filter(|p| !new.contains(p)).cloned().collect();
    (added, removed)
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "(none named)".into()
    } else {
        items.join(", ")
    }
}

fn args_text(e: &ApprovedEntry) -> String {
    match (&e.args, &e.args_hash) {
        (Some(a), _) if a.chars().count() <= ARGS_SHOWN_CHARS => a.clone(),
        (_, Some(h)) => format!("args {}", plan_hash::short(h)),
        (Some(a), None) => cut(a, ARGS_SHOWN_CHARS),
        (None, None) => "no args".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wfc_compiler::CheckOptions;

    const SCRIPT: &str = "export const meta = { name: 'two-step', description: 'Scan then fix', phases: [{ title: 'Scan' }, { title: 'Fix' }] };
phase('Scan');
const found = await agent('List the failing tests', { label: 'scan', model: 'haiku' });
phase('Fix');
for (let i = 0; i < 3; i++) {
  await agent(`Fix round ${i}`, { label: 'fix' });
}
return found;
";

    /// A directory unique to this test, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir =
                std::env::temp_dir().join(format!("wfc-lockfile-{name}-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).expect("create temp dir");
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn check(text: &str, args: Option<&serde_json::Value>) -> CheckOutput {
        let out = wfc_compiler::check(
            text.as_bytes(),
            &CheckOptions {
                args: args.cloned(),
                ..CheckOptions::default()
            },
        );
        assert!(!out.has_errors(), "{:?}", out.diagnostics);
        out
    }

    /// Writes `text` as `w.js` in `dir`, approves it in `dir/wfc.lock`, and returns the paths.
    fn approve(
        dir: &Path,
        text: &str,
        limits: &Limits,
        args: Option<&serde_json::Value>,
    ) -> (PathBuf, PathBuf) {
        let script = dir.join("w.js");
        let lock_path = dir.join(FILE_NAME);
        std::fs::write(&script, text).expect("write script");
        let out = check(text, args);
        let entry = ApprovedEntry::new(
            lock_key(&lock_path, &script).expect("key"),
            out.workflow.as_ref().expect("workflow"),
            out.analysis.as_ref().expect("analysis"),
            Some(limits),
            args,
        );
        let mut lock = Lockfile::load(&lock_path)
            .expect("lock")
            .unwrap_or_default();
        lock.upsert(entry);
        lock.save(&lock_path).expect("save lock");
        (script, lock_path)
    }

    fn verify(
        lock: &Path,
        script: &Path,
        text: &str,
        limits: &Limits,
        args: Option<&serde_json::Value>,
    ) -> Result<ApprovedEntry, ApprovalError> {
        std::fs::write(script, text).expect("write script");
        verify_approval(lock, script, &check(text, args), args, Some(limits))
    }

    #[test]
    fn verify_approval_accepts_a_reformatted_script() {
        let tmp = TempDir::new("reformat");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let reformatted = format!(
            "// reviewed\n{}",
            SCRIPT
                .replace('\'', "\"")
                .replace(";\n", "\n")
                .replace("  await", "\t\t/* fix */ await")
        );
        let entry = verify(&lock, &script, &reformatted, &limits, None).expect("still approved");
        assert_eq!(entry.path, "w.js");
        assert_eq!(entry.summary.agents, "4");
    }

    #[test]
    fn verify_approval_refuses_a_modified_prompt_and_names_the_site() {
        let tmp = TempDir::new("prompt");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let modified = SCRIPT.replace("List the failing tests", "List the flaky tests");
        let err = verify(&lock, &script, &modified, &limits, None).expect_err("refused");
        let ApprovalError::Changed(m) = &err else {
            panic!("expected a mismatch, got {err}");
        };
        assert_ne!(m.expected, m.actual);
        let msg = err.to_string();
        assert!(
            msg.contains("the plan changed since it was approved"),
            "{msg}"
        );
        assert!(
            msg.contains(r#"site s0 "scan" changed: prompt "List the failing tests" → "List the flaky tests""#),
            "{msg}"
        );
        assert!(!msg.contains("s1"), "the other site did not change: {msg}");
        assert!(msg.contains("wfc approve"), "{msg}");
    }

    #[test]
    fn verify_approval_reports_bounds_sites_models_and_phases() {
        let tmp = TempDir::new("bounds");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let modified = SCRIPT
            .replace("i < 3", "i < 5")
            .replace("model: 'haiku'", "model: 'opus'")
            .replace("{ title: 'Fix' }", "{ title: 'Fix' }, { title: 'Verify' }")
            .replace(
                "return found;",
                "phase('Verify');\nawait agent('Check the fixes', { label: 'verify' });\nreturn found;",
            );
        let msg = verify(&lock, &script, &modified, &limits, None)
            .expect_err("refused")
            .to_string();
        for want in [
            "agents: 4 → 7",
            r#"site s0 "scan" changed: model "haiku" → "opus""#,
            r#"site s1 "fix" agents: 3 → 5"#,
            r#"site s2 "verify" added: prompt "Check the fixes", agents 1"#,
            "phases added: Verify",
            "models: haiku → opus",
        ] {
            assert!(msg.contains(want), "missing {want:?} in:\n{msg}");
        }
        let removed = SCRIPT.replace("await agent(`Fix round ${i}`, { label: 'fix' });", "");
        let msg = verify(&lock, &script, &removed, &limits, None)
            .expect_err("refused")
            .to_string();
        assert!(
            msg.contains(r#"site s1 "fix" removed: prompt "Fix round …""#),
            "{msg}"
        );
    }

    #[test]
    fn verify_approval_explains_other_changes() {
        let tmp = TempDir::new("other");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let modified = SCRIPT.replace("return found;", "return 'nothing';");
        let msg = verify(&lock, &script, &modified, &limits, None)
            .expect_err("refused")
            .to_string();
        assert!(msg.contains("changed outside its agent() calls"), "{msg}");
    }

    #[test]
    fn verify_approval_without_an_entry_or_a_lock() {
        let tmp = TempDir::new("missing");
        let script = tmp.0.join("w.js");
        let lock = tmp.0.join(FILE_NAME);
        std::fs::write(&script, SCRIPT).expect("write");
        let out = check(SCRIPT, None);
        let err = verify_approval(&lock, &script, &out, None, None).expect_err("no lock");
        assert!(
            err.to_string().contains("is not approved: there is no"),
            "{err}"
        );
        Lockfile::default().save(&lock).expect("save");
        let err = verify_approval(&lock, &script, &out, None, None).expect_err("no entry");
        let msg = err.to_string();
        assert!(msg.contains("has no entry for it"), "{msg}");
        assert!(msg.contains("run `wfc approve"), "{msg}");
        std::fs::write(&lock, "version = 1\n[[workflow]]\npath = 3\n").expect("write");
        let err = verify_approval(&lock, &script, &out, None, None).expect_err("invalid");
        assert!(
            matches!(err, ApprovalError::Lock(LockError::Invalid { .. })),
            "{err}"
        );
    }

    #[test]
    fn verify_approval_pins_args_only_when_approved_with_them() {
        let tmp = TempDir::new("args");
        let limits = Limits::default();
        let text = "export const meta = { name: 'a', description: 'b' };\nawait parallel(args.files.map(f => () => agent(`Audit ${f}`)));\n";
        let (script, lock) = approve(&tmp.0, text, &limits, None);
        // Approved without args: any args run.
        let some = serde_json::json!({ "files": ["a", "b"] });
        verify(&lock, &script, text, &limits, Some(&some)).expect("any args");
        // Approved with args: only those.
        approve(&tmp.0, text, &limits, Some(&some));
        verify(&lock, &script, text, &limits, Some(&some)).expect("same args");
        let reordered: serde_json::Value =
            serde_json::from_str(r#"{ "files" : ["a","b"] }"#).expect("json");
        verify(&lock, &script, text, &limits, Some(&reordered)).expect("same args, respaced");
        let other = serde_json::json!({ "files": ["a", "b", "c"] });
        let msg = verify(&lock, &script, text, &limits, Some(&other))
            .expect_err("other args")
            .to_string();
        assert!(
            msg.contains(r#"args: approved with {"files":["a","b"]}, now {"files":["a","b","c"]}"#),
            "{msg}"
        );
        assert!(msg.contains("agents: 2 → 3"), "{msg}");
        assert!(msg.contains("--args"), "the hint asks for the args: {msg}");
        let msg = verify(&lock, &script, text, &limits, None)
            .expect_err("no args")
            .to_string();
        assert!(msg.contains("now no args"), "{msg}");
    }

    #[test]
    fn verify_approval_ignores_concurrency() {
        let tmp = TempDir::new("concurrency");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let slower = Limits {
            max_concurrency: 2,
            ..limits
        };
        verify(&lock, &script, SCRIPT, &slower, None).expect("still approved");
    }

    #[test]
    fn verify_approval_reports_changed_limits() {
        let tmp = TempDir::new("limits");
        let limits = Limits::default();
        let (script, lock) = approve(&tmp.0, SCRIPT, &limits, None);
        let more = Limits {
            max_agents: 5_000,
            ..limits
        };
        let msg = verify(&lock, &script, SCRIPT, &more, None)
            .expect_err("other limits")
            .to_string();
        assert!(msg.contains("limits: max-agents 1000 → 5000"), "{msg}");
    }

    #[test]
    fn lock_round_trips_sorted_and_upserts_idempotently() {
        let tmp = TempDir::new("roundtrip");
        let limits = Limits::default();
        let (_, lock_path) = approve(&tmp.0, SCRIPT, &limits, None);
        let mut lock = Lockfile::load(&lock_path).expect("load").expect("exists");
        let mut b = lock.workflows[0].clone();
        b.path = "b/z.js".into();
        let mut a = lock.workflows[0].clone();
        a.path = "a.js".into();
        assert_eq!(lock.upsert(b.clone()), Upsert::Added);
        assert_eq!(lock.upsert(a.clone()), Upsert::Added);
        let paths: Vec<_> = lock.workflows.iter().map(|w| w.path.as_str()).collect();
        assert_eq!(paths, ["a.js", "b/z.js", "w.js"]);
        assert_eq!(lock.upsert(a.clone()), Upsert::Unchanged);
        let text = lock.to_toml().expect("serializes");
        assert!(text.starts_with("# wfc.lock: "), "{text}");
        let back = Lockfile::parse(&text).expect("parses");
        assert_eq!(back, lock);
        assert_eq!(back.to_toml().expect("serializes"), text);
        let mut changed = a.clone();
        changed.plan_hash = "sha256:00".into();
        assert!(matches!(lock.upsert(changed), Upsert::Updated(old) if *old == a));
        assert!(Lockfile::parse(&text.replace("version = 1", "version = 9")).is_err());
        let twice = format!("{text}\n[[workflow]]\npath = \"a.js\"\nplan_hash = \"x\"\n[workflow.summary]\nagents = \"1\"\n");
        let err = Lockfile::parse(&twice).expect_err("duplicate");
        assert!(err.contains("listed twice"), "{err}");
    }

    #[test]
    fn lock_keys_are_relative_to_the_lock_file() {
        let tmp = TempDir::new("keys");
        std::fs::create_dir_all(tmp.0.join("ci")).expect("mkdir");
        std::fs::create_dir_all(tmp.0.join("scripts")).expect("mkdir");
        let script = tmp.0.join("scripts").join("a.js");
        std::fs::write(&script, SCRIPT).expect("write");
        let key = |lock: &Path| lock_key(lock, &script).expect("key");
        assert_eq!(key(&tmp.0.join("wfc.lock")), "scripts/a.js");
        assert_eq!(key(&tmp.0.join("ci").join("wfc.lock")), "../scripts/a.js");
        let dotted = tmp.0.join("ci").join("..").join("scripts").join("a.js");
        assert_eq!(
            lock_key(&tmp.0.join("wfc.lock"), &dotted).expect("key"),
            "scripts/a.js"
        );
        assert!(lock_key(&tmp.0.join("wfc.lock"), &tmp.0.join("none.js")).is_err());
    }

    #[test]
    fn relative_paths() {
        let r = |b: &str, t: &str| relative(Path::new(b), Path::new(t));
        assert_eq!(r("/w/repo", "/w/repo/scripts/a.js"), "scripts/a.js");
        assert_eq!(r("/w/repo/ci", "/w/repo/scripts/a.js"), "../scripts/a.js");
        assert_eq!(r("/w/repo", "/w/repo/a.js"), "a.js");
    }

    #[test]
    fn site_ids_sort_numerically() {
        assert!(site_order("s2") < site_order("s12"));
        assert_eq!(site_order("weird"), u64::MAX);
    }
}
