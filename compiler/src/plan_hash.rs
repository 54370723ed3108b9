//! Plan hashes: a fingerprint of what a script does, for approvals (`wfc approve`, `wfc.lock`).
//!
//! The hash is taken over the IR, not the text, so that only semantic changes change it:
//! comments are not in the IR, string quotes, escapes and number spellings are already
//! normalised by lowering (`'a'` and `"a"` are the same literal, `1_000` and `1e3` the same
//! number), and the only things that depend on layout — byte spans — are removed here. The ids
//! the IR numbers things with (bindings, scopes, sites) count in source order, so they survive
//! reformatting and are kept: they make the hash see which declaration a name refers to.
//!
//! The canonical form is compact JSON with every object's keys sorted, so the hash does not
//! depend on the order fields are declared in the IR's Rust types either.

use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use wfc_ir::visit::{walk_expr, Visitor};
use wfc_ir::{Expr, ExprKind, SiteId, Workflow};

use crate::Limits;

/// Bumped whenever the normalisation changes, so that old approvals stop matching rather than
/// match by accident.
pub const VERSION: u32 = 1;

/// The prefix of every plan and args hash: the algorithm, so a later change of it is visible.
pub const PREFIX: &str = "sha256:";

/// Hex digits kept for per-site hashes: they only name which call changed (the plan hash is the
/// one that is checked), and short ones keep `wfc.lock` readable.
const SITE_HASH_HEX: usize = 16;

/// Keys dropped from an agent call before its per-site hash is taken, besides spans: ids that
/// count in source order. Inserting a call or a declaration earlier in the script renumbers
/// them, and an untouched call should keep its hash so that a diff can say "added", not
/// "everything after it changed".
const POSITIONAL_IDS: [&str; 4] = ["site", "binding", "scope", "self_binding"];

/// The hashes of one script's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanHash {
    /// `sha256:<64 hex digits>` of the normalised IR, the version tag, and the limits and args
    /// when given.
    pub plan: String,
    /// One short hash per `agent()` call, in site order: the call expression normalised the same
    /// way, without positional ids.
    pub sites: Vec<(SiteId, String)>,
    /// `sha256:<64 hex digits>` of the canonical args, when args were given.
    pub args: Option<String>,
}

impl std::fmt::Display for PlanHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.plan)
    }
}

/// Hashes a workflow's plan. `limits` (`max_agents` and `max_items`) and `args` are part of the
/// hash when given: an approval made with them holds only for a run with the same ones.
pub fn plan_hash(workflow: &Workflow, limits: Option<&Limits>, args: Option<&Value>) -> PlanHash {
    let mut input = Map::new();
    input.insert("format".into(), Value::from("wfc-plan"));
    input.insert("version".into(), Value::from(VERSION));
    input.insert("workflow".into(), normalized_ir(workflow));
    if let Some(l) = limits {
        input.insert("limits".into(), limits_json(l));
    }
    if let Some(a) = args {
        input.insert("args".into(), a.clone());
    }
    // `sorted` rather than `canonical_json`: the input is owned, no need to copy the IR again.
    let plan = sha256(sorted(Value::Object(input)).to_string().as_bytes());

    let mut calls = SiteHashes::default();
    wfc_ir::visit::walk_workflow(&mut calls, workflow);
    let mut sites = calls.0;
    sites.sort_by_key(|(id, _)| *id);
    sites.dedup_by_key(|(id, _)| *id);

    PlanHash {
        plan,
        sites,
        args: args.map(args_hash),
    }
}

/// The hash of a workflow's `args`: the same value written with other key order or spacing has
/// the same hash.
pub fn args_hash(args: &Value) -> String {
    sha256(canonical_json(args).as_bytes())
}

/// The IR as the plan hash sees it: spans removed, object keys sorted.
pub fn normalized_ir(workflow: &Workflow) -> Value {
    normalize(to_value(workflow), &[])
}

/// Compact JSON with every object's keys sorted (recursively): one text per value.
pub fn canonical_json(value: &Value) -> String {
    sorted(value.clone()).to_string()
}

/// A hash cut for display: the prefix and the first 12 hex digits.
pub fn short(hash: &str) -> &str {
    let end = hash
        .strip_prefix(PREFIX)
        .map_or(12, |_| PREFIX.len() + 12)
        .min(hash.len());
    // Hashes are ASCII; `get` keeps this total should a hand-edited lock hold something else.
    hash.get(..end).unwrap_or(hash)
}

/// The limits that bound what a run may do. `max_concurrency` is left out: it changes how fast a
/// run goes (how many agents at once), not which agents it may spawn, and a run's `--concurrency`
/// should not need a new approval.
fn limits_json(l: &Limits) -> Value {
    let mut m = Map::new();
    m.insert("max_agents".into(), Value::from(l.max_agents));
    m.insert("max_items".into(), Value::from(l.max_items));
    Value::Object(m)
}

fn to_value<T: serde::Serialize + std::fmt::Debug>(ir: &T) -> Value {
    // The IR's maps all have string keys and its numbers are finite or strings, so this does not
    // fail. Should it ever, hash the debug text instead: it contains the spans, so the hash would
    // change on every edit (an approval fails closed), and it never equals another script's.
    serde_json::to_value(ir)
        .unwrap_or_else(|e| Value::String(format!("unserializable IR ({e}): {ir:?}")))
}

/// Drops span fields (and the keys in `drop`) everywhere, and rebuilds every object with its keys
/// sorted.
fn normalize(value: Value, drop: &[&str]) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map
                .into_iter()
                .filter(|(k, v)| !is_span_key(k) && !is_span(v) && !drop.contains(&k.as_str()))
                .map(|(k, v)| (k, normalize(v, drop)))
                .collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| normalize(v, drop)).collect())
        }
        other => other,
    }
}

/// The value with every object's keys sorted, nothing dropped (args are user data: a `span` key
/// in them means something).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> =
                map.into_iter().map(|(k, v)| (k, sorted(v))).collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().collect())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}

/// `span`, `key_span`, and any other `…_span` field the IR has or gains.
fn is_span_key(key: &str) -> bool {
    key == "span" || key.ends_with("_span")
}

/// A serialized [`wfc_ir::Span`], whatever its field is called: exactly `{start, end}`, both
/// offsets. No other IR type has that shape (script objects are lowered to `props` lists, never
/// to JSON objects), so nothing semantic is dropped by this.
fn is_span(v: &Value) -> bool {
    match v {
        Value::Object(m) => {
            m.len() == 2
                && m.get("start").is_some_and(Value::is_u64)
                && m.get("end").is_some_and(Value::is_u64)
        }
        _ => false,
    }
}

fn sha256(bytes: &[u8]) -> String {
    format!("{PREFIX}{:x}", Sha256::digest(bytes))
}

/// The per-site hash of every `agent()` call expression, hashed as it is visited (the visitor's
/// borrows do not outlive the call, so the expressions cannot be collected first).
#[derive(Default)]
struct SiteHashes(Vec<(SiteId, String)>);

impl Visitor<'_> for SiteHashes {
    fn visit_expr(&mut self, expr: &Expr) {
        if let ExprKind::Agent(call) = &expr.kind {
            let normalized = normalize(to_value(expr), &POSITIONAL_IDS);
            // `normalize` already sorted the keys: this is the canonical text.
            let digest = sha256(normalized.to_string().as_bytes());
            let hex = digest
                .get(PREFIX.len()..PREFIX.len() + SITE_HASH_HEX)
                .unwrap_or(&digest);
            self.0.push((call.site, hex.to_owned()));
        }
        walk_expr(self, expr);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = r#"export const meta = {
  name: 'hash-test',
  description: 'Scan then fix',
  phases: [{ title: 'Scan' }, { title: 'Fix' }],
};
const files = args.files;
phase('Scan');
const found = await agent('List the failing tests', { label: 'scan', model: 'haiku' });
phase('Fix');
for (let i = 0; i < 3; i++) {
  await agent(`Fix round ${i} of ${files.length}`, { label: 'fix', effort: 'high' });
}
log('done');
return found;
"#;

    /// BASE reformatted: other indentation and line breaks, comments, double quotes, trailing
    /// commas, no semicolons, numbers spelled differently.
    const REFORMATTED: &str = r#"// A header comment.
export const meta = { name: "hash-test", description: "Scan then fix",
    phases: [ { title: "Scan", }, { title: "Fix", }, ], }

/* the inputs */
const files = args.files
phase("Scan")
const found = await agent(
    "List the failing tests", // what to ask
    { label: "scan", model: "haiku", },
)
phase("Fix")
for (let i = 0x0; i < 3.0; i++)
{
    await agent(`Fix round ${i} of ${files.length}`, { label: "fix", effort: "high" })
}
log("done")
return found
"#;

    fn hash_of(src: &str) -> PlanHash {
        hash_with(src, None, None)
    }

    fn hash_with(src: &str, limits: Option<&Limits>, args: Option<&Value>) -> PlanHash {
        let (workflow, diagnostics) = crate::compile(src);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        plan_hash(&workflow.expect("lowered"), limits, args)
    }

    fn changed(from: &str, to: &str) -> PlanHash {
        assert!(BASE.contains(from), "{from}");
        let h = hash_of(&BASE.replacen(from, to, 1));
        assert_ne!(h.plan, hash_of(BASE).plan, "{from} → {to}");
        h
    }

    #[test]
    fn plan_hash_shape() {
        let h = hash_of(BASE);
        assert!(
            h.plan.starts_with("sha256:") && h.plan.len() == 7 + 64,
            "{}",
            h.plan
        );
        assert_eq!(h.sites.len(), 2);
        assert_eq!(h.sites[0].0, SiteId(0));
        assert!(h.sites.iter().all(|(_, s)| s.len() == SITE_HASH_HEX));
        assert_eq!(h.args, None);
        assert_eq!(short(&h.plan).len(), 7 + 12);
        assert_eq!(short("abc"), "abc");
        assert_eq!(h.to_string(), h.plan);
    }

    #[test]
    fn plan_hash_ignores_formatting_and_comments() {
        assert_eq!(hash_of(REFORMATTED), hash_of(BASE));
        // Spacing alone, and a trailing newline.
        let spaced = BASE.replace("  ", "\t").replace(" = ", "   =   ") + "\n\n";
        assert_eq!(hash_of(&spaced), hash_of(BASE));
        // Escapes are normalised with the literal.
        let escaped = BASE.replace("'scan'", r"'sc\x61n'");
        assert_eq!(hash_of(&escaped), hash_of(BASE));
    }

    #[test]
    fn plan_hash_sees_semantic_changes() {
        // A prompt: the plan hash and exactly that site's hash change.
        let h = changed("List the failing tests", "List the flaky tests");
        let base = hash_of(BASE);
        assert_ne!(h.sites[0], base.sites[0]);
        assert_eq!(h.sites[1], base.sites[1]);
        // An option, a new option, a loop bound, a number elsewhere.
        changed("model: 'haiku'", "model: 'opus'");
        changed("label: 'fix', ", "label: 'fix', isolation: 'worktree', ");
        let h = changed("i < 3", "i < 4");
        assert_eq!(h.sites, base.sites, "the calls themselves did not change");
        changed("i++", "i += 2");
        // Meta, a log message, the returned value.
        changed("'Scan then fix'", "'Scan, then fix'");
        changed("log('done')", "log('finished')");
        changed("return found;", "return files;");
    }

    #[test]
    fn plan_hash_sees_reordered_statements() {
        let swapped = BASE.replacen(
            "log('done');\nreturn found;",
            "return found;\nlog('done');",
            1,
        );
        assert_ne!(hash_of(&swapped).plan, hash_of(BASE).plan);
        let swapped = BASE.replacen(
            "const files = args.files;\nphase('Scan');",
            "phase('Scan');\nconst files = args.files;",
            1,
        );
        assert_ne!(hash_of(&swapped).plan, hash_of(BASE).plan);
    }

    #[test]
    fn plan_hash_site_hashes_survive_an_inserted_call() {
        let base = hash_of(BASE);
        let inserted = BASE.replacen(
            "phase('Scan');",
            "const n = 1;\nphase('Scan');\nawait agent('Warm up');",
            1,
        );
        let h = hash_of(&inserted);
        assert_eq!(h.sites.len(), 3);
        // The old calls moved to s1 and s2 (and their bindings renumbered): same hashes.
        assert_eq!(h.sites[1].1, base.sites[0].1);
        assert_eq!(h.sites[2].1, base.sites[1].1);
    }

    #[test]
    fn plan_hash_includes_limits_and_args_when_given() {
        let base = hash_of(BASE).plan;
        let limits = Limits::default();
        let with_limits = hash_with(BASE, Some(&limits), None).plan;
        assert_ne!(with_limits, base);
        let more = Limits {
            max_agents: 2_000,
            ..limits
        };
        assert_ne!(hash_with(BASE, Some(&more), None).plan, with_limits);
        let fewer_items = Limits {
            max_items: 10,
            ..limits
        };
        assert_ne!(hash_with(BASE, Some(&fewer_items), None).plan, with_limits);
        // Concurrency is speed, not behaviour.
        let slower = Limits {
            max_concurrency: 1,
            ..limits
        };
        assert_eq!(hash_with(BASE, Some(&slower), None).plan, with_limits);

        let args: Value = serde_json::json!({ "files": ["a.js", "b.js"], "mode": "fast" });
        let h = hash_with(BASE, None, Some(&args));
        assert_ne!(h.plan, base);
        assert_eq!(h.args.as_deref(), Some(args_hash(&args).as_str()));
        let other: Value = serde_json::json!({ "files": ["a.js"], "mode": "fast" });
        assert_ne!(hash_with(BASE, None, Some(&other)).plan, h.plan);
        // Key order and spacing are not part of the args.
        let reordered: Value =
            serde_json::from_str(r#"{ "mode" : "fast", "files" : [ "a.js", "b.js" ] }"#)
                .expect("json");
        assert_eq!(hash_with(BASE, None, Some(&reordered)), h);
    }

    #[test]
    fn plan_hash_strips_spans_only() {
        let (workflow, _) = crate::compile(BASE);
        let ir = normalized_ir(&workflow.expect("lowered"));
        let text = ir.to_string();
        assert!(
            !text.contains("\"span\"") && !text.contains("_span\""),
            "{text}"
        );
        assert!(!text.contains("\"start\""), "{text}");
        assert!(text.contains("List the failing tests"));
        assert!(
            text.contains("\"binding\""),
            "ids are kept in the plan hash"
        );
        // Args are user data: a `span` key in them is kept.
        let args = serde_json::json!({ "span": { "start": 1, "end": 2 }, "b": 1 });
        assert_eq!(
            canonical_json(&args),
            r#"{"b":1,"span":{"end":2,"start":1}}"#
        );
    }

    #[test]
    fn plan_hash_of_every_valid_fixture_is_stable_under_comment_stripping() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/valid");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).expect("fixtures") {
            let path = entry.expect("entry").path();
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // Whole-line `//` comments removed and every line re-indented: layout only.
            let stripped: String = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//"))
                .map(|l| format!("    {}\n", l.trim_start()))
                .collect();
            // Template literals span lines: re-indenting them would change their text.
            if text.contains('`') && text.lines().any(|l| l.matches('`').count() % 2 == 1) {
                continue;
            }
            let (a, _) = crate::compile(&text);
            let (b, _) = crate::compile(&stripped);
            let (Some(a), Some(b)) = (a, b) else {
                panic!("{} does not compile", path.display());
            };
            assert_eq!(
                plan_hash(&a, None, None),
                plan_hash(&b, None, None),
                "{}",
                path.display()
            );
            seen += 1;
        }
        assert!(seen > 5, "only {seen} fixtures compared");
    }
}
