//! The global allocator of wfc's binaries: mimalloc, asked for plain blocks whenever a plain block
//! is aligned enough.
//!
//! The `mimalloc` crate routes every Rust allocation through `mi_malloc_aligned`. In mimalloc 3 a
//! block whose size is not a power of two (a 24-byte `Box`, a 40-byte IR node) leaves that call's
//! fast path as soon as its size class has no free block at hand, and is then carved out of a
//! larger block: about a fifth of the check's allocations took that path, at ten times the cost.
//! Every mimalloc block is aligned to a machine word, so a layout that asks for no more than that
//! needs no aligned allocation at all.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

/// The alignment every mimalloc block has (its blocks are whole words, in word-aligned pages).
const WORD: usize = std::mem::size_of::<usize>();

/// mimalloc, with plain allocations for word-aligned layouts. Declare it in a binary with
/// `#[global_allocator] static ALLOCATOR: wfc_compiler::alloc::Allocator = wfc_compiler::alloc::Allocator;`.
pub struct Allocator;

// SAFETY: every method forwards to the mimalloc function with the same contract, and picks the
// unaligned variant only when `layout.align() <= WORD`, which every mimalloc block satisfies.
// Blocks from either variant are freed and reallocated by the same `mi_free` / `mi_realloc*`.
unsafe impl GlobalAlloc for Allocator {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_malloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_malloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_zalloc(layout.size()).cast()
            } else {
                libmimalloc_sys::mi_zalloc_aligned(layout.size(), layout.align()).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: see the impl.
        unsafe { libmimalloc_sys::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: see the impl.
        unsafe {
            if layout.align() <= WORD {
                libmimalloc_sys::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                libmimalloc_sys::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, layout.align())
                    .cast()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every layout gets a block aligned as asked, that keeps its bytes through `realloc`, on
    /// both paths: word-aligned layouts of every size class up to a page, and larger alignments.
    #[test]
    fn blocks_are_aligned_and_keep_their_contents() {
        let sizes = (1..=256).chain([511, 512, 1000, 1024, 4095, 4096, 70_000]);
        for size in sizes {
            for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
                let Ok(layout) = Layout::from_size_align(size, align) else {
                    continue;
                };
                // SAFETY: `layout` has a non-zero size; every block is freed with its layout.
                unsafe {
                    let p = Allocator.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size}, align {align}");
                    for i in 0..size {
                        p.add(i).write(i as u8);
                    }
                    let grown = Allocator.realloc(p, layout, size * 2 + 1);
                    assert_eq!(grown as usize % align, 0, "grown {size}, align {align}");
                    for i in 0..size {
                        assert_eq!(grown.add(i).read(), i as u8);
                    }
                    Allocator.dealloc(
                        grown,
                        Layout::from_size_align(size * 2 + 1, align).expect("a layout"),
                    );
                    let z = Allocator.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!((0..size).all(|i| z.add(i).read() == 0));
                    Allocator.dealloc(z, layout);
                }
            }
        }
    }

    /// Many live blocks of one odd size, the case that left mimalloc's aligned fast path.
    #[test]
    fn many_live_blocks_of_one_size_stay_word_aligned() {
        let layout = Layout::new::<[u64; 3]>();
        // SAFETY: as above.
        unsafe {
            let blocks: Vec<*mut u8> = (0..10_000).map(|_| Allocator.alloc(layout)).collect();
            for (i, &p) in blocks.iter().enumerate() {
                assert_eq!(p as usize % WORD, 0);
                p.cast::<u64>().write(i as u64);
            }
            for (i, &p) in blocks.iter().enumerate() {
                assert_eq!(p.cast::<u64>().read(), i as u64);
                Allocator.dealloc(p, layout);
            }
        }
    }
}
