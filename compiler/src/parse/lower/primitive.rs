//! Calls of the injected workflow primitives become dedicated IR nodes.

use swc_ecma_ast as ast;
use wfc_ir::{
    AgentCall, AgentOption, AgentOptions, Expr, ExprKind, Literal, OptionKey, Primitive, PropKey,
    Span,
};

use super::Lowerer;
use crate::parse::span_of;

impl Lowerer<'_> {
    pub(super) fn primitive_call(
        &mut self,
        p: Primitive,
        c: &ast::CallExpr,
        span: Span,
    ) -> ExprKind {
        // Arguments are read by position; only `pipeline()`'s stages may come from a spread
        // (`pipeline(items, ...STAGES)`), as they are all called the same way.
        let positional = match p {
            Primitive::Agent | Primitive::Parallel => c.args.as_slice(),
            Primitive::Pipeline => c.args.get(..1).unwrap_or_default(),
            _ => &[],
        };
        if let Some(spread) = positional.iter().find_map(|a| a.spread) {
            self.unsupported(
                span_of(spread),
                &format!("a spread argument to `{}()`", p.name()),
            );
        }
        match p {
            Primitive::Agent => self.agent_call(c, span),
            Primitive::Parallel => {
                let (first, rest) = self.split_first(&c.args, span);
                ExprKind::Parallel {
                    thunks: Box::new(first),
                    extra: rest,
                }
            }
            Primitive::Pipeline => {
                let (first, rest) = self.split_first(&c.args, span);
                ExprKind::Pipeline {
                    items: Box::new(first),
                    stages: rest,
                }
            }
            Primitive::Phase => ExprKind::Phase {
                args: self.args(&c.args),
            },
            Primitive::Log => ExprKind::Log {
                args: self.args(&c.args),
            },
            Primitive::Workflow => ExprKind::Workflow {
                args: self.args(&c.args),
            },
        }
    }

    /// The first argument (`undefined` when missing) and the rest.
    fn split_first(
        &mut self,
        args: &[ast::ExprOrSpread],
        call: Span,
    ) -> (Expr, Vec<wfc_ir::Argument>) {
        match args.split_first() {
            Some((first, rest)) => (self.expr(&first.expr), self.args(rest)),
            None => (undefined_at(call), Vec::new()),
        }
    }

    fn agent_call(&mut self, c: &ast::CallExpr, span: Span) -> ExprKind {
        // Numbered before the arguments are lowered, so sites are in source (pre-)order.
        let site = self.new_site(span);
        let prompt = match c.args.first() {
            Some(a) => self.expr(&a.expr),
            None => undefined_at(span),
        };
        let options = c.args.get(1).map(|a| self.agent_options(&a.expr));
        let extra = c
            .args
            .get(2..)
            .map_or_else(Vec::new, |rest| self.args(rest));
        if let Some(s) = self.sites.get_mut(site.0 as usize) {
            let opt = |k| {
                options
                    .as_ref()
                    .and_then(|o: &AgentOptions| o.get(k))
                    .and_then(literal_text)
            };
            s.label = options
                .as_ref()
                .and_then(|o| o.get(OptionKey::Label))
                .and_then(template_text);
            s.phase = opt(OptionKey::Phase);
            s.model = opt(OptionKey::Model);
            s.effort = opt(OptionKey::Effort);
            s.prompt = prompt_preview(&prompt);
        }
        ExprKind::Agent(Box::new(AgentCall {
            site,
            prompt,
            options,
            extra,
        }))
    }

    fn agent_options(&mut self, e: &ast::Expr) -> AgentOptions {
        let ast::Expr::Object(o) = e else {
            return AgentOptions::Dynamic { expr: self.expr(e) };
        };
        let span = span_of(o.span);
        let entries = self
            .object_props(&o.props)
            .into_iter()
            .map(|p| match p {
                wfc_ir::ObjectProp::Spread { expr } => AgentOption::Spread { expr },
                wfc_ir::ObjectProp::KeyValue { key, value } => match key {
                    PropKey::Named { name, span } => match OptionKey::from_name(&name) {
                        Some(key) => AgentOption::Known {
                            key,
                            key_span: span,
                            value,
                        },
                        None => AgentOption::Unknown {
                            key: name,
                            key_span: span,
                            value,
                        },
                    },
                    PropKey::Computed { expr } => AgentOption::Computed { key: *expr, value },
                },
            })
            .collect();
        AgentOptions::Literal { span, entries }
    }
}

/// A string literal or a template without substitutions.
fn literal_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Literal {
            value: Literal::String(s),
        } => Some(s.to_string()),
        ExprKind::Template { quasis, exprs } if exprs.is_empty() => {
            quasis.first().map(|q| q.to_string())
        }
        _ => None,
    }
}

/// A label for display: a template's literal parts with `…` where values go.
fn template_text(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Template { quasis, .. } => Some(quasis.join("…")),
        _ => literal_text(e),
    }
}

/// The first 80 characters of a literal or template prompt, its whitespace collapsed (template
/// substitutions show as `…`). Prompts can be many kilobytes: only the start is looked at.
fn prompt_preview(e: &Expr) -> Option<String> {
    const SHOWN: usize = 80;
    let quasis: &[wfc_ir::Name] = match &e.kind {
        ExprKind::Literal {
            value: Literal::String(s),
        } => std::slice::from_ref(s),
        ExprKind::Template { quasis, .. } => quasis,
        _ => return None,
    };
    // Every agent site gets one: sized for an ASCII preview, so that it is allocated once.
    let mut out = String::with_capacity(SHOWN + 8);
    let mut count = 0;
    let mut space = false;
    for (i, q) in quasis.iter().enumerate() {
        let gap = if i == 0 { "" } else { "…" };
        for part in [gap, q.as_str()] {
            let mut rest = part;
            while let Some(c) = rest.chars().next() {
                // Prompts are mostly words of printable ASCII: a word is copied whole.
                let word = rest.bytes().take_while(u8::is_ascii_graphic).count();
                let (shown, len) = if word > 0 {
                    (&rest[..word], word)
                } else if c.is_whitespace() {
                    space = count > 0;
                    rest = &rest[c.len_utf8()..];
                    continue;
                } else {
                    (&rest[..c.len_utf8()], 1)
                };
                rest = &rest[shown.len()..];
                if space {
                    out.push(' ');
                    count += 1;
                    space = false;
                }
                // Only as much as reaching one past the limit, which cuts the preview.
                let take = len.min(SHOWN + 1 - count);
                out.push_str(if word > 0 { &shown[..take] } else { shown });
                count += take;
                if count > SHOWN {
                    let cut = out
                        .char_indices()
                        .nth(SHOWN - 1)
                        .map_or(out.len(), |(i, _)| i);
                    out.truncate(cut);
                    out.push('…');
                    return Some(out);
                }
            }
        }
    }
    Some(out)
}

fn undefined_at(span: Span) -> Expr {
    Expr::new(
        Span::new(span.end, span.end),
        ExprKind::Literal {
            value: Literal::Undefined,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::prompt_preview;
    use wfc_ir::{Expr, ExprKind, Literal, Span};

    /// What the preview is: the whole prompt collapsed, then cut.
    fn reference(quasis: &[&str]) -> String {
        let s = quasis.join("…");
        let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.chars().count() > 80 {
            format!("{}…", s.chars().take(79).collect::<String>())
        } else {
            s
        }
    }

    #[test]
    fn previews_match_collapsing_the_whole_prompt_then_cutting_it() {
        let long = "word ".repeat(40);
        let exact = "x".repeat(80);
        let over = "y".repeat(81);
        let spaced = format!("{} z", "a".repeat(79));
        let near = format!("{} bcdef", "a".repeat(78));
        let at_limit = format!("{} y", "x".repeat(80));
        let wide_at_limit = format!("{} é", "x".repeat(79));
        let cases: Vec<Vec<&str>> = vec![
            vec![""],
            vec!["   "],
            vec!["  Audit\n\tthis  "],
            vec!["Audit ", " (section ", ") now"],
            vec!["", ""],
            vec![" ", " "],
            vec![&long],
            vec![&exact],
            vec![&over],
            vec![&spaced],
            vec!["日本語\u{3000}テキスト\u{2003}", "😀 é"],
            vec![&long, &exact, ""],
            vec![&near],
            vec![&at_limit],
            vec![&wide_at_limit],
            vec!["a\u{1}b\u{a0}c\u{7f} d\u{1c}e\u{85}f"],
        ];
        // Words, spaces, non-ASCII and control characters in every mix, around the limit.
        let pieces = ["ab", " ", "\n\t", "é", "😀", "\u{a0}", "\u{1}", "xyz.", "…"];
        let mut seed = 7u64;
        let generated: Vec<String> = (0..300)
            .map(|_| {
                let mut s = String::new();
                while s.chars().count() < 100 {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                }
                s
            })
            .collect();
        let cases: Vec<Vec<&str>> = cases
            .into_iter()
            .chain(generated.iter().map(|g| vec![g.as_str()]))
            .chain(
                generated
                    .chunks(2)
                    .map(|g| g.iter().map(String::as_str).collect()),
            )
            .collect();
        for quasis in cases {
            let template = Expr::new(
                Span::new(0, 0),
                ExprKind::Template {
                    quasis: quasis.iter().map(|q| wfc_ir::Name::from(*q)).collect(),
                    exprs: Vec::new(),
                },
            );
            assert_eq!(
                prompt_preview(&template),
                Some(reference(&quasis)),
                "{quasis:?}"
            );
            if let [one] = quasis[..] {
                let literal = Expr::new(
                    Span::new(0, 0),
                    ExprKind::Literal {
                        value: Literal::String(one.into()),
                    },
                );
                assert_eq!(
                    prompt_preview(&literal),
                    Some(reference(&quasis)),
                    "{one:?}"
                );
            }
        }
    }
}
