//! Tables indexed by the IR's dense ids (bindings and scopes are numbered from 0 in order), for
//! facts looked up on hot paths: an index instead of a hash.

use std::marker::PhantomData;

use wfc_ir::{BindingId, ScopeId};

/// An id numbered densely from 0.
pub trait DenseId: Copy {
    fn index(self) -> usize;
}

impl DenseId for BindingId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

impl DenseId for ScopeId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// One value per id, `T::default()` until set.
#[derive(Debug, Clone)]
pub struct Dense<K, T> {
    slots: Vec<T>,
    key: PhantomData<K>,
}

impl<K: DenseId, T: Copy + Default> Dense<K, T> {
    /// Room for ids `0..len` (the workflow's bindings or scopes).
    pub fn new(len: usize) -> Self {
        Dense {
            slots: vec![T::default(); len],
            key: PhantomData,
        }
    }

    pub fn get(&self, id: K) -> T {
        self.slots.get(id.index()).copied().unwrap_or_default()
    }

    pub fn set(&mut self, id: K, value: T) {
        *self.at(id) = value;
    }

    /// The id's slot; an id past the table (none of the workflow's is) gets one of its own.
    pub fn at(&mut self, id: K) -> &mut T {
        let i = id.index();
        if i >= self.slots.len() {
            self.slots.resize(i + 1, T::default());
        }
        &mut self.slots[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_read_as_unset_until_set() {
        let mut seen: Dense<BindingId, bool> = Dense::new(2);
        assert!(!seen.get(BindingId(1)));
        seen.set(BindingId(1), true);
        assert!(seen.get(BindingId(1)) && !seen.get(BindingId(0)));
        // Past the table: unset when read, and settable without a panic.
        assert!(!seen.get(BindingId(9)));
        assert!(!std::mem::replace(seen.at(BindingId(9)), true));
        assert!(seen.get(BindingId(9)));
        let mut starts: Dense<ScopeId, Option<f64>> = Dense::new(1);
        starts.set(ScopeId(0), Some(3.0));
        assert_eq!(
            (starts.get(ScopeId(0)), starts.get(ScopeId(5))),
            (Some(3.0), None)
        );
    }
}
