//! The workflow primitives as the script calls them: `agent`, `parallel`, `pipeline`, `phase`,
//! `log` and `workflow`. Argument errors reject the returned promise (they do not throw
//! synchronously), with the runtime's messages; see `tests/reference/README.md`, choices 14–34.

use std::rc::Rc;

use super::builtins::promise_api::{self, Combinator};
use super::interp::Cx;
use super::value::{Obj, Res, Value};
use super::{json, ops, AgentCallInfo, LogLevel};

/// At most this many items per `parallel()` or `pipeline()` call.
pub const ITEM_LIMIT: usize = 4096;

impl Cx {
    fn rejected(&self, e: Value) -> Value {
        Value::Object(self.rt.rejected_promise(e))
    }

    pub(crate) fn agent(
        &self,
        prompt: Value,
        opts: Value,
        site: Option<wfc_ir::SiteId>,
        site_pos: String,
    ) -> Value {
        match self.agent_call(prompt, opts, site, site_pos) {
            Ok(v) => v,
            Err(e) => self.rejected(e),
        }
    }

    fn agent_call(
        &self,
        prompt: Value,
        opts: Value,
        site: Option<wfc_ir::SiteId>,
        site_pos: String,
    ) -> Res<Value> {
        let rt = &self.rt;
        let Value::String(prompt) = prompt else {
            return Err(rt.host_error(
                "TypeError",
                "agent() expects a string prompt as its first argument",
            ));
        };
        let options = match &opts {
            Value::Undefined | Value::Null => serde_json::Value::Object(Default::default()),
            Value::Object(o) if !o.is_array() && !o.is_callable() => {
                match json::to_serde(rt, &opts) {
                    Ok(v) => v.unwrap_or(serde_json::Value::Object(Default::default())),
                    Err(e) => {
                        let name = ops::to_string(rt, &rt.get(&e, "name")?)?;
                        let message = ops::to_string(rt, &rt.get(&e, "message")?)?;
                        return Err(rt.host_error(&name, &message));
                    }
                }
            }
            _ => {
                return Err(rt.host_error(
                    "TypeError",
                    "agent() expects an options object as its second argument",
                ))
            }
        };
        rt.host()?.agent(
            rt,
            AgentCallInfo {
                prompt: prompt.to_string(),
                options,
                script: self.script.clone(),
                site,
                site_pos,
            },
        )
    }

    pub(crate) fn parallel(&self, thunks: Value) -> Value {
        let rt = &self.rt;
        let items = match &thunks {
            Value::Object(o) if o.is_array() => o.array_elements(),
            _ => {
                return self
                    .rejected(rt.host_error("TypeError", "parallel() expects an array of thunks"))
            }
        };
        if items.len() > ITEM_LIMIT {
            return self.rejected(rt.host_error(
                "Error",
                &format!(
                    "parallel() got {} items; the limit is {ITEM_LIMIT}",
                    items.len()
                ),
            ));
        }
        let mut slots = Vec::with_capacity(items.len());
        for t in items {
            // A non-function element is awaited as a value (choice 29).
            let p = if t.is_callable() {
                match rt.call(&t, &Value::Undefined, &[]) {
                    Ok(v) => v,
                    Err(_) => {
                        slots.push(Value::Null);
                        continue;
                    }
                }
            } else {
                t
            };
            let settled = rt.promise_resolve(p);
            let slot = rt.new_promise();
            let s = slot.clone();
            rt.on_settled(&settled, move |rt, outcome| {
                rt.resolve_promise(&s, outcome.unwrap_or(Value::Null))
            });
            slots.push(Value::Object(slot));
        }
        Value::Object(self.barrier(slots))
    }

    pub(crate) fn pipeline(&self, items: Value, stages: Vec<Value>) -> Value {
        let rt = &self.rt;
        let items = match &items {
            Value::Object(o) if o.is_array() => o.array_elements(),
            _ => {
                return self.rejected(rt.host_error(
                    "TypeError",
                    "pipeline() expects an array as the first argument",
                ))
            }
        };
        if items.len() > ITEM_LIMIT {
            return self.rejected(rt.host_error(
                "Error",
                &format!(
                    "pipeline() got {} items; the limit is {ITEM_LIMIT}",
                    items.len()
                ),
            ));
        }
        if let Some(k) = stages.iter().position(|s| !s.is_callable()) {
            return self.rejected(rt.host_error(
                "TypeError",
                &format!("pipeline() stage {} is not a function", k + 1),
            ));
        }
        let stages = Rc::new(stages);
        let mut chains = Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            let chain = rt.new_promise();
            chains.push(Value::Object(chain.clone()));
            let rt2 = rt.clone();
            let stages = stages.clone();
            rt.spawn(async move {
                let mut prev = item.clone();
                for stage in stages.iter() {
                    let args = [prev, item.clone(), Value::Number(index as f64)];
                    let r = match rt2.call(stage, &Value::Undefined, &args) {
                        Ok(v) => rt2.await_value(v).await,
                        Err(e) => Err(e),
                    };
                    match r {
                        Ok(v) => prev = v,
                        Err(_) => {
                            // A throwing stage drops the item and skips its remaining stages.
                            rt2.resolve_promise(&chain, Value::Null);
                            return;
                        }
                    }
                }
                rt2.resolve_promise(&chain, prev);
            });
        }
        Value::Object(self.barrier(chains))
    }

    /// `new Promise(resolve => Promise.all(slots).then(values => resolve(values)))`, with the
    /// job order of `Promise.all`.
    fn barrier(&self, slots: Vec<Value>) -> Obj {
        let rt = &self.rt;
        // The slots never reject, so `Promise.all` is exactly the barrier the runtime builds.
        let all = promise_api::all(rt, &rt.new_array(slots), Combinator::All);
        let result = rt.new_promise();
        let r = result.clone();
        rt.on_settled(&all, move |rt, outcome| {
            let values = match outcome {
                Ok(Value::Object(o)) => o.array_elements(),
                _ => Vec::new(),
            };
            rt.resolve_promise(&r, rt.new_array(values));
        });
        result
    }

    pub(crate) fn phase(&self, title: Value) -> Res<()> {
        let title = ops::to_string(&self.rt, &title)?;
        *self.script.phase.borrow_mut() = Some(title.to_string());
        Ok(())
    }

    pub(crate) fn log(&self, message: Value) -> Res<()> {
        let message = ops::to_string(&self.rt, &message)?;
        self.rt
            .host()?
            .log(Some(&self.script), LogLevel::Log, &message);
        Ok(())
    }

    pub(crate) fn workflow(&self, target: Value, args: Value) -> Value {
        match self
            .rt
            .host()
            .and_then(|h| h.workflow(&self.rt, &self.script, target, args))
        {
            Ok(v) => v,
            Err(e) => self.rejected(e),
        }
    }
}
