//! The IR evaluator: runs a lowered workflow script with JavaScript's semantics.
//!
//! The script's code is interpreted by async Rust functions ([`interp`]); every JavaScript
//! `async` function call is a task on a single-threaded executor whose run queue *is* the
//! microtask queue ([`promise`]), so the order in which code runs between agent completions is the
//! order V8 runs it. Synchronous JavaScript functions are driven to completion at once (their
//! futures never suspend). The scheduler ([`crate::sched`]) owns time: it completes one agent or
//! timer, then drains the microtask queue, as the JavaScript runtime's event loop does.

pub mod builtins;
pub mod env;
pub mod interp;
pub mod json;
pub mod ops;
pub mod primitives;
pub mod promise;
pub mod value;

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use indexmap::IndexMap;

use promise::{Job, ReactionKind};
use value::{Func, JsStr, Kind, Native, Obj, Res, Value};

pub use value::Value as JsValue;

/// A JavaScript task (an `async` function invocation or a host chain) waiting for a microtask.
pub type TaskId = usize;

type TaskFuture = Pin<Box<dyn Future<Output = ()>>>;

/// The set of agents (by seq) whose completion the running code has observed, reduced to its
/// frontier: an agent that another member already depends on is left out. These sets are the
/// happens-before edges of the run's DAG.
#[derive(Clone, Default, Debug, PartialEq, Eq)]
pub struct Cause(Option<Rc<[u32]>>);

impl Cause {
    pub fn agent(seq: u32) -> Cause {
        Cause(Some(Rc::from(vec![seq])))
    }

    pub fn seqs(&self) -> &[u32] {
        self.0.as_deref().unwrap_or(&[])
    }

    pub fn is_empty(&self) -> bool {
        self.seqs().is_empty()
    }
}

/// The union of the causes of several settlements: a barrier (`parallel`, `Promise.all`) depends
/// on every input, not only the last one to settle.
#[derive(Clone, Default)]
pub struct CauseJoin(Rc<RefCell<Cause>>);

impl CauseJoin {
    /// Adds the cause of the code running now.
    pub fn add(&self, rt: &Rt) {
        let joined = rt.union_cause(&self.0.borrow(), &rt.current_cause());
        *self.0.borrow_mut() = joined;
    }

    /// Runs `f` with the joined cause as the current one.
    pub fn run<T>(&self, rt: &Rt, f: impl FnOnce() -> T) -> T {
        let saved = rt.swap_cause(self.0.borrow().clone());
        let r = f();
        rt.swap_cause(saved);
        r
    }
}

/// Per-run state the evaluator shares with the scheduler.
pub struct RtInner {
    jobs: RefCell<VecDeque<Job>>,
    tasks: RefCell<Vec<Option<TaskFuture>>>,
    task_causes: RefCell<Vec<Cause>>,
    free_tasks: RefCell<Vec<TaskId>>,
    current_task: Cell<Option<TaskId>>,
    cause: RefCell<Cause>,
    depth: Cell<u32>,
    globals: RefCell<HashMap<String, Value>>,
    methods: RefCell<HashMap<(&'static str, String), Value>>,
    /// The direct dependencies of every agent, by seq (index seq - 1), for reducing causes.
    pub(crate) agent_deps: RefCell<Vec<Rc<[u32]>>>,
    /// The host: agent calls, timers, logs (the scheduler).
    pub(crate) host: RefCell<Option<Rc<dyn Host>>>,
    /// What an optional link (`a?.b`) throws to end its chain with `undefined`; never visible to
    /// the script.
    pub(crate) chain_token: Obj,
    /// The `budget` object the scripts see.
    pub budget: RefCell<Value>,
}

/// What the evaluator asks of the scheduler.
pub trait Host {
    /// `agent(prompt, opts)`, arguments already checked: returns the promise the script sees.
    fn agent(&self, rt: &Rt, call: AgentCallInfo) -> Res<Value>;
    /// `setTimeout`: returns the timer id.
    fn set_timeout(&self, rt: &Rt, callback: Value, delay_ms: u64, args: Vec<Value>) -> u64;
    fn clear_timeout(&self, id: u64);
    /// `log(message)`, `console.*`.
    fn log(&self, script: Option<&Script>, level: LogLevel, message: &str);
    /// The budget: `(total, spent)`.
    fn budget(&self) -> (Option<f64>, f64);
    /// `workflow(nameOrRef, args)`: the promise of the child's result.
    fn workflow(&self, rt: &Rt, script: &Rc<Script>, target: Value, args: Value) -> Res<Value>;
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Log,
    Console(&'static str),
}

/// One `agent()` call as the evaluator hands it to the scheduler.
pub struct AgentCallInfo {
    pub prompt: String,
    /// The JSON view of the options (`{}` when absent).
    pub options: serde_json::Value,
    /// The script and the call site.
    pub script: Rc<Script>,
    pub site: Option<wfc_ir::SiteId>,
    /// `line:column` (1-based, UTF-16 columns) of the `agent` callee.
    pub site_pos: String,
}

/// A workflow invocation: the top-level script or a child `workflow()`.
pub struct Script {
    pub workflow: &'static wfc_ir::Workflow,
    pub layout: env::Layout,
    pub source: Rc<str>,
    /// The directory `workflow()` names are resolved against.
    pub dir: std::path::PathBuf,
    /// The name the parent used (`None` for the top level).
    pub name: Option<String>,
    pub phase: RefCell<Option<String>>,
    pub args: Value,
    line_starts: Vec<usize>,
}

impl Script {
    pub fn new(
        workflow: &'static wfc_ir::Workflow,
        source: Rc<str>,
        dir: std::path::PathBuf,
        name: Option<String>,
        args: Value,
    ) -> Rc<Script> {
        let layout = env::Layout::new(workflow);
        let mut line_starts = vec![0];
        for (i, b) in source.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        Rc::new(Script {
            workflow,
            layout,
            source,
            dir,
            name,
            phase: RefCell::new(None),
            args,
            line_starts,
        })
    }

    pub fn is_child(&self) -> bool {
        self.name.is_some()
    }

    /// `line:column` of a byte offset, 1-based, the column in UTF-16 units (as V8 counts).
    pub fn position(&self, offset: u32) -> String {
        let offset = offset as usize;
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self
            .source
            .get(start..offset.min(self.source.len()))
            .map_or(0, value::utf16_len);
        format!("{line}:{}", col + 1)
    }
}

/// The runtime handle: cheap to clone, shared by every task of a run.
#[derive(Clone)]
pub struct Rt(Rc<RtInner>);

impl std::ops::Deref for Rt {
    type Target = RtInner;
    fn deref(&self) -> &RtInner {
        &self.0
    }
}

/// The deepest JavaScript call nesting before `RangeError: Maximum call stack size exceeded`.
pub const MAX_CALL_DEPTH: u32 = 5000;

impl Default for Rt {
    fn default() -> Self {
        Rt::new()
    }
}

impl Rt {
    pub fn new() -> Rt {
        Rt(Rc::new(RtInner {
            jobs: RefCell::new(VecDeque::new()),
            tasks: RefCell::new(Vec::new()),
            task_causes: RefCell::new(Vec::new()),
            free_tasks: RefCell::new(Vec::new()),
            current_task: Cell::new(None),
            cause: RefCell::new(Cause::default()),
            depth: Cell::new(0),
            globals: RefCell::new(HashMap::new()),
            methods: RefCell::new(HashMap::new()),
            agent_deps: RefCell::new(Vec::new()),
            host: RefCell::new(None),
            chain_token: Obj::new(Kind::Object),
            budget: RefCell::new(Value::Undefined),
        }))
    }

    pub fn set_host(&self, host: Rc<dyn Host>) {
        *self.host.borrow_mut() = Some(host);
    }

    /// The scheduler behind the primitives (an error before one is attached, e.g. in unit tests).
    pub fn host(&self) -> Res<Rc<dyn Host>> {
        self.host
            .borrow()
            .clone()
            .ok_or_else(|| self.error("Error", "no workflow host is attached"))
    }

    // ---- causes ---------------------------------------------------------------------------------

    pub fn current_cause(&self) -> Cause {
        self.cause.borrow().clone()
    }

    pub fn swap_cause(&self, c: Cause) -> Cause {
        std::mem::replace(&mut *self.cause.borrow_mut(), c)
    }

    /// The union of two causes, reduced to its frontier.
    pub fn union_cause(&self, a: &Cause, b: &Cause) -> Cause {
        if b.is_empty() || a == b {
            return a.clone();
        }
        if a.is_empty() {
            return b.clone();
        }
        let mut all: Vec<u32> = a.seqs().iter().chain(b.seqs()).copied().collect();
        all.sort_unstable();
        all.dedup();
        let deps = self.agent_deps.borrow();
        let implied = |x: u32| {
            all.iter().any(|&y| {
                y != x
                    && deps
                        .get(y as usize - 1)
                        .is_some_and(|d| d.binary_search(&x).is_ok())
            })
        };
        let kept: Vec<u32> = all.iter().copied().filter(|&x| !implied(x)).collect();
        Cause(Some(Rc::from(kept)))
    }

    // ---- tasks and the microtask queue ------------------------------------------------------------

    pub(crate) fn enqueue(&self, job: Job) {
        self.jobs.borrow_mut().push_back(job);
    }

    /// Runs microtasks until the queue is empty.
    pub fn run_microtasks(&self) {
        loop {
            let job = self.jobs.borrow_mut().pop_front();
            match job {
                Some(job) => self.run_job(job),
                None => break,
            }
        }
    }

    pub fn current_task(&self) -> Option<TaskId> {
        self.current_task.get()
    }

    /// Starts a task: polls it at once (JavaScript runs an async function synchronously up to its
    /// first `await`) and parks it if it suspends.
    pub fn spawn(&self, fut: impl Future<Output = ()> + 'static) {
        let id = match self.free_tasks.borrow_mut().pop() {
            Some(id) => id,
            None => {
                let mut tasks = self.tasks.borrow_mut();
                tasks.push(None);
                self.task_causes.borrow_mut().push(Cause::default());
                tasks.len() - 1
            }
        };
        self.task_causes.borrow_mut()[id] = self.current_cause();
        self.poll_task(id, Box::pin(fut));
    }

    fn poll_task(&self, id: TaskId, mut fut: TaskFuture) {
        let saved_task = self.current_task.replace(Some(id));
        let cause = self.task_causes.borrow()[id].clone();
        let saved_cause = self.swap_cause(cause);
        let mut cx = Context::from_waker(Waker::noop());
        let done = fut.as_mut().poll(&mut cx).is_ready();
        let cause = self.swap_cause(saved_cause);
        self.current_task.set(saved_task);
        if done {
            self.task_causes.borrow_mut()[id] = Cause::default();
            self.free_tasks.borrow_mut().push(id);
        } else {
            self.task_causes.borrow_mut()[id] = cause;
            self.tasks.borrow_mut()[id] = Some(fut);
        }
    }

    fn resume_task(&self, id: TaskId, cause: Cause) {
        let fut = self.tasks.borrow_mut().get_mut(id).and_then(Option::take);
        if let Some(fut) = fut {
            let merged = self.union_cause(&self.task_causes.borrow()[id], &cause);
            self.task_causes.borrow_mut()[id] = merged;
            self.poll_task(id, fut);
        }
    }

    /// `await v`: a future that suspends the current task until `v` settles.
    pub fn await_value(&self, v: Value) -> AwaitFuture {
        AwaitFuture {
            rt: self.clone(),
            promise: self.promise_resolve(v),
            registered: false,
        }
    }

    // ---- objects and errors -------------------------------------------------------------------------

    pub fn new_object(&self) -> Obj {
        Obj::new(Kind::Object)
    }

    pub fn object_from(&self, props: Vec<(&str, Value)>) -> Value {
        let map: IndexMap<JsStr, Value> = props.into_iter().map(|(k, v)| (k.into(), v)).collect();
        Value::Object(Obj::with_props(Kind::Object, map))
    }

    pub fn new_array(&self, items: Vec<Value>) -> Value {
        Value::Object(Obj::new(Kind::Array(items)))
    }

    /// A built-in function value.
    pub fn native_fn(
        &self,
        name: &str,
        f: impl Fn(&Rt, &Value, &[Value]) -> Res<Value> + 'static,
    ) -> Value {
        Value::Object(Obj::new(Kind::Function(Func::Native(Native {
            name: name.into(),
            call: Rc::new(f),
            construct: None,
            ctor: None,
        }))))
    }

    /// A new `Error` object of the given constructor name (`TypeError`, …).
    pub fn error(&self, name: &str, message: &str) -> Value {
        let stack = if message.is_empty() {
            name.to_string()
        } else {
            format!("{name}: {message}")
        };
        Value::Object(Obj::new(Kind::Error(value::ErrorData {
            name: name.into(),
            message: message.into(),
            stack: stack.into(),
        })))
    }

    pub fn type_error(&self, message: &str) -> Value {
        self.error("TypeError", message)
    }

    pub fn range_error(&self, message: &str) -> Value {
        self.error("RangeError", message)
    }

    pub fn reference_error(&self, message: &str) -> Value {
        self.error("ReferenceError", message)
    }

    /// An error thrown by a host primitive: a null-prototype object with `name`, `message`,
    /// `stack` and `toString` (as the runtime throws them; `instanceof Error` is false).
    pub fn host_error(&self, name: &str, message: &str) -> Value {
        let o = Obj::new(Kind::Object);
        let text = if name == "Error" {
            format!("Error: {message}")
        } else {
            format!("{name}: {message}")
        };
        {
            let mut d = o.borrow_mut();
            d.null_proto = true;
            d.props.insert("name".into(), Value::str(name));
            d.props.insert("message".into(), Value::str(message));
            d.props.insert("stack".into(), Value::string(text.clone()));
        }
        let to_string = self.native_fn("toString", move |_, _, _| Ok(Value::str(&text)));
        o.borrow_mut().props.insert("toString".into(), to_string);
        Value::Object(o)
    }

    /// A method value of a built-in family (`"array"`, `"string"`, …), made once per run so that
    /// `xs.map === ys.map` and a call does not allocate a function object.
    pub fn cached_method(
        &self,
        family: &'static str,
        key: &str,
        make: impl FnOnce(&Rt) -> Option<Value>,
    ) -> Option<Value> {
        if let Some(v) = self.methods.borrow().get(&(family, key.to_string())) {
            return Some(v.clone());
        }
        let v = make(self)?;
        self.methods
            .borrow_mut()
            .insert((family, key.to_string()), v.clone());
        Some(v)
    }

    /// The value of a built-in global (cached: `Math === Math`).
    pub fn global(&self, name: &str) -> Option<Value> {
        if let Some(v) = self.globals.borrow().get(name) {
            return Some(v.clone());
        }
        let v = builtins::global(self, name)?;
        self.globals
            .borrow_mut()
            .insert(name.to_string(), v.clone());
        Some(v)
    }

    // ---- calls ----------------------------------------------------------------------------------------

    /// Calls a function value. Synchronous script functions run to completion; `async` ones
    /// return their promise once they first suspend.
    pub fn call(&self, f: &Value, this: &Value, args: &[Value]) -> Res<Value> {
        let Value::Object(o) = f else {
            return Err(self.type_error(&format!("{} is not a function", ops::describe(f))));
        };
        enum Target {
            Native(value::NativeImpl),
            Closure(&'static wfc_ir::Function, env::Env, Rc<Script>),
        }
        let target = match &o.borrow().kind {
            Kind::Function(Func::Native(n)) => Target::Native(n.call.clone()),
            Kind::Function(Func::Closure(c)) => {
                Target::Closure(c.function, c.env.clone(), c.script.clone())
            }
            _ => return Err(self.type_error(&format!("{} is not a function", ops::describe(f)))),
        };
        match target {
            Target::Native(call) => call(self, this, args),
            Target::Closure(function, env, script) => {
                self.call_closure(function, env, script, f.clone(), args.to_vec())
            }
        }
    }

    fn call_closure(
        &self,
        function: &'static wfc_ir::Function,
        env: env::Env,
        script: Rc<Script>,
        callee: Value,
        args: Vec<Value>,
    ) -> Res<Value> {
        let depth = self.depth.get();
        if depth >= MAX_CALL_DEPTH {
            return Err(self.range_error("Maximum call stack size exceeded"));
        }
        self.depth.set(depth + 1);
        let cx = interp::Cx {
            rt: self.clone(),
            script,
        };
        let result = if function.is_async {
            let promise = self.new_promise();
            let p = promise.clone();
            self.spawn(async move {
                let r = cx.call_function(function, env, callee, args).await;
                match r {
                    Ok(v) => cx.rt.resolve_promise(&p, v),
                    Err(e) => cx.rt.reject_promise(&p, e),
                }
            });
            Ok(Value::Object(promise))
        } else {
            poll_once(cx.call_function(function, env, callee, args)).unwrap_or_else(|| {
                Err(self.error(
                    "Error",
                    "internal error: a synchronous function suspended (please report this)",
                ))
            })
        };
        self.depth.set(depth);
        result
    }

    /// `new F(...args)`.
    pub fn construct(&self, f: &Value, args: &[Value]) -> Res<Value> {
        let construct = match f {
            Value::Object(o) => match &o.borrow().kind {
                Kind::Function(Func::Native(n)) => n.construct.clone(),
                _ => None,
            },
            _ => None,
        };
        match construct {
            Some(c) => c(self, &Value::Undefined, args),
            None => Err(self.type_error(&format!("{} is not a constructor", ops::describe(f)))),
        }
    }

    // ---- properties -------------------------------------------------------------------------------------

    /// `v[key]`.
    pub fn get(&self, v: &Value, key: &str) -> Res<Value> {
        match v {
            Value::Undefined | Value::Null => Err(self.type_error(&format!(
                "Cannot read properties of {} (reading '{key}')",
                if matches!(v, Value::Null) {
                    "null"
                } else {
                    "undefined"
                }
            ))),
            Value::String(s) => {
                if key == "length" {
                    return Ok(Value::Number(value::utf16_len(s) as f64));
                }
                if let Some(i) = value::array_index(key) {
                    return Ok(ops::string_unit_at(s, i as usize)
                        .map(Value::string)
                        .unwrap_or_default());
                }
                Ok(builtins::property(self, v, key).unwrap_or_default())
            }
            Value::Object(o) => {
                {
                    let data = o.borrow();
                    match &data.kind {
                        Kind::Array(items) => {
                            if key == "length" {
                                return Ok(Value::Number(items.len() as f64));
                            }
                            if let Some(i) = value::array_index(key) {
                                return Ok(items.get(i as usize).cloned().unwrap_or_default());
                            }
                        }
                        Kind::Error(e) if !data.props.contains_key(key) => match key {
                            "name" => return Ok(Value::String(e.name.clone())),
                            "message" => return Ok(Value::String(e.message.clone())),
                            "stack" => return Ok(Value::String(e.stack.clone())),
                            _ => {}
                        },
                        _ => {}
                    }
                    if let Some(v) = data.props.get(key) {
                        return Ok(v.clone());
                    }
                    if data.null_proto {
                        return Ok(Value::Undefined);
                    }
                }
                Ok(builtins::property(self, v, key).unwrap_or_default())
            }
            _ => Ok(builtins::property(self, v, key).unwrap_or_default()),
        }
    }

    /// `v[key] = value` (sloppy mode: writes to primitives and frozen objects are ignored).
    pub fn set(&self, target: &Value, key: &str, value: Value) -> Res<()> {
        match target {
            Value::Undefined | Value::Null => Err(self.type_error(&format!(
                "Cannot set properties of {} (setting '{key}')",
                if matches!(target, Value::Null) {
                    "null"
                } else {
                    "undefined"
                }
            ))),
            Value::Object(o) => {
                let mut data = o.borrow_mut();
                if data.frozen {
                    return Ok(());
                }
                if let Kind::Array(items) = &mut data.kind {
                    if key == "length" {
                        let n = value::primitive_to_number(&value);
                        // Arrays are dense here: a length V8 would make sparse is refused
                        // rather than allocated (see `builtins::array::MAX_DENSE_LENGTH`).
                        if n < 0.0
                            || n.fract() != 0.0
                            || n > 4_294_967_295.0
                            || (n as usize > items.len()
                                && n as usize > builtins::array::MAX_DENSE_LENGTH)
                        {
                            drop(data);
                            return Err(self.range_error("Invalid array length"));
                        }
                        items.resize(n as usize, Value::Undefined);
                        return Ok(());
                    }
                    if let Some(i) = value::array_index(key) {
                        let i = i as usize;
                        if i >= items.len() {
                            if i >= builtins::array::MAX_DENSE_LENGTH {
                                drop(data);
                                return Err(self.range_error("Invalid array length"));
                            }
                            items.resize(i + 1, Value::Undefined);
                        }
                        items[i] = value;
                        return Ok(());
                    }
                }
                if let Kind::RegExp(r) = &mut data.kind {
                    if key == "lastIndex" {
                        r.last_index =
                            value::to_integer(value::primitive_to_number(&value)).max(0.0) as usize;
                        return Ok(());
                    }
                }
                data.props.insert(key.into(), value);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// `delete v[key]`.
    pub fn delete(&self, target: &Value, key: &str) -> Res<bool> {
        if let Value::Object(o) = target {
            let mut data = o.borrow_mut();
            if data.frozen {
                return Ok(false);
            }
            if let Kind::Array(items) = &mut data.kind {
                if let Some(i) = value::array_index(key) {
                    if let Some(slot) = items.get_mut(i as usize) {
                        *slot = Value::Undefined;
                    }
                    return Ok(true);
                }
            }
            data.props.shift_remove(key);
        }
        Ok(true)
    }
}

/// Polls a future once: `Some` with its output when it completed at once (a synchronous function's
/// body, or a backend that answers immediately).
pub fn poll_once<F: Future>(fut: F) -> Option<F::Output> {
    let mut fut = std::pin::pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => Some(v),
        Poll::Pending => None,
    }
}

/// The future of `await v`.
pub struct AwaitFuture {
    rt: Rt,
    promise: Obj,
    registered: bool,
}

impl Future for AwaitFuture {
    type Output = Res<Value>;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Res<Value>> {
        if !self.registered {
            self.registered = true;
            match self.rt.current_task() {
                Some(task) => {
                    let p = self.promise.clone();
                    self.rt.perform_then(&p, ReactionKind::Resume(task));
                }
                None => {
                    return Poll::Ready(Err(self.rt.error(
                        "Error",
                        "internal error: await outside a task (please report this)",
                    )))
                }
            }
            return Poll::Pending;
        }
        match self.rt.promise_state(&self.promise) {
            promise::PromiseState::Pending => Poll::Pending,
            promise::PromiseState::Fulfilled(v) => Poll::Ready(Ok(v)),
            promise::PromiseState::Rejected(e) => Poll::Ready(Err(e)),
        }
    }
}
