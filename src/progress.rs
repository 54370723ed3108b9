//! `wfc run`'s live progress display: one bar per phase (agents done of agents called), and a
//! status line with running, queued and done counts and the agents used of the cap. Nothing is
//! drawn when stderr is not a terminal.

use std::collections::HashMap;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use wfc_executor::run::RunEvent;

pub struct Progress {
    multi: MultiProgress,
    status: ProgressBar,
    phases: HashMap<String, ProgressBar>,
    phase_of: HashMap<u32, String>,
    cap: u32,
    called: u32,
    running: u32,
    done: u32,
    failed: u32,
}

impl Progress {
    pub fn new(terminal: bool, cap: u32) -> Progress {
        let target = if terminal {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let multi = MultiProgress::with_draw_target(target);
        let status = multi.add(ProgressBar::new_spinner());
        status.set_style(
            ProgressStyle::with_template("{spinner} {elapsed_precise} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Progress {
            multi,
            status,
            phases: HashMap::new(),
            phase_of: HashMap::new(),
            cap,
            called: 0,
            running: 0,
            done: 0,
            failed: 0,
        }
    }

    pub fn println(&self, line: &str) {
        let _ = self.multi.println(line);
    }

    fn bar(&mut self, phase: &str) -> &ProgressBar {
        let multi = &self.multi;
        self.phases.entry(phase.to_string()).or_insert_with(|| {
            let bar = multi.add(ProgressBar::new(0));
            bar.set_style(
                ProgressStyle::with_template("  {prefix:24!} [{bar:30}] {pos}/{len}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar.set_prefix(phase.to_string());
            bar
        })
    }

    pub fn event(&mut self, e: &RunEvent) {
        match e {
            RunEvent::Queued { seq, phase, .. } => {
                self.called += 1;
                let phase = phase.clone().unwrap_or_else(|| "(no phase)".into());
                self.bar(&phase).inc_length(1);
                self.phase_of.insert(*seq, phase);
            }
            RunEvent::Started { .. } => self.running += 1,
            RunEvent::Completed { seq, .. } | RunEvent::Failed { seq, .. } => {
                self.running = self.running.saturating_sub(1);
                self.done += 1;
                if matches!(e, RunEvent::Failed { .. }) {
                    self.failed += 1;
                }
                if let Some(phase) = self.phase_of.get(seq).cloned() {
                    self.bar(&phase).inc(1);
                }
            }
            RunEvent::Refused { message, .. } => {
                self.println(&format!("refused: {message}"));
            }
            RunEvent::Log { .. } => {}
            RunEvent::Finished { .. } => {
                for bar in self.phases.values() {
                    bar.finish();
                }
                self.status.finish_and_clear();
                return;
            }
        }
        let queued = self.called - self.done - self.running;
        self.status.set_message(format!(
            "running {} · queued {} · done {} ({} failed) · agents {}/{}",
            self.running, queued, self.done, self.failed, self.called, self.cap
        ));
        self.status.tick();
    }
}
