//! The stack a check runs on.
//!
//! Parsing, lowering and the analysis recurse over the syntax tree, and hostile input (half a
//! megabyte of `!`) builds very deep trees, so a check needs [`CHECK_STACK_BYTES`] of stack.
//! Threads that check often (the CLI's rayon workers) are given that much; any other thread
//! switches to a spare stack of that size, kept per thread from one check to the next. Mapping a
//! fresh stack for every check instead costs a system call and a page fault for every page the
//! check touches: about half a parse of a small script.
//!
//! Nothing that runs on the spare stack may rely on `stacker` (it measures the thread's own
//! stack, not this one); swc's parser is built without its `stacker` feature for that reason.

use std::cell::{Cell, RefCell};

use corosensei::stack::DefaultStack;

/// Stack reserved for one check. The reservation is virtual memory, touched only as deep as the
/// input really goes.
/// Callers that check on threads of their own (the CLI's rayon pool) give those threads this much
/// stack, so that a check never has to switch stacks.
pub const CHECK_STACK_BYTES: usize = 1 << 30;

thread_local! {
    static SPARE: RefCell<Option<DefaultStack>> = const { RefCell::new(None) };
    static ON_SPARE: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a stack of [`CHECK_STACK_BYTES`]: the current one if it has most of that left, or
/// this thread's spare one.
pub(crate) fn on_big_stack<R>(f: impl FnOnce() -> R) -> R {
    if on_spare() {
        return f();
    }
    if stacker::remaining_stack().is_some_and(|left| left >= CHECK_STACK_BYTES / 2) {
        return f();
    }
    let spare = SPARE.with(|s| s.borrow_mut().take());
    let mut stack = match spare.map_or_else(|| DefaultStack::new(CHECK_STACK_BYTES), Ok) {
        Ok(stack) => stack,
        // No address space for a spare stack: a temporary one, as big as can be had.
        Err(_) => return stacker::grow(CHECK_STACK_BYTES, f),
    };
    let r = {
        let _on = OnSpare::enter();
        corosensei::on_stack(&mut stack, f)
    };
    // After a panic the stack is dropped (unmapped) instead: the next check maps a new one.
    SPARE.with(|s| *s.borrow_mut() = Some(stack));
    r
}

/// Whether this thread is running on its spare stack.
pub(crate) fn on_spare() -> bool {
    ON_SPARE.with(Cell::get)
}

/// Marks the thread as on its spare stack until dropped, panics included.
struct OnSpare;

impl OnSpare {
    fn enter() -> OnSpare {
        ON_SPARE.with(|c| c.set(true));
        OnSpare
    }
}

impl Drop for OnSpare {
    fn drop(&mut self) {
        ON_SPARE.with(|c| c.set(false));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The address of a local of the calling frame: where the stack pointer is.
    #[inline(never)]
    fn stack_address() -> usize {
        let x = 0u8;
        std::hint::black_box(&x) as *const u8 as usize
    }

    /// A thread with a small stack, like a test's or an application's.
    fn on_small_thread<R: Send + 'static>(f: impl FnOnce() -> R + Send + 'static) -> R {
        std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(f)
            .expect("a thread")
            .join()
            .expect("no panic")
    }

    #[test]
    fn a_small_thread_checks_on_its_spare_stack_and_keeps_it() {
        let (own, first, second) = on_small_thread(|| {
            let own = stack_address();
            let first = on_big_stack(stack_address);
            let second = on_big_stack(stack_address);
            (own, first, second)
        });
        assert!(own.abs_diff(first) > 1 << 20, "{own:x} {first:x}");
        assert_eq!(first, second, "the second check reuses the spare stack");
    }

    #[test]
    fn nested_calls_stay_on_the_spare_stack() {
        let (outer, inner) = on_small_thread(|| {
            on_big_stack(|| {
                let outer = stack_address();
                (outer, on_big_stack(stack_address))
            })
        });
        assert!(outer.abs_diff(inner) < 1 << 16, "{outer:x} {inner:x}");
    }

    #[test]
    fn a_thread_with_a_big_stack_stays_on_it() {
        let (own, inside) = std::thread::Builder::new()
            .stack_size(CHECK_STACK_BYTES)
            .spawn(|| (stack_address(), on_big_stack(stack_address)))
            .expect("a thread")
            .join()
            .expect("no panic");
        assert!(own.abs_diff(inside) < 1 << 16, "{own:x} {inside:x}");
        assert!(!on_spare());
    }

    #[test]
    fn a_panic_leaves_the_thread_able_to_check_again() {
        let (panicked, on_spare_after, depth) = on_small_thread(|| {
            let panicked = std::panic::catch_unwind(|| on_big_stack(|| panic!("boom"))).is_err();
            let on_spare_after = on_spare();
            // 20 MB of stack frames: more than the thread has, so only the big stack holds it.
            let depth = on_big_stack(|| recurse(20_000));
            (panicked, on_spare_after, depth)
        });
        assert!(panicked);
        assert!(!on_spare_after);
        assert_eq!(depth, 20_000);
    }

    #[inline(never)]
    fn recurse(n: usize) -> usize {
        let frame = std::hint::black_box([0u8; 1024]);
        if n == 0 {
            return usize::from(frame[0]);
        }
        1 + recurse(n - 1) + usize::from(std::hint::black_box(frame)[1])
    }
}
