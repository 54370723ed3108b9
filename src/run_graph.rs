//! `wfc graph --run TRACE`: the DAG a run executed, from its `--trace` file, as DOT or Mermaid.
//! Nodes are agents (label, phase, virtual or real start and end), grouped by phase; edges are
//! the happens-before relation the executor observed.

use std::collections::BTreeMap;
use std::fmt::Write;

use petgraph::graph::{DiGraph, NodeIndex};
use wfc_executor::run::trace::{TraceRecord, TraceSummary};
use wfc_executor::run::AgentStatus;

/// The executed DAG.
pub struct RunGraph {
    graph: DiGraph<TraceRecord, ()>,
    makespan_ms: Option<u64>,
}

impl RunGraph {
    pub fn build(records: Vec<TraceRecord>, summary: Option<TraceSummary>) -> RunGraph {
        let mut graph = DiGraph::new();
        let mut by_seq: BTreeMap<u32, NodeIndex> = BTreeMap::new();
        for r in records {
            let seq = r.seq;
            let deps = r.deps.clone();
            let n = graph.add_node(r);
            for d in deps {
                if let Some(&from) = by_seq.get(&d) {
                    graph.add_edge(from, n, ());
                }
            }
            by_seq.insert(seq, n);
        }
        RunGraph {
            graph,
            makespan_ms: summary.map(|s| s.makespan_ms),
        }
    }

    fn node_label(r: &TraceRecord) -> String {
        let name = r
            .label
            .clone()
            .unwrap_or_else(|| format!("agent @{}", r.site));
        let time = match (r.start_ms, r.end_ms) {
            (Some(s), Some(e)) => format!("{} → {}", minutes(s), minutes(e)),
            (Some(s), None) => format!("{} → (abandoned)", minutes(s)),
            _ => "never started".to_string(),
        };
        format!("#{} {}\n{}", r.seq, name, time)
    }

    fn phases(&self) -> BTreeMap<String, Vec<NodeIndex>> {
        let mut groups: BTreeMap<String, Vec<NodeIndex>> = BTreeMap::new();
        for n in self.graph.node_indices() {
            let r = &self.graph[n];
            let mut key = r.phase.clone().unwrap_or_default();
            if let Some(w) = &r.workflow {
                key = format!("▸ {w} {key}");
            }
            groups.entry(key).or_default().push(n);
        }
        groups
    }

    pub fn to_dot(&self) -> String {
        let mut out =
            String::from("digraph run {\n  rankdir=LR;\n  node [shape=box, fontsize=10];\n");
        if let Some(m) = self.makespan_ms {
            let _ = writeln!(out, "  label=\"makespan {}\";", minutes(m));
        }
        for (i, (phase, nodes)) in self.phases().into_iter().enumerate() {
            let indent = if phase.is_empty() { "  " } else { "    " };
            if !phase.is_empty() {
                let _ = writeln!(
                    out,
                    "  subgraph cluster_{i} {{\n    label=\"{}\";",
                    esc(&phase)
                );
            }
            for n in nodes {
                let r = &self.graph[n];
                let style = match r.status {
                    Some(AgentStatus::Failed | AgentStatus::Rejected) => ", color=red",
                    Some(AgentStatus::Completed) | None => "",
                    Some(AgentStatus::Queued | AgentStatus::Running) => ", style=dashed",
                };
                let _ = writeln!(
                    out,
                    "{indent}a{} [label=\"{}\"{style}];",
                    r.seq,
                    esc(&Self::node_label(r))
                );
            }
            if !phase.is_empty() {
                out.push_str("  }\n");
            }
        }
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                let _ = writeln!(out, "  a{} -> a{};", self.graph[a].seq, self.graph[b].seq);
            }
        }
        out.push_str("}\n");
        out
    }

    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        for (i, (phase, nodes)) in self.phases().into_iter().enumerate() {
            if !phase.is_empty() {
                let _ = writeln!(out, "  subgraph p{i}[\"{}\"]", mermaid_esc(&phase));
            }
            for n in nodes {
                let r = &self.graph[n];
                let label = Self::node_label(r).replace('\n', "<br/>");
                let _ = writeln!(out, "    a{}[\"{}\"]", r.seq, mermaid_esc(&label));
            }
            if !phase.is_empty() {
                out.push_str("  end\n");
            }
        }
        for e in self.graph.edge_indices() {
            if let Some((a, b)) = self.graph.edge_endpoints(e) {
                let _ = writeln!(out, "  a{} --> a{}", self.graph[a].seq, self.graph[b].seq);
            }
        }
        out
    }
}

fn minutes(ms: u64) -> String {
    format!("{:.1}m", ms as f64 / 60_000.0)
}

fn esc(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn mermaid_esc(s: &str) -> String {
    s.replace('"', "#quot;")
}
