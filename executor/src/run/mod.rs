//! Running a workflow: the scheduler that answers the evaluator's `agent()` calls.
//!
//! Every accepted `agent()` call becomes a node of a petgraph DAG whose edges are the
//! happens-before relation the evaluator observed (the agents whose results the calling code had
//! awaited, see [`crate::eval::Cause`]). A called agent is *ready* at once: the script only calls
//! `agent()` when its inputs are known, so the DAG grows as the program unfolds. Ready agents wait
//! in a queue ordered by priority (the longest estimated remaining path from the static plan, ties
//! by call order) or in call order (`Schedule::Fifo`, the JavaScript runtime's order), and start
//! when one of the `concurrency` slots is free.
//!
//! Time is either virtual (the `sim` backend: an agent's duration is known when it starts, and the
//! clock jumps from one completion to the next, as the reference runtime does) or real (agents
//! are tokio tasks; completions arrive on a channel).

pub mod recorder;
pub mod trace;

pub use recorder::{JournalRecorder, Recorder};

use std::cell::RefCell;
use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeSet, BinaryHeap, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use wfc_ir::{SiteId, Workflow};

use crate::backend::sim::{find_contradiction, js_stringify};
use crate::backend::{AgentOutcome, AgentRequest, Backend, BackendError};
use crate::eval::interp::Cx;
use crate::eval::promise::PromiseState;
use crate::eval::value::{utf16_len, Obj, Res, Value};
use crate::eval::{json, ops, AgentCallInfo, Cause, Host, LogLevel, Rt, Script};

/// The per-run `agent()` cap of the runtime.
pub const DEFAULT_MAX_AGENTS: u32 = 1000;
/// The runtime's default concurrency.
pub const DEFAULT_CONCURRENCY: usize = 16;

pub const CAP_MSG: &str = "Workflow agent() call cap reached";
pub const STUCK_MSG: &str = "the workflow never settled: it is waiting for a promise that no agent, timer or child workflow can resolve";

/// The order in which ready agents start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Schedule {
    /// Longest estimated remaining path first (from the static plan), ties by call order.
    #[default]
    Priority,
    /// Call order: what the JavaScript runtime does.
    Fifo,
}

/// Whether agent durations are simulated or real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Clock {
    /// The backend answers at once with a duration; the clock jumps between completions.
    #[default]
    Virtual,
    /// Agents take real time.
    Real,
}

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub concurrency: usize,
    pub max_agents: u32,
    /// `budget.total` in tokens; `None` leaves it `null`.
    pub budget: Option<f64>,
    pub schedule: Schedule,
    /// Estimated remaining path (ms) from each top-level `agent()` site to the end of the run.
    pub priorities: HashMap<SiteId, f64>,
    pub clock: Clock,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: DEFAULT_CONCURRENCY,
            max_agents: DEFAULT_MAX_AGENTS,
            budget: None,
            schedule: Schedule::Priority,
            priorities: HashMap::new(),
            clock: Clock::Virtual,
        }
    }
}

/// A script ready to run: its IR and its text.
pub struct ScriptSource {
    pub workflow: Workflow,
    pub source: String,
    pub path: PathBuf,
}

/// Loads a child workflow for `workflow()` (parsing is the compiler's job, not the executor's).
pub trait Loader {
    /// The lowered script at `path`, or the message the parent's `workflow()` rejects with
    /// (a syntax error, a meta error, …).
    fn load(&self, path: &Path) -> Result<ScriptSource, String>;
}

/// A loader for runs that have no child workflows.
pub struct NoChildren;

impl Loader for NoChildren {
    fn load(&self, path: &Path) -> Result<ScriptSource, String> {
        Err(format!("cannot load {}", path.display()))
    }
}

/// What happens during a run, for progress displays and `--events jsonl`.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RunEvent {
    /// An `agent()` call was accepted and waits for a slot.
    Queued {
        seq: u32,
        at_ms: u64,
        site: String,
        label: Option<String>,
        phase: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        workflow: Option<String>,
    },
    Started {
        seq: u32,
        at_ms: u64,
    },
    Completed {
        seq: u32,
        at_ms: u64,
        duration_ms: u64,
    },
    /// The agent failed: the script sees `null` (`throws: false`) or a rejection (`throws: true`).
    Failed {
        seq: u32,
        at_ms: u64,
        throws: bool,
        message: String,
    },
    /// An `agent()` call was refused before it started (cap, budget, bad arguments, schema).
    Refused {
        at_ms: u64,
        site: String,
        message: String,
    },
    Log {
        at_ms: u64,
        message: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        workflow: Option<String>,
    },
    Finished {
        at_ms: u64,
        ok: bool,
        agents: u32,
    },
}

/// Receives run events.
pub trait Observer {
    fn event(&mut self, event: &RunEvent);
}

impl<F: FnMut(&RunEvent)> Observer for F {
    fn event(&mut self, event: &RunEvent) {
        self(event)
    }
}

/// The state of one agent node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgentStatus {
    Queued,
    Running,
    Completed,
    /// Resolved to `null` (terminal failure).
    Failed,
    /// Rejected (schema validation failed after the retries).
    Rejected,
}

/// One accepted `agent()` call.
#[derive(Debug, Clone, Serialize)]
pub struct AgentRecord {
    pub seq: u32,
    /// `line:column` of the `agent` callee in its file.
    pub site: String,
    #[serde(skip)]
    pub site_id: Option<SiteId>,
    pub prompt_hash: String,
    pub label: Option<String>,
    pub phase: Option<String>,
    pub workflow: Option<String>,
    pub call_ms: u64,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    /// The agents whose results the calling code had observed (the DAG's in-edges), by seq.
    pub deps: Vec<u32>,
    pub status: AgentStatus,
    pub priority: f64,
    #[serde(skip)]
    pub request: AgentRequest,
    #[serde(skip)]
    pub error: Option<String>,
    /// Answered from the journal of an earlier attempt (a resume), not by the backend.
    pub cached: bool,
}

/// What a run produced.
pub struct RunReport {
    /// The workflow's return value as JSON text (`JSON.stringify(result) ?? "null"`), or the
    /// message of what it threw.
    pub result: Result<String, String>,
    pub makespan_ms: u64,
    pub agents: Vec<AgentRecord>,
    pub logs: Vec<String>,
    /// The executed DAG: one node per agent (its seq), edges from dependency to dependant.
    pub graph: DiGraph<u32, ()>,
    /// Calls answered from the journal, and calls that had to run (resume).
    pub cache_hits: u64,
    pub cache_misses: u64,
    /// The journal could not record the end of the run.
    pub journal_error: Option<String>,
}

impl RunReport {
    /// The JSONL trace (`--trace`): one line per agent, then a summary line.
    pub fn trace_jsonl(&self) -> String {
        trace::to_jsonl(self)
    }
}

struct Ready {
    priority: f64,
    seq: u32,
}

impl PartialEq for Ready {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Ready {}
impl PartialOrd for Ready {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Ready {
    /// Higher priority first, then lower seq (the max of the heap is the next to start).
    fn cmp(&self, other: &Self) -> Ordering {
        self.priority
            .total_cmp(&other.priority)
            .then_with(|| other.seq.cmp(&self.seq))
    }
}

enum EventKind {
    Agent(u32),
    Timer(u64),
}

struct Timer {
    callback: Value,
    args: Vec<Value>,
}

type AgentResult = Result<AgentOutcome, BackendError>;

struct State {
    now: u64,
    spent: f64,
    records: Vec<AgentRecord>,
    promises: Vec<Obj>,
    outcomes: HashMap<u32, AgentResult>,
    ready_heap: BinaryHeap<Ready>,
    ready_fifo: VecDeque<u32>,
    running: usize,
    /// Virtual-clock events as (time, creation order); what each is lives in `event_kinds`.
    events: BinaryHeap<Reverse<(u64, u64)>>,
    event_kinds: HashMap<u64, EventKind>,
    event_seq: u64,
    timers: HashMap<u64, Timer>,
    timer_id: u64,
    logs: Vec<String>,
    graph: DiGraph<u32, ()>,
    nodes: Vec<NodeIndex>,
    /// Real clock: agents to start as tokio tasks.
    to_spawn: Vec<u32>,
    /// Real clock: timers as (due instant ms, id).
    real_timers: BTreeSet<(u64, u64)>,
}

struct Sched {
    opts: RunOptions,
    backend: Arc<dyn Backend>,
    loader: Box<dyn Loader>,
    observer: RefCell<Box<dyn Observer>>,
    state: RefCell<State>,
    started: Instant,
    recorder: RefCell<Option<Box<dyn Recorder>>>,
    /// Set when the run must stop (the journal cannot record a result).
    fatal: RefCell<Option<String>>,
}

impl Sched {
    fn emit(&self, e: RunEvent) {
        self.observer.borrow_mut().event(&e);
    }

    fn now(&self) -> u64 {
        match self.opts.clock {
            Clock::Virtual => self.state.borrow().now,
            Clock::Real => self.started.elapsed().as_millis() as u64,
        }
    }

    fn next_event_seq(st: &mut State) -> u64 {
        st.event_seq += 1;
        st.event_seq
    }

    /// Starts ready agents while slots are free.
    fn dispatch(&self) {
        let now = self.now();
        let mut started = Vec::new();
        {
            let mut st = self.state.borrow_mut();
            while st.running < self.opts.concurrency.max(1) {
                let next = match self.opts.schedule {
                    Schedule::Priority => st.ready_heap.pop().map(|r| r.seq),
                    Schedule::Fifo => st.ready_fifo.pop_front(),
                };
                let Some(seq) = next else { break };
                st.running += 1;
                let idx = seq as usize - 1;
                st.records[idx].start_ms = Some(now);
                st.records[idx].status = AgentStatus::Running;
                match self.opts.clock {
                    Clock::Virtual => {
                        let duration = match st.outcomes.get(&seq) {
                            Some(Ok(o)) => o.duration_ms,
                            _ => 0,
                        };
                        let es = Self::next_event_seq(&mut st);
                        st.events.push(Reverse((now + duration, es)));
                        st.event_kinds.insert(es, EventKind::Agent(seq));
                    }
                    Clock::Real => st.to_spawn.push(seq),
                }
                started.push(seq);
            }
        }
        for seq in started {
            self.emit(RunEvent::Started { seq, at_ms: now });
            let record = {
                let st = self.state.borrow();
                let r = &st.records[seq as usize - 1];
                (!r.cached).then(|| r.clone())
            };
            if let (Some(record), Some(rec)) = (record, self.recorder.borrow_mut().as_mut()) {
                if let Err(e) = rec.started(&record) {
                    self.fail(format!("the journal cannot record a call: {e}"));
                }
            }
        }
    }

    fn fail(&self, message: String) {
        self.fatal.borrow_mut().get_or_insert(message);
    }

    /// Completes agent `seq` with its outcome: frees its slot, lets queued agents take it, then
    /// resolves the promise the script holds.
    fn complete(&self, rt: &Rt, seq: u32, outcome: AgentResult, at: u64) {
        let idx = seq as usize - 1;
        let (promise, event) = {
            let mut st = self.state.borrow_mut();
            st.running = st.running.saturating_sub(1);
            let promise = st.promises[idx].clone();
            let rec = &mut st.records[idx];
            rec.end_ms = Some(at);
            let event = match &outcome {
                Ok(o) => {
                    rec.status = AgentStatus::Completed;
                    let tokens = utf16_len(&js_stringify(&o.answer)) as f64;
                    st.spent += tokens;
                    RunEvent::Completed {
                        seq,
                        at_ms: at,
                        duration_ms: o.duration_ms,
                    }
                }
                Err(e) => {
                    let throws = !matches!(e, BackendError::Failed(_));
                    rec.status = if throws {
                        AgentStatus::Rejected
                    } else {
                        AgentStatus::Failed
                    };
                    rec.error = Some(e.to_string());
                    RunEvent::Failed {
                        seq,
                        at_ms: at,
                        throws,
                        message: e.to_string(),
                    }
                }
            };
            (promise, event)
        };
        self.emit(event);
        let cached = self.state.borrow().records[idx].cached;
        if let (false, Some(rec)) = (cached, self.recorder.borrow_mut().as_mut()) {
            let written = match &outcome {
                Ok(o) => rec.completed(seq, &o.answer, o.duration_ms),
                Err(e) => rec.failed(seq, &e.to_string()),
            };
            if let Err(e) = written {
                // The script must not see a result the journal does not hold.
                self.fail(format!("the journal cannot record a result: {e}"));
                return;
            }
        }
        self.dispatch();
        let saved = rt.swap_cause(Cause::agent(seq));
        match outcome {
            Ok(o) => rt.resolve_promise(&promise, json::from_serde(rt, &o.answer)),
            Err(BackendError::Failed(_)) => rt.resolve_promise(&promise, Value::Null),
            Err(e) => rt.reject_promise(&promise, rt.host_error("Error", &e.to_string())),
        }
        rt.swap_cause(saved);
    }

    fn fire_timer(&self, rt: &Rt, id: u64) -> Res<()> {
        let timer = self.state.borrow_mut().timers.remove(&id);
        if let Some(t) = timer {
            rt.call(&t.callback, &Value::Undefined, &t.args)?;
        }
        Ok(())
    }

    fn priority(&self, call: &AgentCallInfo) -> f64 {
        if call.script.is_child() {
            return 0.0;
        }
        call.site
            .and_then(|s| self.opts.priorities.get(&s).copied())
            .unwrap_or(0.0)
    }
}

impl Host for Sched {
    fn agent(&self, rt: &Rt, call: AgentCallInfo) -> Res<Value> {
        let refuse = |message: String| {
            self.emit(RunEvent::Refused {
                at_ms: self.now(),
                site: call.site_pos.clone(),
                message: message.clone(),
            });
            Err(rt.host_error("Error", &message))
        };
        if let Some(schema) = call.options.get("schema") {
            if let Some(c) = find_contradiction(schema) {
                return refuse(crate::backend::sim::SimError::Contradiction(c).to_string());
            }
        }
        let request = AgentRequest::new(call.prompt.clone(), call.options.clone());
        // The sim backend answers at call time, so its guards reject the call before the cap and
        // budget checks, as in the reference runtime.
        let early = match self.opts.clock {
            Clock::Virtual => match crate::eval::poll_once(self.backend.run(&request)) {
                Some(Err(BackendError::Rejected(m))) => return refuse(m),
                Some(r) => Some(r),
                None => Some(Err(BackendError::Failed(
                    "the backend did not answer at once; use a real clock".into(),
                ))),
            },
            Clock::Real => None,
        };
        let (count, spent) = {
            let st = self.state.borrow();
            (st.records.len() as u32, st.spent)
        };
        if count >= self.opts.max_agents {
            return refuse(CAP_MSG.to_string());
        }
        if let Some(total) = self.opts.budget {
            if spent >= total {
                return refuse(format!(
                    "Workflow token budget exhausted: spent {} of {} tokens",
                    crate::eval::value::number_to_string(spent),
                    crate::eval::value::number_to_string(total)
                ));
            }
        }
        let prompt_hash = crate::journal::prompt_hash(&call.prompt, &call.options);
        let mut early = early;
        let mut cached = false;
        if let Some(rec) = self.recorder.borrow_mut().as_mut() {
            if let Some(answer) = rec.cached(&prompt_hash) {
                early = Some(Ok(AgentOutcome {
                    answer,
                    duration_ms: 0,
                }));
                cached = true;
            }
        }
        let label = call
            .options
            .get("label")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let phase = match call.options.get("phase").and_then(|v| v.as_str()) {
            Some(p) => Some(p.to_string()),
            None => call.script.phase.borrow().clone(),
        };
        let deps = rt.current_cause().seqs().to_vec();
        let priority = self.priority(&call);
        let now = self.now();
        let promise = rt.new_promise();
        let seq = {
            let mut st = self.state.borrow_mut();
            let seq = st.records.len() as u32 + 1;
            let node = st.graph.add_node(seq);
            for d in &deps {
                if let Some(&from) = st.nodes.get(*d as usize - 1) {
                    st.graph.add_edge(from, node, ());
                }
            }
            st.nodes.push(node);
            st.records.push(AgentRecord {
                seq,
                site: call.site_pos.clone(),
                site_id: call.site,
                prompt_hash,
                label: label.clone(),
                phase: phase.clone(),
                workflow: call.script.name.clone(),
                call_ms: now,
                start_ms: None,
                end_ms: None,
                deps: deps.clone(),
                status: AgentStatus::Queued,
                priority,
                request,
                error: None,
                cached,
            });
            st.promises.push(promise.clone());
            if let Some(r) = early {
                st.outcomes.insert(seq, r);
            }
            match self.opts.schedule {
                Schedule::Priority => st.ready_heap.push(Ready { priority, seq }),
                Schedule::Fifo => st.ready_fifo.push_back(seq),
            }
            seq
        };
        rt.agent_deps.borrow_mut().push(Rc::from(deps));
        self.emit(RunEvent::Queued {
            seq,
            at_ms: now,
            site: call.site_pos,
            label,
            phase,
            workflow: call.script.name.clone(),
        });
        self.dispatch();
        Ok(Value::Object(promise))
    }

    fn set_timeout(&self, _rt: &Rt, callback: Value, delay_ms: u64, args: Vec<Value>) -> u64 {
        let now = self.now();
        let mut st = self.state.borrow_mut();
        st.timer_id += 1;
        let id = st.timer_id;
        st.timers.insert(id, Timer { callback, args });
        match self.opts.clock {
            Clock::Virtual => {
                let es = Self::next_event_seq(&mut st);
                st.events.push(Reverse((now + delay_ms, es)));
                st.event_kinds.insert(es, EventKind::Timer(id));
            }
            Clock::Real => {
                st.real_timers.insert((now + delay_ms, id));
            }
        }
        id
    }

    fn clear_timeout(&self, id: u64) {
        self.state.borrow_mut().timers.remove(&id);
    }

    fn log(&self, script: Option<&Script>, level: LogLevel, message: &str) {
        let at_ms = self.now();
        match level {
            LogLevel::Log => {
                self.state.borrow_mut().logs.push(message.to_string());
                self.emit(RunEvent::Log {
                    at_ms,
                    message: message.to_string(),
                    workflow: script.and_then(|s| s.name.clone()),
                });
            }
            LogLevel::Console(_) => {}
        }
    }

    fn budget(&self) -> (Option<f64>, f64) {
        (self.opts.budget, self.state.borrow().spent)
    }

    fn workflow(&self, rt: &Rt, parent: &Rc<Script>, target: Value, args: Value) -> Res<Value> {
        let display = match &target {
            Value::String(s) => format!("workflow('{s}')"),
            Value::Object(_) => {
                let p = rt.get(&target, "scriptPath")?;
                format!("workflow({{scriptPath: '{}'}})", ops::to_string(rt, &p)?)
            }
            other => format!(
                "workflow({{scriptPath: '{}'}})",
                ops::primitive_to_string(other)
            ),
        };
        let fail = |m: String| Err(rt.host_error("Error", &format!("{display}: {m}")));
        if parent.is_child() {
            return fail(
                "workflow() cannot be called inside a nested workflow (nesting is one level only)"
                    .into(),
            );
        }
        let (file, name) = match &target {
            Value::String(name) => {
                let stem = name.rsplit(':').next().unwrap_or(name);
                let ok = !stem.contains(['/', '\\']) && !stem.starts_with('.') && !stem.is_empty();
                let found = ok
                    .then(|| {
                        [format!("{stem}.js"), format!("{stem}.mjs")]
                            .into_iter()
                            .map(|c| parent.dir.join(c))
                            .find(|p| p.is_file())
                    })
                    .flatten();
                match found {
                    Some(f) => (f, name.to_string()),
                    None => return fail("no workflow with that name".into()),
                }
            }
            Value::Object(_) => match rt.get(&target, "scriptPath")? {
                Value::String(p) => (parent.dir.join(&*p), p.to_string()),
                _ => {
                    return Err(rt.host_error(
                        "TypeError",
                        "workflow() expects a workflow name or { scriptPath }",
                    ))
                }
            },
            _ => {
                return Err(rt.host_error(
                    "TypeError",
                    "workflow() expects a workflow name or { scriptPath }",
                ))
            }
        };
        let loaded = match self.loader.load(&file) {
            Ok(l) => l,
            Err(m) => return fail(m),
        };
        let child_args = match json::to_serde(rt, &args) {
            Ok(Some(v)) => json::from_serde(rt, &v),
            Ok(None) => Value::Undefined,
            Err(e) => {
                return fail(format!(
                    "args are not JSON-serializable: {}",
                    message_of(rt, &e)
                ))
            }
        };
        let workflow: &'static Workflow = Box::leak(Box::new(loaded.workflow));
        let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let script = Script::new(
            workflow,
            Rc::from(loaded.source),
            dir,
            Some(name),
            child_args,
        );
        let promise = rt.new_promise();
        let p = promise.clone();
        let cx = Cx {
            rt: rt.clone(),
            script,
        };
        rt.spawn(async move {
            let r = cx.run_body().await;
            let rt = &cx.rt;
            match r {
                Ok(v) => match json::to_serde(rt, &v) {
                    Ok(Some(j)) => rt.resolve_promise(&p, json::from_serde(rt, &j)),
                    Ok(None) => rt.resolve_promise(&p, Value::Undefined),
                    Err(e) => {
                        let m = format!(
                            "{display}: the result is not JSON-serializable: {}",
                            message_of(rt, &e)
                        );
                        rt.reject_promise(&p, rt.host_error("Error", &m));
                    }
                },
                Err(e) => {
                    let m = format!("{display}: {}", message_of(rt, &e));
                    rt.reject_promise(&p, rt.host_error("Error", &m));
                }
            }
        });
        Ok(Value::Object(promise))
    }
}

/// The text of a thrown value: its `message` when that is a string, otherwise `String(value)`.
pub fn message_of(rt: &Rt, e: &Value) -> String {
    if let Value::Object(_) = e {
        if let Ok(Value::String(m)) = rt.get(e, "message") {
            return m.to_string();
        }
    }
    ops::to_string(rt, e)
        .map(|s| s.to_string())
        .unwrap_or_else(|_| "[object Object]".into())
}

/// The budget object: frozen, null-prototype, `total`, `spent()`, `remaining()`.
fn budget_object(rt: &Rt, host: Rc<Sched>) -> Value {
    let o = rt.new_object();
    let total = host.opts.budget.map_or(Value::Null, Value::Number);
    let h1 = host.clone();
    let spent = rt.native_fn("spent", move |_, _, _| Ok(Value::Number(h1.budget().1)));
    let h2 = host;
    let remaining = rt.native_fn("remaining", move |_, _, _| {
        let (total, spent) = h2.budget();
        Ok(Value::Number(match total {
            None => f64::INFINITY,
            Some(t) => (t - spent).max(0.0),
        }))
    });
    {
        let mut d = o.borrow_mut();
        d.null_proto = true;
        d.props.insert("total".into(), total);
        d.props.insert("spent".into(), spent);
        d.props.insert("remaining".into(), remaining);
        d.frozen = true;
    }
    Value::Object(o)
}

/// Runs a workflow script to its end.
pub fn run(
    script: ScriptSource,
    args: Option<&serde_json::Value>,
    backend: Arc<dyn Backend>,
    loader: Box<dyn Loader>,
    opts: RunOptions,
    observer: Box<dyn Observer>,
) -> RunReport {
    run_with(script, args, backend, loader, opts, observer, None)
}

/// [`run`], recording every call with `recorder` (the journal) and reusing its cached results.
pub fn run_with(
    script: ScriptSource,
    args: Option<&serde_json::Value>,
    backend: Arc<dyn Backend>,
    loader: Box<dyn Loader>,
    opts: RunOptions,
    observer: Box<dyn Observer>,
    recorder: Option<Box<dyn Recorder>>,
) -> RunReport {
    let clock = opts.clock;
    let rt = Rt::new();
    let sched = Rc::new(Sched {
        opts,
        backend,
        loader,
        observer: RefCell::new(observer),
        state: RefCell::new(State {
            now: 0,
            spent: 0.0,
            records: Vec::new(),
            promises: Vec::new(),
            outcomes: HashMap::new(),
            ready_heap: BinaryHeap::new(),
            ready_fifo: VecDeque::new(),
            running: 0,
            events: BinaryHeap::new(),
            event_kinds: HashMap::new(),
            event_seq: 0,
            timers: HashMap::new(),
            timer_id: 0,
            logs: Vec::new(),
            graph: DiGraph::new(),
            nodes: Vec::new(),
            to_spawn: Vec::new(),
            real_timers: BTreeSet::new(),
        }),
        started: Instant::now(),
        recorder: RefCell::new(recorder),
        fatal: RefCell::new(None),
    });
    rt.set_host(sched.clone());
    *rt.budget.borrow_mut() = budget_object(&rt, sched.clone());
    let args_value = args.map_or(Value::Undefined, |a| json::from_serde(&rt, a));
    let dir = script
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let workflow: &'static Workflow = Box::leak(Box::new(script.workflow));
    let top = Script::new(workflow, Rc::from(script.source), dir, None, args_value);
    let done = rt.new_promise();
    let d = done.clone();
    let cx = Cx {
        rt: rt.clone(),
        script: top,
    };
    rt.spawn(async move {
        let r = cx.run_body().await;
        match r {
            Ok(v) => cx.rt.resolve_promise(&d, v),
            Err(e) => cx.rt.reject_promise(&d, e),
        }
    });
    let outcome = match clock {
        Clock::Virtual => drive_virtual(&rt, &sched, &done),
        Clock::Real => drive_real(&rt, &sched, &done),
    };
    let result = match outcome {
        Ok(v) => match json::stringify(&rt, &v) {
            Ok(text) => Ok(text.unwrap_or_else(|| "null".into())),
            Err(e) => Err(message_of(&rt, &e)),
        },
        Err(e) => Err(e),
    };
    let makespan_ms = sched.now();
    let (agents, logs, graph) = {
        let mut st = sched.state.borrow_mut();
        (
            std::mem::take(&mut st.records),
            std::mem::take(&mut st.logs),
            std::mem::take(&mut st.graph),
        )
    };
    sched.emit(RunEvent::Finished {
        at_ms: makespan_ms,
        ok: result.is_ok(),
        agents: agents.len() as u32,
    });
    let mut recorder = sched.recorder.borrow_mut().take();
    let (cache_hits, cache_misses) = recorder.as_ref().map_or((0, 0), |r| r.stats());
    let journal_error = recorder
        .as_mut()
        .and_then(|r| r.finish(&result, agents.len()).err());
    // Break the cycle runtime → host → budget object → runtime so the run's heap can be freed.
    *rt.budget.borrow_mut() = Value::Undefined;
    *rt.host.borrow_mut() = None;
    RunReport {
        result,
        makespan_ms,
        agents,
        logs,
        graph,
        cache_hits,
        cache_misses,
        journal_error,
    }
}

/// The settled state of the top-level promise, if it has settled.
fn settled(rt: &Rt, done: &Obj) -> Option<Result<Value, String>> {
    match rt.promise_state(done) {
        PromiseState::Pending => None,
        PromiseState::Fulfilled(v) => Some(Ok(v)),
        PromiseState::Rejected(e) => Some(Err(message_of(rt, &e))),
    }
}

fn drive_virtual(rt: &Rt, sched: &Rc<Sched>, done: &Obj) -> Result<Value, String> {
    loop {
        rt.run_microtasks();
        if let Some(e) = sched.fatal.borrow().clone() {
            return Err(e);
        }
        if let Some(r) = settled(rt, done) {
            return r;
        }
        let next = {
            let mut st = sched.state.borrow_mut();
            loop {
                match st.events.pop() {
                    None => break None,
                    Some(Reverse((t, es))) => match st.event_kinds.remove(&es) {
                        Some(EventKind::Timer(id)) if !st.timers.contains_key(&id) => continue,
                        Some(kind) => {
                            st.now = t;
                            break Some(kind);
                        }
                        None => continue,
                    },
                }
            }
        };
        match next {
            None => return Err(STUCK_MSG.to_string()),
            Some(EventKind::Agent(seq)) => {
                let (outcome, at) = {
                    let mut st = sched.state.borrow_mut();
                    let o = st
                        .outcomes
                        .remove(&seq)
                        .unwrap_or(Err(BackendError::Failed("no outcome".into())));
                    (o, st.now)
                };
                sched.complete(rt, seq, outcome, at);
            }
            Some(EventKind::Timer(id)) => {
                if let Err(e) = sched.fire_timer(rt, id) {
                    return Err(message_of(rt, &e));
                }
            }
        }
    }
}

fn drive_real(rt: &Rt, sched: &Rc<Sched>, done: &Obj) -> Result<Value, String> {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Err(format!("cannot start the async runtime: {e}")),
    };
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(u32, AgentResult)>();
        let mut handles = Vec::new();
        let result = loop {
            rt.run_microtasks();
            if let Some(e) = sched.fatal.borrow().clone() {
                break Err(e);
            }
            if let Some(r) = settled(rt, done) {
                break r;
            }
            // Start the agents the scheduler dispatched.
            let spawn: Vec<u32> = std::mem::take(&mut sched.state.borrow_mut().to_spawn);
            for seq in spawn {
                // A cached answer (resume) completes at once, without the backend.
                if let Some(r) = sched.state.borrow_mut().outcomes.remove(&seq) {
                    let _ = tx.send((seq, r));
                    continue;
                }
                let request = sched.state.borrow().records[seq as usize - 1]
                    .request
                    .clone();
                let backend = sched.backend.clone();
                let tx = tx.clone();
                handles.push(tokio::task::spawn_local(async move {
                    let r = backend.run(&request).await;
                    let _ = tx.send((seq, r));
                }));
            }
            let next_timer = sched.state.borrow().real_timers.first().copied();
            let running = sched.state.borrow().running;
            if running == 0 && next_timer.is_none() {
                break Err(STUCK_MSG.to_string());
            }
            let sleep = match next_timer {
                Some((due, _)) => Duration::from_millis(due.saturating_sub(sched.now())),
                None => Duration::from_secs(86_400 * 365),
            };
            tokio::select! {
                got = rx.recv() => {
                    if let Some((seq, r)) = got {
                        let at = sched.now();
                        sched.complete(rt, seq, r, at);
                    }
                }
                _ = tokio::time::sleep(sleep) => {
                    if let Some(key) = next_timer {
                        sched.state.borrow_mut().real_timers.remove(&key);
                        if let Err(e) = sched.fire_timer(rt, key.1) {
                            break Err(message_of(rt, &e));
                        }
                    }
                }
            }
        };
        // Agents still running are abandoned; dropping their tasks kills their processes.
        for h in handles {
            h.abort();
        }
        result
    })
}
