//! The plan graph: agent call sites as nodes, happens-before edges, fan-outs and loops as
//! clusters. Built with petgraph from the analysis [`Plan`]; rendered as DOT or Mermaid.

use std::fmt::Write;

use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use wfc_ir::SiteId;

use crate::analysis::{Analysis, Count, FanKind, Plan, RepeatKind};

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Start,
    End,
    Agent {
        site: SiteId,
        label: String,
        count: Count,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// Must finish before.
    Then,
    /// The next loop iteration.
    Repeat,
}

/// A group of nodes: a fan-out or a loop.
#[derive(Debug, Clone)]
pub struct Cluster {
    pub label: String,
    pub kind: ClusterKind,
    pub nodes: Vec<NodeIndex>,
    pub children: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClusterKind {
    Parallel,
    Pipeline,
    Concurrent,
    Loop,
}

pub struct PlanGraph {
    pub graph: DiGraph<Node, Edge>,
    pub clusters: Vec<Cluster>,
    /// Clusters not inside another cluster.
    pub roots: Vec<usize>,
    /// Nodes not inside any cluster.
    pub loose: Vec<NodeIndex>,
}

/// Entry and exit nodes of a plan fragment; `None` when the fragment spawns nothing.
type Frag = Option<(Vec<NodeIndex>, Vec<NodeIndex>)>;

struct Builder<'a> {
    analysis: &'a Analysis,
    g: PlanGraph,
    /// The cluster being filled, innermost last.
    open: Vec<usize>,
}

impl PlanGraph {
    pub fn build(analysis: &Analysis) -> PlanGraph {
        let mut b = Builder {
            analysis,
            g: PlanGraph {
                graph: DiGraph::new(),
                clusters: Vec::new(),
                roots: Vec::new(),
                loose: Vec::new(),
            },
            open: Vec::new(),
        };
        let start = b.add(Node::Start);
        let end = b.add(Node::End);
        match b.frag(&analysis.plan) {
            Some((entries, exits)) => {
                for e in entries {
                    b.g.graph.add_edge(start, e, Edge::Then);
                }
                for x in exits {
                    b.g.graph.add_edge(x, end, Edge::Then);
                }
            }
            None => {
                b.g.graph.add_edge(start, end, Edge::Then);
            }
        }
        b.g
    }
}

impl Builder<'_> {
    fn add(&mut self, n: Node) -> NodeIndex {
        let i = self.g.graph.add_node(n);
        match self.open.last() {
            Some(&c) => self.g.clusters[c].nodes.push(i),
            None => self.g.loose.push(i),
        }
        i
    }

    fn connect(&mut self, from: &[NodeIndex], to: &[NodeIndex], e: Edge) {
        for &f in from {
            for &t in to {
                if self.g.graph.find_edge(f, t).is_none() {
                    self.g.graph.add_edge(f, t, e);
                }
            }
        }
    }

    fn cluster(
        &mut self,
        label: String,
        kind: ClusterKind,
        body: impl FnOnce(&mut Self) -> Frag,
    ) -> Frag {
        let id = self.g.clusters.len();
        self.g.clusters.push(Cluster {
            label,
            kind,
            nodes: Vec::new(),
            children: Vec::new(),
        });
        match self.open.last() {
            Some(&parent) => self.g.clusters[parent].children.push(id),
            None => self.g.roots.push(id),
        }
        self.open.push(id);
        let f = body(self);
        self.open.pop();
        f
    }

    fn frag(&mut self, p: &Plan) -> Frag {
        match p {
            Plan::Agent { site } => {
                let s = self.analysis.sites.get(site.0 as usize);
                let label = s
                    .and_then(|s| s.label.clone().or_else(|| s.prompt.clone()))
                    .unwrap_or_default();
                let count = s.map_or_else(Count::one, |s| s.count.clone());
                let n = self.add(Node::Agent {
                    site: *site,
                    label,
                    count,
                });
                Some((vec![n], vec![n]))
            }
            Plan::Seq { items } => {
                let mut first: Option<Vec<NodeIndex>> = None;
                let mut last: Option<Vec<NodeIndex>> = None;
                let mut dangling = Vec::new();
                for item in items {
                    let spawned = matches!(item, Plan::Spawn { .. });
                    let Some((en, ex)) = self.frag(item) else {
                        continue;
                    };
                    if let Some(prev) = &last {
                        self.connect(prev, &en, Edge::Then);
                    }
                    if first.is_none() {
                        first = Some(en.clone());
                    }
                    if spawned {
                        // Started without waiting: it joins at the end of the sequence.
                        dangling.extend(ex);
                        if last.is_none() {
                            last = None;
                        }
                    } else {
                        last = Some(ex);
                    }
                }
                let mut exits = last.unwrap_or_default();
                exits.extend(dangling);
                first.map(|f| (f, exits))
            }
            Plan::Maybe { body } | Plan::Spawn { body } => self.frag(body),
            Plan::Alt { branches } => union(branches.iter().map(|b| self.frag(b)).collect()),
            Plan::All { branches, kind, .. } => {
                let label = format!("{} ×{}", fan_name(*kind), branches.len());
                self.cluster(label, cluster_kind(*kind), |b| {
                    union(branches.iter().map(|p| b.frag(p)).collect())
                })
            }
            Plan::Fan {
                width, body, kind, ..
            } => {
                let label = format!("{} ×{}", fan_name(*kind), bound(width));
                self.cluster(label, cluster_kind(*kind), |b| b.frag(body))
            }
            Plan::Repeat {
                count, body, kind, ..
            } => {
                let label = match kind {
                    RepeatKind::Loop => format!("loop ×{}", bound(count)),
                    RepeatKind::Callback => format!("callback ×{}", bound(count)),
                };
                self.cluster(label, ClusterKind::Loop, |b| {
                    let f = b.frag(body);
                    if let Some((en, ex)) = &f {
                        b.connect(ex, en, Edge::Repeat);
                    }
                    f
                })
            }
        }
    }
}

fn union(frags: Vec<Frag>) -> Frag {
    let mut entries = Vec::new();
    let mut exits = Vec::new();
    for (en, ex) in frags.into_iter().flatten() {
        entries.extend(en);
        exits.extend(ex);
    }
    (!entries.is_empty()).then_some((entries, exits))
}

fn fan_name(k: FanKind) -> &'static str {
    match k {
        FanKind::Parallel => "parallel",
        FanKind::Pipeline => "pipeline",
        FanKind::Concurrent => "concurrent",
    }
}

fn cluster_kind(k: FanKind) -> ClusterKind {
    match k {
        FanKind::Parallel => ClusterKind::Parallel,
        FanKind::Pipeline => ClusterKind::Pipeline,
        FanKind::Concurrent => ClusterKind::Concurrent,
    }
}

fn bound(c: &Count) -> String {
    match c.hi.as_constant() {
        Some(h) if h == c.lo as f64 => format!("{}", c.lo),
        _ => format!("≤{}", c.hi),
    }
}

fn node_label(n: &Node) -> String {
    match n {
        Node::Start => "start".into(),
        Node::End => "end".into(),
        Node::Agent { site, label, count } => {
            let mut l: String = label.chars().take(40).collect();
            if label.chars().count() > 40 {
                l.push('…');
            }
            format!("{site} {l}\\n×{}", bound(count))
        }
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace("\\\\n", "\\n")
}

impl PlanGraph {
    pub fn to_dot(&self) -> String {
        let mut s = String::from("digraph plan {\n  rankdir=TB;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        for &n in &self.loose {
            self.dot_node(&mut s, n, 1);
        }
        for &c in &self.roots {
            self.dot_cluster(&mut s, c, 1);
        }
        for e in self.graph.edge_references() {
            let style = match e.weight() {
                Edge::Then => "",
                Edge::Repeat => " [style=dashed, label=\"repeat\"]",
            };
            let _ = writeln!(
                s,
                "  n{} -> n{}{style};",
                e.source().index(),
                e.target().index()
            );
        }
        s.push_str("}\n");
        s
    }

    fn dot_node(&self, s: &mut String, n: NodeIndex, depth: usize) {
        let pad = "  ".repeat(depth);
        let shape = match self.graph[n] {
            Node::Start | Node::End => ", shape=circle",
            Node::Agent { .. } => "",
        };
        let _ = writeln!(
            s,
            "{pad}n{} [label=\"{}\"{shape}];",
            n.index(),
            dot_escape(&node_label(&self.graph[n]))
        );
    }

    fn dot_cluster(&self, s: &mut String, c: usize, depth: usize) {
        let pad = "  ".repeat(depth);
        let cl = &self.clusters[c];
        let _ = writeln!(s, "{pad}subgraph cluster_{c} {{");
        let style = match cl.kind {
            ClusterKind::Loop => "dashed",
            _ => "solid",
        };
        let _ = writeln!(
            s,
            "{pad}  label=\"{}\"; style={style};",
            dot_escape(&cl.label)
        );
        for &n in &cl.nodes {
            self.dot_node(s, n, depth + 1);
        }
        for &child in &cl.children {
            self.dot_cluster(s, child, depth + 1);
        }
        let _ = writeln!(s, "{pad}}}");
    }

    pub fn to_mermaid(&self) -> String {
        let mut s = String::from("flowchart TD\n");
        for &n in &self.loose {
            self.mermaid_node(&mut s, n, 1);
        }
        for &c in &self.roots {
            self.mermaid_cluster(&mut s, c, 1);
        }
        for e in self.graph.edge_references() {
            let arrow = match e.weight() {
                Edge::Then => "-->",
                Edge::Repeat => "-.->|repeat|",
            };
            let _ = writeln!(
                s,
                "  n{} {arrow} n{}",
                e.source().index(),
                e.target().index()
            );
        }
        s
    }

    fn mermaid_node(&self, s: &mut String, n: NodeIndex, depth: usize) {
        let pad = "  ".repeat(depth);
        let label = node_label(&self.graph[n])
            .replace("\\n", "<br/>")
            .replace('"', "#quot;");
        let _ = match self.graph[n] {
            Node::Start | Node::End => writeln!(s, "{pad}n{}((\"{label}\"))", n.index()),
            Node::Agent { .. } => writeln!(s, "{pad}n{}[\"{label}\"]", n.index()),
        };
    }

    fn mermaid_cluster(&self, s: &mut String, c: usize, depth: usize) {
        let pad = "  ".repeat(depth);
        let cl = &self.clusters[c];
        let _ = writeln!(
            s,
            "{pad}subgraph c{c} [\"{}\"]",
            cl.label.replace('"', "#quot;")
        );
        for &n in &cl.nodes {
            self.mermaid_node(s, n, depth + 1);
        }
        for &child in &cl.children {
            self.mermaid_cluster(s, child, depth + 1);
        }
        let _ = writeln!(s, "{pad}end");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph_of(src: &str) -> PlanGraph {
        let out = crate::check_text(src);
        PlanGraph::build(out.analysis.as_ref().expect("analysis"))
    }

    const META: &str = "export const meta = { name: 'x', description: 'y' }\n";

    #[test]
    fn sequence_fan_out_and_loop() {
        let src = format!("{META}const a = await agent('scope', {{ label: 'scope' }})\nawait parallel(['x', 'y'].map(f => () => agent(`audit ${{f}}`, {{ label: 'audit' }})))\nfor (let i = 0; i < 3; i++) {{ await agent('fix', {{ label: 'fix' }}) }}\n");
        let g = graph_of(&src);
        let agents = g
            .graph
            .node_weights()
            .filter(|n| matches!(n, Node::Agent { .. }))
            .count();
        assert_eq!(agents, 3);
        let dot = g.to_dot();
        assert!(dot.contains("subgraph cluster_0"), "{dot}");
        assert!(dot.contains("parallel ×2"), "{dot}");
        assert!(dot.contains("loop ×3"), "{dot}");
        assert!(dot.contains("style=dashed, label=\"repeat\""), "{dot}");
        // scope → audit → fix: the audit node has one predecessor and one successor.
        let audit = g
            .graph
            .node_indices()
            .find(|&n| matches!(&g.graph[n], Node::Agent { label, .. } if label == "audit"))
            .expect("audit node");
        assert_eq!(
            g.graph
                .neighbors_directed(audit, petgraph::Direction::Incoming)
                .count(),
            1
        );
        let mermaid = g.to_mermaid();
        assert!(mermaid.starts_with("flowchart TD"));
        assert!(
            mermaid.contains("subgraph c0 [\"parallel ×2\"]"),
            "{mermaid}"
        );
    }

    #[test]
    fn empty_workflow_links_start_to_end() {
        let g = graph_of(&format!("{META}return 1\n"));
        assert_eq!(g.graph.node_count(), 2);
        assert_eq!(g.graph.edge_count(), 1);
    }
}
