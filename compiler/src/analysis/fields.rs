//! An abstract object's fields, in key order.
//!
//! Most objects the analysis builds have a handful of fields (agent options, a schema level, a
//! record built in a callback), and a `BTreeMap` node holding `Val`s is a kilobyte: a small
//! check allocated 72 of them, a third of the analysis's memory. Up to [`SMALL`] fields are a
//! sorted vector, allocated to size and searched in place; more go to a `BTreeMap`, so that an
//! object literal with thousands of keys costs no quadratic insertion.

use std::borrow::Borrow;
use std::collections::btree_map;
use std::collections::BTreeMap;

use wfc_ir::Name;

use super::value::Val;

/// Fields kept as a sorted vector up to this many.
const SMALL: usize = 16;

#[derive(Debug, Clone)]
pub enum Fields {
    /// Sorted by key, keys unique.
    Small(Vec<(Name, Val)>),
    Large(BTreeMap<Name, Val>),
}

impl Default for Fields {
    fn default() -> Self {
        Fields::Small(Vec::new())
    }
}

impl PartialEq for Fields {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Fields {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        match self {
            Fields::Small(v) => v.len(),
            Fields::Large(m) => m.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn position<Q>(v: &[(Name, Val)], key: &Q) -> Result<usize, usize>
    where
        Name: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        v.binary_search_by(|(k, _)| k.borrow().cmp(key))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&Val>
    where
        Name: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self {
            Fields::Small(v) => Self::position(v, key).ok().map(|i| &v[i].1),
            Fields::Large(m) => m.get(key),
        }
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        Name: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Sets a field; returns the value it replaces.
    pub fn insert(&mut self, key: Name, value: Val) -> Option<Val> {
        match self {
            Fields::Small(v) => match Self::position(v, key.as_str()) {
                Ok(i) => Some(std::mem::replace(&mut v[i].1, value)),
                Err(i) if v.len() < SMALL => {
                    v.insert(i, (key, value));
                    None
                }
                Err(_) => {
                    let mut m: BTreeMap<Name, Val> = std::mem::take(v).into_iter().collect();
                    m.insert(key, value);
                    *self = Fields::Large(m);
                    None
                }
            },
            Fields::Large(m) => m.insert(key, value),
        }
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<Val>
    where
        Name: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match self {
            Fields::Small(v) => Self::position(v, key).ok().map(|i| v.remove(i).1),
            Fields::Large(m) => m.remove(key),
        }
    }

    pub fn iter(&self) -> Iter<'_> {
        match self {
            Fields::Small(v) => Iter::Small(v.iter()),
            Fields::Large(m) => Iter::Large(m.iter()),
        }
    }

    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Name, &mut Val)> {
        let (small, large) = match self {
            Fields::Small(v) => (Some(v.iter_mut().map(|(k, v)| (&*k, v))), None),
            Fields::Large(m) => (None, Some(m.iter_mut())),
        };
        small
            .into_iter()
            .flatten()
            .chain(large.into_iter().flatten())
    }

    pub fn keys(&self) -> impl Iterator<Item = &Name> {
        self.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &Val> {
        self.iter().map(|(_, v)| v)
    }
}

/// The fields in key order.
pub enum Iter<'a> {
    Small(std::slice::Iter<'a, (Name, Val)>),
    Large(btree_map::Iter<'a, Name, Val>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a Name, &'a Val);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Small(it) => it.next().map(|(k, v)| (k, v)),
            Iter::Large(it) => it.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Iter::Small(it) => it.size_hint(),
            Iter::Large(it) => it.size_hint(),
        }
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a Name, &'a Val);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// As a `BTreeMap` collects: a later value for a key replaces the earlier one.
impl FromIterator<(Name, Val)> for Fields {
    fn from_iter<I: IntoIterator<Item = (Name, Val)>>(iter: I) -> Self {
        let mut v: Vec<(Name, Val)> = iter.into_iter().collect();
        if v.len() > SMALL {
            return Fields::Large(v.into_iter().collect());
        }
        // Stable: equal keys keep their order, and the last of each run is the one kept.
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Name, Val)> = Vec::with_capacity(v.len());
        for (k, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == k => last.1 = val,
                _ => out.push((k, val)),
            }
        }
        Fields::Small(out)
    }
}

impl Extend<(Name, Val)> for Fields {
    fn extend<I: IntoIterator<Item = (Name, Val)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every operation agrees with a `BTreeMap`, across the switch to one.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut fields = Fields::new();
        let mut model: BTreeMap<Name, Val> = BTreeMap::new();
        // A fixed shuffle of 40 keys, with repeats.
        let keys: Vec<Name> = (0..60u32)
            .map(|i| Name::from(format!("k{}", (i * 37 + 11) % 40)))
            .collect();
        for (i, k) in keys.iter().enumerate() {
            let v = Val::num(i as f64);
            assert_eq!(
                fields.insert(k.clone(), v.clone()),
                model.insert(k.clone(), v)
            );
            assert_eq!(fields.len(), model.len());
            assert!(fields.iter().eq(model.iter()));
            if i % 7 == 3 {
                assert_eq!(fields.remove(k.as_str()), model.remove(k.as_str()));
            }
            assert_eq!(fields.get("k5"), model.get("k5"));
            assert_eq!(fields.contains_key("k17"), model.contains_key("k17"));
        }
        assert!(matches!(fields, Fields::Large(_)));
        for (_, v) in fields.iter_mut() {
            *v = Val::Null;
        }
        assert!(fields.values().all(|v| *v == Val::Null));
        assert!(fields.keys().eq(model.keys()));
    }

    #[test]
    fn collecting_keeps_the_last_value_of_a_key_in_key_order() {
        let pairs =
            |n: u32| (0..n).map(|i| (Name::from(format!("k{}", i % 5)), Val::num(f64::from(i))));
        for n in [0, 3, 12, 40] {
            let fields: Fields = pairs(n).collect();
            let model: BTreeMap<Name, Val> = pairs(n).collect();
            assert!(fields.iter().eq(model.iter()), "{n}");
            let back: Vec<(Name, Val)> =
                fields.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            assert_eq!(back, model.into_iter().collect::<Vec<_>>());
        }
        // Equality does not depend on how the fields are kept.
        let large: Fields = Fields::Large(pairs(3).collect());
        let small: Fields = pairs(3).collect();
        assert_eq!(large, small);
    }
}
