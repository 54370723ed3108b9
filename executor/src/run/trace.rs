//! The JSONL trace of a run (`wfc run --trace FILE`): one line per agent node, in call order,
//! then a summary line. The fields are those of the reference runtime's trace
//! (`tests/reference/README.md`), plus `call_ms` and `status`; `deps` are the agents whose results
//! the calling code had observed, which is the DAG's in-edges rather than every earlier completion.

use serde::{Deserialize, Serialize};

use super::{AgentStatus, RunReport};

/// One line of the trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceRecord {
    pub seq: u32,
    pub site: String,
    pub prompt_hash: String,
    pub label: Option<String>,
    pub phase: Option<String>,
    #[serde(default)]
    pub call_ms: Option<u64>,
    pub start_ms: Option<u64>,
    pub end_ms: Option<u64>,
    pub deps: Vec<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<AgentStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workflow: Option<String>,
}

/// The last line of the trace.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TraceSummary {
    #[serde(rename = "type")]
    pub kind: String,
    pub agents: u32,
    pub makespan_ms: u64,
}

pub fn to_jsonl(report: &RunReport) -> String {
    let mut out = String::new();
    for a in &report.agents {
        let completed = matches!(
            a.status,
            AgentStatus::Completed | AgentStatus::Failed | AgentStatus::Rejected
        );
        let rec = TraceRecord {
            seq: a.seq,
            site: a.site.clone(),
            prompt_hash: a.prompt_hash.clone(),
            label: a.label.clone(),
            phase: a.phase.clone(),
            call_ms: Some(a.call_ms),
            start_ms: a.start_ms,
            end_ms: if completed { a.end_ms } else { None },
            deps: a.deps.clone(),
            status: Some(a.status),
            workflow: a.workflow.clone(),
        };
        if let Ok(line) = serde_json::to_string(&rec) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    let summary = TraceSummary {
        kind: "summary".into(),
        agents: report.agents.len() as u32,
        makespan_ms: report.makespan_ms,
    };
    if let Ok(line) = serde_json::to_string(&summary) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Parses a trace back (for `wfc graph --run TRACE`): the agent records and the summary.
pub fn parse(text: &str) -> Result<(Vec<TraceRecord>, Option<TraceSummary>), String> {
    let mut records = Vec::new();
    let mut summary = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        if v.get("type").and_then(|t| t.as_str()) == Some("summary") {
            summary = Some(serde_json::from_value(v).map_err(|e| format!("line {}: {e}", i + 1))?);
        } else {
            records.push(serde_json::from_value(v).map_err(|e| format!("line {}: {e}", i + 1))?);
        }
    }
    Ok((records, summary))
}
